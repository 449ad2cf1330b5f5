"""Deprecated: use :mod:`footreflex.personal` and :func:`footreflex.program`.

Tuning from feedback is :mod:`footreflex.personal`; programs are :func:`footreflex.program`;
``personalised_plan`` is :func:`footreflex.plan` with ``profile=``.
"""

from footreflex._deprecated import moved

__getattr__ = moved("footreflex.recommend", {
    **dict.fromkeys(["PRIOR_STRENGTH", "factor", "tuning_for"], "footreflex.personal"),
    **dict.fromkeys(["Program", "ProgramSession", "program"], "footreflex"),
    "ROTATION": "footreflex._program",
    "personalised_plan": "footreflex._deprecated_plan",
})
