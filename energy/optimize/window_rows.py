"""Rows of the capacity-fixed hourly LP by the hours they touch: which window owns a row.

Sparse-matrix helpers of :mod:`energy.optimize.windows`: rows tied to the hours of their
variables, single-variable rows as bounds, and the classification of every row as local to a
window, a boundary between windows or annual.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

#: a boundary row spans at most this many hours [h]; a longer crossing row is annual
MAX_SPAN_H = 24


def tie_to_hours(a: sp.csr_array, hour: np.ndarray) -> np.ndarray:
    """Give a column without a snapshot the first hour of the rows it appears in.

    A variable indexed by day (the daily commitment's online capacity) or by any span of
    hours has no snapshot coordinate; where all the hourly columns of its rows lie within
    :data:`MAX_SPAN_H` of each other, it belongs with those hours (their first hour), so it
    is solved in their window instead of being held at a design value.

    Parameters
    ----------
    a : scipy.sparse.csr_array
        The model's rows (singleton rows already turned into bounds).
    hour : numpy.ndarray
        Hour of every column (−1: no snapshot).

    Returns
    -------
    numpy.ndarray
        ``hour`` with the tied columns' hours filled in (a copy).
    """
    out = hour.copy()
    loose = hour < 0
    if not loose.any():
        return out
    erow = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    eh = hour[a.indices]
    timed = eh >= 0
    big = np.iinfo(np.int64).max
    rmin = np.full(a.shape[0], big, dtype=np.int64)
    rmax = np.full(a.shape[0], -1, dtype=np.int64)
    np.minimum.at(rmin, erow[timed], eh[timed])
    np.maximum.at(rmax, erow[timed], eh[timed])
    mine = loose[a.indices] & (rmax[erow] >= 0)
    col = a.indices[mine]
    cmin = np.full(len(hour), big, dtype=np.int64)
    cmax = np.full(len(hour), -1, dtype=np.int64)
    np.minimum.at(cmin, col, rmin[erow[mine]])
    np.maximum.at(cmax, col, rmax[erow[mine]])
    # a column also in a row without hours (or with other loose columns only) stays loose
    untimed = loose[a.indices] & (rmax[erow] < 0)
    cmax[a.indices[untimed]] = -1
    tied = loose & (cmax >= 0) & (cmax - cmin <= MAX_SPAN_H)
    out[tied] = cmin[tied]
    return out


def _row_reduce(func: Any, values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    out = np.full(len(indptr) - 1, -1.0)
    nonempty = np.diff(indptr) > 0
    if nonempty.any():
        out[nonempty] = func.reduceat(values, indptr[:-1][nonempty])
    return out


def singletons_to_bounds(a: sp.csr_array, b: np.ndarray, sense: np.ndarray,
                         lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Turn one-entry rows into column bounds (``lb``, ``ub`` in place); mask of other rows.

    PyPSA writes every dispatch limit as a row; HiGHS's presolve would make them bounds too.
    """
    nnz = np.diff(a.indptr)
    single = np.flatnonzero(nnz == 1)
    col = a.indices[a.indptr[single]]
    coef = a.data[a.indptr[single]]
    value = b[single] / coef
    s = sense[single]
    upper = ((s == "<") & (coef > 0)) | ((s == ">") & (coef < 0)) | (s == "=")
    lower = ((s == ">") & (coef > 0)) | ((s == "<") & (coef < 0)) | (s == "=")
    np.minimum.at(ub, col[upper], value[upper])
    np.maximum.at(lb, col[lower], value[lower])
    return nnz > 1


def rank_in_group(group: np.ndarray, groups: int) -> np.ndarray:
    """Position of each item among the items of its group (in their given order)."""
    order = np.argsort(group, kind="stable")
    first = np.searchsorted(group[order], np.arange(groups))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - first[group[order]]
    return rank


def classify_rows(a: sp.csr_array, cwin: np.ndarray, hour: np.ndarray, hours: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Home window of every row; which rows cross a boundary and which are annual.

    Returns
    -------
    tuple of numpy.ndarray
        ``home`` (window of the row's latest hour; −1: annual or without hourly columns),
        ``boundary`` and ``annual`` masks.
    """
    ew, eh = cwin[a.indices], hour[a.indices]
    hourly = ew >= 0
    big = float(np.iinfo(np.int64).max)

    def reduce(func: Any, values: np.ndarray, fill: float) -> np.ndarray:
        return _row_reduce(func, np.where(hourly, values, fill).astype(float), a.indptr)

    wmin, wmax = reduce(np.minimum, ew, big), reduce(np.maximum, ew, -1)
    hmin, hmax = reduce(np.minimum, eh, big), reduce(np.maximum, eh, -1)
    shifted = (eh + hours // 2) % hours  # hours round the year: the cyclic row joins 0 and H-1
    smin, smax = reduce(np.minimum, shifted, big), reduce(np.maximum, shifted, -1)
    has_hour = wmax >= 0
    local = has_hour & (wmin == wmax)
    wrap = (smax - smin) < (hmax - hmin)
    span = np.where(wrap, smax - smin, hmax - hmin)
    boundary = has_hour & ~local & (span <= MAX_SPAN_H)
    annual = has_hour & ~local & ~boundary
    last = np.where(wrap, (smax - hours // 2) % hours, hmax)
    last = np.clip(last, 0, hours - 1).astype(np.int64)
    win_of_hour = np.full(hours, -1, dtype=np.int64)
    win_of_hour[eh[hourly]] = ew[hourly]
    home = np.where(local, wmin, np.where(boundary, win_of_hour[last], -1)).astype(np.int64)
    return home, boundary, annual
