"""Red-flag triage of symptom text, and declared conditions.

Both are driven by ``footreflex/data/safety.toml``, which ships with the library and applies
to every plan whatever knowledge base is used: a custom knowledge base cannot switch it off.

Triage
------
:func:`triage` never raises. The text is folded to lower case, contractions are expanded
(``can't`` -> ``cannot``, ``isn't`` -> ``is not``) and split into sentences. Each rule has
patterns; a pattern is a list of groups of terms, and fires when every group has a term in the
same sentence, in any order ("my groin is numb" = "numbness in the groin"). A term's trailing
``*`` matches any ending, so inflections match ("numb*": numb, numbness; "fall", "fell").
A pattern is switched off by plain negation ("no", "not", "without", "never", "denies",
"free of", ...) up to three words before its first group's term, within the same clause (a
comma or "but"/"and"/"although" ends a clause), unless the pattern is marked
``negatable = false`` because the negation is the symptom ("cannot feel my groin", "no bladder
control", "unable to pee"). Each rule's ``unless`` phrases are removed first, so look-alikes
("fell asleep", "hay fever") do not fire. When unsure the rules fire: a false alarm costs less
than a missed one.

Questions
---------
Free text cannot say everything, so triage also takes answers to a short red-flag checklist
(``footreflex/data/questions.toml``): :func:`red_flag_questions` gives the general questions
and those of the regions asked for; ``triage(text, answers)`` adds a finding
(``question:<id>``) at the question's level for each "yes", and a "no" never lowers the level
the text reached. :func:`watch_for` gives the "stop and seek care if ..." lines every routine
carries for its regions.

Conditions
----------
:func:`parse_conditions` reads declared conditions such as ``"pregnant"``, ``"dvt"`` or
``"wound:left"``. The optional ``:left`` / ``:right`` / ``:both`` suffix names the foot of a
foot-level condition (fracture, wound, gout, foot infection); a foot-level condition with no
foot named means both feet. :func:`screen` turns them into effects: stop the session
(:class:`~footreflex.errors.SeekCareError`), leave a foot out, exclude targets, or soften the
technique (gentle wording from the data, and no step held past its default duration).
"""

from footreflex.safety._conditions import Declared, Screen, parse_conditions, screen
from footreflex.safety._match import normalise
from footreflex.safety._questions import (
    check_answers,
    red_flag_questions,
    triage,
    watch_for,
)
from footreflex.safety._rules import SafetyRules, rules
from footreflex.safety._triage import detect_conditions, read_text

__all__ = [
    "Declared",
    "SafetyRules",
    "Screen",
    "check_answers",
    "detect_conditions",
    "normalise",
    "parse_conditions",
    "read_text",
    "red_flag_questions",
    "rules",
    "screen",
    "triage",
    "watch_for",
]
