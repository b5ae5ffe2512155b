"""Find a scale factor that makes a capacity-factor model hit a full-load-hours target."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def calibrate_scale(flh_of: Callable[[float], float], target_h: float, lo: float = 0.05,
                    hi: float = 10.0, rtol: float = 0.002, max_iter: int = 80) -> float:
    """Bisect a multiplicative input scale so that annual full-load hours hit a target.

    ``flh_of`` must rise with the scale on ``[lo, x*]``; beyond that (e.g. a wind turbine
    pushed past cut-out) it may fall. The upper bracket is therefore found by a coarse scan
    from ``lo`` upwards and bisection then runs on the first bracket that crosses the target.

    Parameters
    ----------
    flh_of : callable
        Scale [-] -> annual full-load hours [h].
    target_h : float
        Target full-load hours [h].
    lo, hi : float
        Search range of the scale [-].
    rtol : float
        Relative tolerance on the full-load hours [-].
    max_iter : int
        Maximum bisection steps.

    Returns
    -------
    float
        Scale factor [-].

    Raises
    ------
    ValueError
        If the target cannot be reached inside ``[lo, hi]``.
    """
    grid = np.geomspace(lo, hi, 40)
    prev = grid[0]
    if flh_of(prev) >= target_h:
        raise ValueError(f"target {target_h:.0f} h already exceeded at the lowest scale {lo}")
    for x in grid[1:]:
        if flh_of(x) >= target_h:
            a, b = prev, x
            break
        prev = x
    else:
        raise ValueError(f"target {target_h:.0f} h unreachable with scale <= {hi}")
    for _ in range(max_iter):
        mid = 0.5 * (a + b)
        val = flh_of(mid)
        if abs(val / target_h - 1.0) <= rtol:
            return mid
        if val < target_h:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)
