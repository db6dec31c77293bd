"""The default volume profile: how a centre without history spreads assumed calls over the week and the day.

A new centre (a scenario's ``calls_per_day``) has no history to forecast from, so its calls are spread by this
profile. **It is an assumption, not a measurement**: the shape municipal contact centres describe (``DOMAIN.md``:
calls peak on Monday mornings and fall through the week; a morning peak, a dip at lunch, a lower afternoon), with
round numbers chosen by us. Replace it as soon as there is data: a scenario's ``weekday`` factors override the
weekday part, and a few weeks of real calls make a forecast instead.

* Weekday factors relative to Wednesday: Mon 1.35, Tue 1.10, Wed 1.00, Thu 0.95, Fri 0.80, Sat 0.50, Sun 0.40.
* Intraday weights at half-hour midpoints from 07:45 to 18:45: rising to a peak of 1.50 at 09:30–10:00, a dip to
  0.75 at 12:00–12:30, 1.05 after lunch, then falling to 0.10 at 18:30; on Mondays the morning (08:00–11:30) is
  up to half as high again. Minutes outside that range take the nearest end's weight.
"""

from __future__ import annotations

import numpy as np

from ..config import WEEKDAYS

__all__ = ["DEFAULT_WEEKDAY_FACTORS", "default_intraday_shape"]

#: Assumed calls per weekday relative to Wednesday (Mon..Sun; weekends only where a centre is open then).
DEFAULT_WEEKDAY_FACTORS: dict[str, float] = dict(zip(WEEKDAYS, (1.35, 1.10, 1.00, 0.95, 0.80, 0.50, 0.40)))

# (minute of day at a half-hour's midpoint, weight): the ordinary weekday, and the Monday-morning factor on top
_DAY_WEIGHTS = np.array([
    (7 * 60 + 45, 0.50), (8 * 60 + 15, 0.80), (8 * 60 + 45, 1.10), (9 * 60 + 15, 1.40), (9 * 60 + 45, 1.50),
    (10 * 60 + 15, 1.45), (10 * 60 + 45, 1.35), (11 * 60 + 15, 1.15), (11 * 60 + 45, 0.95), (12 * 60 + 15, 0.75),
    (12 * 60 + 45, 0.80), (13 * 60 + 15, 1.00), (13 * 60 + 45, 1.05), (14 * 60 + 15, 0.95), (14 * 60 + 45, 0.85),
    (15 * 60 + 15, 0.75), (15 * 60 + 45, 0.62), (16 * 60 + 15, 0.48), (16 * 60 + 45, 0.30), (17 * 60 + 15, 0.26),
    (17 * 60 + 45, 0.22), (18 * 60 + 15, 0.16), (18 * 60 + 45, 0.10),
])
_MONDAY_MORNING = np.array([
    (7 * 60 + 45, 1.0), (8 * 60 + 15, 1.15), (8 * 60 + 45, 1.35), (9 * 60 + 15, 1.50), (9 * 60 + 45, 1.50),
    (10 * 60 + 15, 1.40), (10 * 60 + 45, 1.25), (11 * 60 + 15, 1.10), (11 * 60 + 45, 1.0),
])


def default_intraday_shape(minutes: np.ndarray, weekday: int) -> np.ndarray:
    """Relative arrival rate at ``minutes`` after midnight (each minute at its midpoint) on ``weekday``
    (0 = Monday), by the default profile; only ratios matter."""
    mid = np.asarray(minutes, dtype=float) + 0.5
    shape = np.interp(mid, _DAY_WEIGHTS[:, 0], _DAY_WEIGHTS[:, 1])
    if weekday == 0:
        shape = shape * np.interp(mid, _MONDAY_MORNING[:, 0], _MONDAY_MORNING[:, 1])
    return shape
