"""Deprecated: the web app's API models are :mod:`footreflex.server.webapi`."""

from footreflex._deprecated import moved

__getattr__ = moved("footreflex.webapi", dict.fromkeys(
    ["ConditionInfo", "FeedbackRequest", "FeedbackResult", "ServerProfile", "SessionPlan",
     "SessionRequest", "conditions", "give_feedback", "session_plan"], "footreflex.server.webapi"))
