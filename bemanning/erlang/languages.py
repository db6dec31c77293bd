"""Languages as a second skill: how soon a contact that needs a language reaches someone who speaks it.

A contact of a language goes to a speaker on its group's lines first; a speaker who comes free takes a waiting
contact of their language before any other call; after ``interpreter_after_s`` anyone on the group may take it, with
an interpreter. :func:`language_service_level` approximates the share answered within the target, and
:func:`speakers_for_target` the fewest speakers that reach it. Pure and vectorised, like the rest of the package.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["language_service_level", "speakers_for_target"]


def language_service_level(*, speakers: ArrayLike, occupancy: ArrayLike, aht_s: ArrayLike, target_s: ArrayLike,
                           interpreter_after_s: float, group_late_after: ArrayLike,
                           patience_s: ArrayLike = np.inf) -> np.ndarray:
    """The share of a language's contacts answered within ``target_s``, approximately.

    A contact still waits for a speaker after ``w`` seconds when all ``speakers`` on the group's lines are busy as
    it arrives (each, independently, with the group's ``occupancy``) and none comes free within ``w`` (handling
    times exponential with mean ``aht_s``: the first of ``n`` busy ones frees after ``aht_s / n``); the language's
    own load is left out, for speakers take their language's waiting contacts first. After ``interpreter_after_s``
    anyone on the group may take it, with an interpreter, if the caller has not hung up meanwhile (exponential
    ``patience_s``): it is then late with ``group_late_after``, the chance that a call of the group waits longer
    than the rest of the target (the group's own model at its agents). Speakers are servers: a chat agent of
    concurrency k counts k times. ``speakers`` may be a mean over an interval (short breaks)."""
    n = np.asarray(speakers, dtype="float64")
    occ = np.clip(np.asarray(occupancy, dtype="float64"), 0.0, 1.0)
    aht = np.asarray(aht_s, dtype="float64")
    aht = np.where(aht > 0, aht, 1.0)
    target = np.asarray(target_s, dtype="float64")
    before = np.minimum(target, interpreter_after_s)
    no_speaker = occ ** n * np.exp(-n * before / aht)
    late = np.clip(np.nan_to_num(np.asarray(group_late_after, dtype="float64"), nan=1.0), 0.0, 1.0)
    patience = np.asarray(patience_s, dtype="float64")
    finite = np.isfinite(patience)
    stays = np.ones(np.broadcast(patience, target).shape)  # still on the line at w
    stays = np.where(finite, np.exp(-min(interpreter_after_s, 1e300) / np.where(finite, patience, 1.0)), stays)
    interpreted = no_speaker * stays * (1.0 - late)
    return np.where(target > interpreter_after_s, 1.0 - no_speaker + interpreted, 1.0 - no_speaker)


def speakers_for_target(*, service_level_target: ArrayLike, most: ArrayLike, servers_per_speaker: ArrayLike = 1,
                        **model: ArrayLike | float) -> np.ndarray:
    """Per row, the fewest speakers (people: 0 … ``most``, each ``servers_per_speaker`` servers, a chat's
    concurrency) whose :func:`language_service_level` (with ``model``'s other arguments) reaches
    ``service_level_target``; −1 where none does."""
    target = np.asarray(service_level_target, dtype="float64")
    most = np.asarray(most, dtype="int64")
    out = np.full(most.shape, -1, dtype="int64")
    found = np.zeros(out.shape, dtype=bool)
    for n in range(int(most.max(initial=0)) + 1):
        meets = ~found & (n <= most) & (language_service_level(speakers=n * np.asarray(servers_per_speaker, dtype="float64")
                                                                * np.ones(out.shape), **model)
                                         >= target - 1e-12)
        out[meets] = n
        found |= meets
        if found.all():
            break
    return out
