"""Erlang B, C and A: exact, vectorised formulas for one queue and the staffing they imply.

``formulas`` gives P(wait), service level, speed of answer, occupancy and abandonment for a number of agents;
``deferred`` turns e-mail and letters into workload with deadlines for the roster; ``patience`` estimates callers' mean patience from the history (Erlang A's input); ``languages``
how soon a contact that needs a language reaches a speaker (or an interpreter); ``staffing`` inverts them (fewest agents meeting the targets) and adds shrinkage (agents on the phone vs heads
scheduled). See ``bemanning.erlang.formulas`` for the model assumptions and the service-level definition.
"""

from .formulas import (
    abandonment_probability,
    average_speed_of_answer,
    erlang_b,
    occupancy,
    service_level,
    wait_probability,
)
from .deferred import deferred_workload
from .languages import language_service_level, speakers_for_target
from .patience import estimate_patience
from .staffing import apply_shrinkage, required_agents, staffing_requirement

__all__ = [
    "abandonment_probability",
    "deferred_workload",
    "apply_shrinkage",
    "average_speed_of_answer",
    "erlang_b",
    "estimate_patience",
    "language_service_level",
    "occupancy",
    "required_agents",
    "service_level",
    "speakers_for_target",
    "staffing_requirement",
    "wait_probability",
]
