"""Cut a capacity-fixed hourly LP into time windows (for the windowed design check).

The full-year check of a design (:mod:`energy.optimize.design_check`) is one LP over 8,760
hours with every capacity fixed. Few rows tie its hours together: storage continuity (a level
depends on the level an hour before; the first hour on the last) and annual rows (energy
obligations and caps, CO2 caps, clean shares). :func:`split_model` cuts the linopy model --
built once, **with the same PyPSA formulation and the same extra constraints as the exact LP**
(:func:`energy.optimize.highs.create_model`), so every constraint a scenario adds is in the
windows too -- into one LP per window, working on the model's matrix:

* a row whose columns lie in one window stays as it is (nearly all rows);
* a *boundary* row crosses a window boundary with all its hours within
  :data:`energy.optimize.window_rows.MAX_SPAN_H`
  of each other (counted round the year: the cyclic row joins hour 0 and the last hour). It
  belongs to the window of its latest hour; its *foreign* columns (in the window before) are
  constants there, set when the window is solved: the value the window before ended with, or
  the design's value where that window is not solved first (:mod:`energy.optimize.
  window_dispatch`). A level that another window starts from gets a *target* in its own
  window: the design's level, which it may miss only at a penalty (so a window does not empty
  storage the next one needs);
* an *annual* row (a longer crossing row) becomes one row per window: the design's own use
  of the row in that window plus a share of the row's spare, proportional to the window's
  entries; the shares add up to the annual right-hand side. A slack at a high penalty keeps a
  window feasible if its share cannot be met; what a window leaves unused moves on to the
  next, and the annual row is re-evaluated on the year afterwards. The zone's CO2 cap
  (:mod:`energy.optimize.co2`) is such a row: it is not pinned per window but shared out by
  the design's emissions, carried over, and checked on the year (a violation sends the check
  to the exact LP);
* a variable without a snapshot (the daily commitment's online capacity per unit and day,
  :mod:`energy.optimize.commitment`) belongs to the first hour of the rows it appears in
  (:func:`tie_to_hours`) and is solved in that window; windows start on whole days
  (:func:`window_starts`), so a day's commitment rows stay in one window.

Values of the design at an hour: the value of the design snapshot (segment) the hour falls in;
levels (:data:`STATE_VARIABLES`) interpolated between the snapshot's start and end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pypsa
import scipy.sparse as sp

from energy.optimize.window_rows import (
    classify_rows,
    rank_in_group,
    singletons_to_bounds,
    tie_to_hours,
)

#: variables that are levels at the end of a snapshot (interpolated inside a design snapshot,
#: and given a target where a window ends); every other variable is a rate
STATE_VARIABLES = ("Store-e", "StorageUnit-state_of_charge")
#: (component, linopy attribute) -> attribute of the solved network holding its value
_RESULT_ATTR = {("Link", "p"): "p0", ("Line", "s"): "p0", ("Transformer", "s"): "p0"}


class WindowError(RuntimeError):
    """The year cannot be cut into windows (e.g. a coupling column without a design value)."""


def window_starts(hours: int, count: int, day: int = 24) -> np.ndarray:
    """First hour of each of ``count`` windows of (nearly) equal length [h].

    A window is at least a day long (fewer windows when the year is short), and windows start
    on whole days, so that a day's rows (the daily commitment, :mod:`energy.optimize.
    commitment`) stay in one window.

    Parameters
    ----------
    hours : int
        Hours of the year (snapshots of the hourly network).
    count : int
        Number of windows (at most ``hours``).
    day : int
        Hours of a day [h].

    Returns
    -------
    numpy.ndarray
        Ascending distinct start hours beginning with 0.
    """
    days = hours // day
    count = max(1, min(int(count), days))
    if days:
        return np.unique(np.round(np.arange(count) * days / count).astype(int) * day)
    return np.zeros(1, dtype=int)


def _design_frame(design: pypsa.Network, name: str) -> pd.DataFrame | None:
    """The design's solution of a linopy variable as a (snapshot x component) frame."""
    if "-" not in name:
        return None
    component, attr = name.split("-", 1)
    if component not in {c.name for c in design.components}:
        return None
    dynamic = design.components[component].dynamic
    attr = _RESULT_ATTR.get((component, attr), attr)
    frame = dynamic[attr] if attr in dynamic else None
    return frame if frame is not None and not frame.empty else None


def _design_rows(n: pypsa.Network, design: pypsa.Network) -> tuple[np.ndarray, np.ndarray]:
    """For every hour of ``n``: the design snapshot it falls in, and the fraction of it done."""
    starts = n.snapshots.get_indexer(design.snapshots)
    if (starts < 0).any() or (np.diff(starts) <= 0).any() or starts[0] != 0:
        raise WindowError("the design's snapshots are not ascending hours of the check network")
    hours = np.arange(len(n.snapshots))
    row = np.searchsorted(starts, hours, side="right") - 1
    ends = np.append(starts[1:], len(hours))
    done = (hours - starts[row] + 1) / (ends - starts)[row]
    return row, done


def label_hours_and_pins(m: Any, n: pypsa.Network, design: pypsa.Network | None
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hour, design value and kind of every variable label of the hourly model.

    Parameters
    ----------
    m : linopy.Model
        The hourly model.
    n : pypsa.Network
        The hourly network.
    design : pypsa.Network or None
        The solved design, whose snapshots are hours of ``n`` (segment or resample starts).

    Returns
    -------
    tuple of numpy.ndarray
        ``hour[label]`` (−1 for variables without a snapshot dimension), ``pin[label]``
        (the design's value; NaN where it has none) and ``state[label]`` (a level).
    """
    size = m._xCounter
    hour = np.full(size, -1, dtype=np.int64)
    pin = np.full(size, np.nan)
    state = np.zeros(size, dtype=bool)
    if design is not None:
        row, done = _design_rows(n, design)
    for name, var in m.variables.items():
        if "snapshot" not in var.dims:
            continue
        labels = var.labels.values
        axis = var.dims.index("snapshot")
        sns_hours = n.snapshots.get_indexer(var.coords["snapshot"].to_index())
        shape = [1] * labels.ndim
        shape[axis] = -1
        hours = np.broadcast_to(sns_hours.reshape(shape), labels.shape)
        mask = labels >= 0
        hour[labels[mask]] = hours[mask]
        state[labels[mask]] = name in STATE_VARIABLES
        frame = _design_frame(design, name) if design is not None else None
        dims = [d for d in var.dims if d != "snapshot"]
        if frame is None or len(dims) != 1:
            continue
        table = frame.reindex(columns=var.coords[dims[0]].to_index()).to_numpy(dtype=float)
        rows = row[sns_hours]
        values = table[rows]
        if name in STATE_VARIABLES:  # from the previous snapshot's end (row -1: the last,
            before = table[rows - 1]  # the cyclic start) to this one's
            values = before + done[sns_hours, None] * (values - before)
        if var.dims.index(dims[0]) < axis:
            values = values.T
        pin[labels[mask]] = values[mask]
    return hour, pin, state


@dataclass
class Window:
    """One window's LP; row bounds are completed when the window is solved.

    Rows are the window's own rows, then its shares of annual rows (``share``), then its
    level targets (``target``); columns its own columns, then one slack per relaxable share
    direction, then one per target.
    """

    index: int
    cols: np.ndarray  # model positions of the window's columns
    matrix: sp.csc_array
    row_lower: np.ndarray  # without the foreign constants
    row_upper: np.ndarray
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    foreign_row: np.ndarray  # window row of each foreign entry
    foreign_col: np.ndarray  # model column of each foreign entry
    foreign_coef: np.ndarray
    share: np.ndarray  # annual sub-row id of each share row
    share_rows: np.ndarray  # their window rows
    n_slack: int  # share slack columns (after the window's own columns)
    targets: np.ndarray  # model columns of the levels given a target (their slacks last)


@dataclass
class Split:
    """The model cut into windows, and what is needed to put the year back together."""

    windows: list[Window]
    a: sp.csr_array  # model rows that were not turned into bounds
    rhs: np.ndarray
    sense: np.ndarray
    clabels: np.ndarray
    vlabels: np.ndarray
    cost: np.ndarray
    pin: np.ndarray  # design value of every column (NaN: none)
    state: np.ndarray  # column is a level
    win: np.ndarray  # window of every column (-1: no hour; constant at its pin)
    annual: np.ndarray  # model rows split over windows
    share_row: np.ndarray  # annual row of each sub-row
    share_win: np.ndarray  # window of each sub-row
    share_rhs: np.ndarray  # design use + share of the spare, before carry-over
    share_frac: np.ndarray  # each sub-row's part of its annual row's entries


def split_model(m: Any, n: pypsa.Network, design: pypsa.Network | None,
                starts: np.ndarray, target_cost: float, slack_cost: float) -> Split:
    """Cut the hourly model into window LPs (see the module docstring).

    Parameters
    ----------
    m : linopy.Model
        The capacity-fixed hourly model.
    n : pypsa.Network
        Its network.
    design : pypsa.Network or None
        The solved design (values at window boundaries, split of annual rows).
    starts : numpy.ndarray
        First hour of each window.
    target_cost : float
        Penalty per unit a level ends a window below its target [CNY per MWh].
    slack_cost : float
        Penalty per unit a window misses its share of an annual row [CNY per unit].

    Raises
    ------
    WindowError
        A column coupling windows, or in an annual row, without a design value.
    """
    mats = m.matrices
    a = sp.csr_array(mats.A)
    b, sense = np.asarray(mats.b, dtype=float), np.asarray(mats.sense).astype("U1")
    c = np.asarray(mats.c, dtype=float)
    lb, ub = np.array(mats.lb, dtype=float), np.array(mats.ub, dtype=float)
    vlabels = np.asarray(mats.vlabels)
    hours, nwin = len(n.snapshots), len(starts)
    hour_of, pin_of, state_of = label_hours_and_pins(m, n, design)
    hour, pin, state = hour_of[vlabels], pin_of[vlabels], state_of[vlabels]
    win_of_hour = np.searchsorted(starts, np.arange(hours), side="right") - 1

    keep = np.flatnonzero(singletons_to_bounds(a, b, sense, lb, ub))
    a, b, sense, clabels = a[keep], b[keep], sense[keep], np.asarray(mats.clabels)[keep]
    hour = tie_to_hours(a, hour)
    cwin = np.where(hour >= 0, win_of_hour[np.clip(hour, 0, None)], -1)
    home, boundary, annual = classify_rows(a, cwin, hour, hours)

    erow = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    ecol, evals = a.indices, a.data
    ewin = cwin[ecol]
    glob = ewin < 0  # columns without an hour: constants at the design's value everywhere
    foreign = boundary[erow] & (ewin != home[erow]) & ~glob
    needed = np.unique(np.concatenate([ecol[foreign], ecol[glob]]))
    if np.isnan(pin[needed]).any():
        bad = needed[np.isnan(pin[needed])][:3]
        names = [m.variables.get_label_position(int(lab)) for lab in vlabels[bad]]
        raise WindowError(f"no design value for coupling columns {names}")
    pin = np.where(np.isnan(pin), pin, np.clip(pin, lb, ub))
    rhs = b - np.bincount(erow[glob], weights=evals[glob] * pin[ecol[glob]], minlength=len(b))

    # annual rows: one share per (row, window): the design's use + a share of the spare
    in_annual = annual[erow] & ~glob
    if np.isnan(pin[ecol[in_annual]]).any():
        raise WindowError("no design value for a column of an annual row")
    key, sub_of = np.unique(erow[in_annual] * nwin + ewin[in_annual], return_inverse=True)
    share_row, share_win = key // nwin, key % nwin
    use = np.bincount(sub_of, weights=evals[in_annual] * pin[ecol[in_annual]],
                      minlength=len(key))
    count = np.bincount(sub_of, minlength=len(key)).astype(float)
    row_use = np.bincount(share_row, weights=use, minlength=len(b))[share_row]
    row_count = np.bincount(share_row, weights=count, minlength=len(b))[share_row]
    share_rhs = use + (rhs[share_row] - row_use) * count / row_count

    # levels another window starts from: their own window gives them a target
    targeted = np.unique(ecol[foreign][state[ecol[foreign]]])

    # window-local numbering of rows (own rows, then shares) and columns
    own = np.flatnonzero(home >= 0)
    own_rank = rank_in_group(home[own], nwin)
    n_own = np.bincount(home[own], minlength=nwin)
    share_rank = rank_in_group(share_win, nwin) + n_own[share_win]
    hourly = np.flatnonzero(cwin >= 0)
    col_rank = np.full(len(c), -1, dtype=np.int64)
    col_rank[hourly] = rank_in_group(cwin[hourly], nwin)
    row_rank = np.full(len(b), -1, dtype=np.int64)
    row_rank[own] = own_rank

    plain = (home[erow] >= 0) & ~glob & ~foreign
    e_win = np.concatenate([home[erow[plain]], share_win[sub_of]])
    e_row = np.concatenate([row_rank[erow[plain]], share_rank[sub_of]])
    e_col = np.concatenate([col_rank[ecol[plain]], col_rank[ecol[in_annual]]])
    e_val = np.concatenate([evals[plain], evals[in_annual]])
    order = np.argsort(e_win, kind="stable")
    e_win, e_row, e_col, e_val = e_win[order], e_row[order], e_col[order], e_val[order]
    e_at = np.searchsorted(e_win, np.arange(nwin + 1))
    f_win = home[erow[foreign]]
    f_order = np.argsort(f_win, kind="stable")
    f_at = np.searchsorted(f_win[f_order], np.arange(nwin + 1))
    f_row, f_col, f_val = row_rank[erow[foreign]][f_order], ecol[foreign][f_order], \
        evals[foreign][f_order]

    def by_window(items: np.ndarray, group: np.ndarray) -> list[np.ndarray]:
        order = np.argsort(group, kind="stable")
        return np.split(items[order], np.cumsum(np.bincount(group, minlength=nwin))[:-1])

    cols_of, own_of = by_window(hourly, cwin[hourly]), by_window(own, home[own])
    share_of = by_window(np.arange(len(key)), share_win)
    target_of = by_window(targeted, cwin[targeted])
    windows = []
    for k in range(nwin):
        cols, rows, shares, targets = cols_of[k], own_of[k], share_of[k], target_of[k]
        s_sense = sense[share_row[shares]]
        n_rows = len(rows) + len(shares)
        # slack columns: shares relaxed in their sense's direction, then level shortfalls
        slack_row = n_rows - len(shares) + np.concatenate(
            [np.flatnonzero(s_sense != ">"), np.flatnonzero(s_sense != "<")])
        slack_val = np.concatenate([-np.ones((s_sense != ">").sum()),
                                    np.ones((s_sense != "<").sum())])
        t_rows = n_rows + np.arange(len(targets))
        n_cols = len(cols) + len(slack_row) + len(targets)
        lo, hi = e_at[k], e_at[k + 1]
        rows_ = np.concatenate([e_row[lo:hi], slack_row, t_rows, t_rows])
        cols_ = np.concatenate([e_col[lo:hi], len(cols) + np.arange(len(slack_row)),
                                col_rank[targets],
                                len(cols) + len(slack_row) + np.arange(len(targets))])
        vals_ = np.concatenate([e_val[lo:hi], slack_val, np.ones(2 * len(targets))])
        matrix = sp.csc_array((vals_, (rows_, cols_)), shape=(n_rows + len(targets), n_cols))
        r_sense = np.concatenate([sense[rows], s_sense, np.full(len(targets), ">")])
        r_b = np.concatenate([rhs[rows], share_rhs[shares], pin[targets]])
        fl, fh = f_at[k], f_at[k + 1]
        windows.append(Window(
            index=k, cols=cols, matrix=matrix,
            row_lower=np.where(r_sense != "<", r_b, -np.inf),
            row_upper=np.where(r_sense != ">", r_b, np.inf),
            cost=np.concatenate([c[cols], np.full(len(slack_row), slack_cost),
                                 np.full(len(targets), target_cost)]),
            col_lower=np.concatenate([lb[cols], np.zeros(len(slack_row) + len(targets))]),
            col_upper=np.concatenate([ub[cols], np.full(len(slack_row) + len(targets),
                                                        np.inf)]),
            foreign_row=f_row[fl:fh], foreign_col=f_col[fl:fh], foreign_coef=f_val[fl:fh],
            share=shares, share_rows=len(rows) + np.arange(len(shares)),
            n_slack=len(slack_row), targets=targets,
        ))
    return Split(windows=windows, a=a, rhs=b, sense=sense, clabels=clabels, vlabels=vlabels,
                 cost=c, pin=pin, state=state, win=cwin, annual=np.flatnonzero(annual),
                 share_row=share_row, share_win=share_win, share_rhs=share_rhs,
                 share_frac=count / row_count)
