"""Solve the windows of a capacity-fixed hourly LP in parallel chains; write the year back.

The windows of :func:`energy.optimize.windows.split_model` are solved as ``chains``
consecutive runs of windows (the first half of the year and the second on two cores), each
window starting exactly where the one before it ended, so storage and every other
hour-to-hour row are continuous inside a chain. Only where a chain starts -- hour 0 and the
start of each further chain -- do the windows start from the design's values; a level that
ends a chain below that value has *borrowed* energy, reported as ``storage_deficit_mwh``.
What a window leaves unused of its share of an annual row moves on to the next window of its
chain. If the year still misses an annual row (a chain's last windows could not make up what
earlier ones missed), another pass asks every window for its part of the gap. A window starts
from its own basis of the pass before, or else from the optimal basis of the window before it
(same shape; HiGHS's dual simplex then needs a tenth of the iterations).

HiGHS releases the GIL while it solves, so the chains run in threads. The year's solution is
written into the linopy model and the network as if the exact LP had been solved, so the
check reports it the same way.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pypsa
from linopy.constants import Result, Solution, Status

from energy.optimize.windows import Split, Window, split_model

logger = logging.getLogger(__name__)

#: an annual row violated by less than this (relative to its right-hand side) holds [p.u.]
ROW_TOL = 1e-6


@dataclass
class WindowReport:
    """What the windowed dispatch did.

    Attributes
    ----------
    windows, chains, passes : int
        Windows, chains of consecutive windows solved side by side, and passes over the year.
    status : str
        ``"optimal"`` when every window is optimal, else the first other HiGHS status.
    objective : float
        Objective of the year's dispatch without penalties [CNY/a].
    prepare_s : float
        Cutting the model into windows [s].
    highs_s, cpu_s : list of float
        HiGHS run time and CPU time of each window solve, all passes [s].
    iterations : list of int
        Simplex or interior-point iterations of each window solve.
    shares_missed : float
        Sum over windows of the shares of annual rows they could not meet [row units].
    annual_violation : dict
        Annual rows the year's dispatch violates, with the violation [row units].
    storage_deficit_mwh, storage_surplus_mwh : float
        Energy the levels ended chains below (borrowed) or above (left) the design's level the
        next chain starts from [MWh].
    target_shortfall_mwh : float
        Energy the levels ended windows inside chains below their targets (the next window
        starts from the actual level, so nothing is borrowed) [MWh].
    """

    windows: int = 0
    chains: int = 0
    passes: int = 0
    status: str = "not solved"
    objective: float = float("nan")
    prepare_s: float = 0.0
    highs_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    iterations: list[int] = field(default_factory=list)
    shares_missed: float = 0.0
    annual_violation: dict[str, float] = field(default_factory=dict)
    storage_deficit_mwh: float = 0.0
    storage_surplus_mwh: float = 0.0
    target_shortfall_mwh: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary (sums and maxima instead of per-window lists)."""
        return {
            "windows": self.windows, "chains": self.chains, "passes": self.passes,
            "status": self.status,
            "prepare_s": round(self.prepare_s, 2),
            "highs_s_sum": round(float(sum(self.highs_s)), 2),
            "highs_s_max": round(float(max(self.highs_s, default=0.0)), 3),
            "cpu_s_sum": round(float(sum(self.cpu_s)), 2),
            "iterations_sum": int(sum(self.iterations)),
            "shares_missed": round(self.shares_missed, 6),
            "annual_violation": self.annual_violation,
            "storage_deficit_mwh": round(self.storage_deficit_mwh, 3),
            "storage_surplus_mwh": round(self.storage_surplus_mwh, 3),
            "target_shortfall_mwh": round(self.target_shortfall_mwh, 3),
        }


def _lp(w: Window, lower: np.ndarray, upper: np.ndarray) -> highspy.HighsLp:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = w.matrix.shape[1], w.matrix.shape[0]
    lp.col_cost_ = w.cost
    lp.col_lower_, lp.col_upper_ = w.col_lower, w.col_upper
    lp.row_lower_, lp.row_upper_ = lower, upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = w.matrix.indptr
    lp.a_matrix_.index_ = w.matrix.indices
    lp.a_matrix_.value_ = w.matrix.data
    return lp


def _solve_chain(split: Split, chain: list[Window], x: np.ndarray, options: dict[str, Any],
                 ask: np.ndarray, bases: dict[int, Any]) -> list[dict[str, Any]]:
    """Solve a chain's windows in order; write their columns into ``x``.

    ``ask`` moves each annual row's shares by its part of an amount [row units] (a later pass
    asking every window for a little more); ``bases`` holds each window's last optimal basis
    and is updated.
    """
    done = np.zeros(len(split.windows), dtype=bool)
    carry = np.zeros(len(split.rhs))  # per annual row: what the last window left unused
    basis, shape, out = None, None, []
    for w in chain:
        t0 = time.thread_time()
        source = split.win[w.foreign_col]
        value = np.where(done[source], x[w.foreign_col], split.pin[w.foreign_col])
        shift = np.bincount(w.foreign_row, weights=w.foreign_coef * value,
                            minlength=len(w.row_lower))
        lower, upper = w.row_lower - shift, w.row_upper - shift
        rows = split.share_row[w.share]
        moved = carry[rows] + ask[rows] * split.share_frac[w.share]
        lower[w.share_rows] += moved
        upper[w.share_rows] += moved
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for key, val in options.items():
            h.setOptionValue(key, val)
        h.passModel(_lp(w, lower, upper))
        if w.index in bases:
            h.setBasis(bases[w.index])
        elif basis is not None and shape == w.matrix.shape:
            h.setBasis(basis)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        record = {"window": w.index, "status": status, "highs_s": float(h.getRunTime()),
                  "iterations": max(int(info.simplex_iteration_count),
                                    int(info.ipm_iteration_count))}
        if status != "Optimal":
            out.append({**record, "cpu_s": time.thread_time() - t0})
            break
        solution = h.getSolution()
        xw = np.asarray(solution.col_value, dtype=float)
        ncols = len(w.cols)
        x[w.cols] = xw[:ncols]
        done[w.index] = True
        activity = np.asarray(solution.row_value, dtype=float)[w.share_rows]
        own = activity - (w.matrix[w.share_rows, :][:, ncols:] @ xw[ncols:])
        bound = np.where(split.sense[rows] == ">", lower[w.share_rows], upper[w.share_rows])
        carry[:] = 0.0
        carry[rows] = bound - own
        record["shares_missed"] = float(xw[ncols:ncols + w.n_slack].sum())
        record["target_shortfall"] = float(xw[ncols + w.n_slack:].sum())
        basis, shape = h.getBasis(), w.matrix.shape
        bases[w.index] = basis
        out.append({**record, "cpu_s": time.thread_time() - t0})
    return out


def solve_windows(n: pypsa.Network, design: pypsa.Network | None, starts: np.ndarray,
                  options: dict[str, Any], chains: int = 2, target_cost: float = 1e4,
                  slack_cost: float = 1e4, passes: int = 3) -> WindowReport:
    """Dispatch ``n.model`` window by window and write the year's solution into ``n``.

    Parameters
    ----------
    n : pypsa.Network
        Hourly network with capacities fixed and its linopy model built
        (:func:`energy.optimize.highs.create_model`).
    design : pypsa.Network or None
        The solved design (values where chains start, level targets, shares of annual rows).
    starts : numpy.ndarray
        First hour of each window (:func:`energy.optimize.windows.window_starts`).
    options : dict
        HiGHS options of every window.
    chains : int
        Chains of consecutive windows, solved side by side (one per core).
    target_cost : float
        Penalty of ending a window below a level target [CNY/MWh]; below the value of lost
        load, so that no window sheds load to fill storage.
    slack_cost : float
        Penalty of missing a window's share of an annual row [CNY per row unit].
    passes : int
        Passes over the year at most: when the year misses an annual row (a chain's last
        windows could not make up what earlier ones missed), the next pass asks every window
        for its part of the gap (plus 10 %), each window starting from its previous basis.

    Returns
    -------
    WindowReport
    """
    report = WindowReport(windows=len(starts))
    t0 = time.perf_counter()
    m = n.model
    split = split_model(m, n, design, starts, target_cost, slack_cost)
    report.prepare_s = time.perf_counter() - t0
    x = np.full(len(split.cost), np.nan)
    glob = split.win < 0
    x[glob] = split.pin[glob]
    groups = [g for g in np.array_split(np.arange(len(split.windows)), max(1, chains))
              if len(g)]
    report.chains = len(groups)
    ask = np.zeros(len(split.rhs))
    bases: dict[int, Any] = {}
    for _ in range(max(1, passes)):
        report.passes += 1
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            runs = list(pool.map(
                lambda g, ask=ask: _solve_chain(split, [split.windows[i] for i in g], x,
                                                options, ask, bases), groups))
        records = sorted((r for run in runs for r in run), key=lambda r: r["window"])
        report.highs_s += [round(r["highs_s"], 4) for r in records]
        report.cpu_s += [round(r["cpu_s"], 4) for r in records]
        report.iterations += [r["iterations"] for r in records]
        bad = [r["status"] for r in records if r["status"] != "Optimal"]
        if bad or len(records) < len(split.windows):
            report.status = bad[0] if bad else "not solved"
            return report
        gap = _annual_gap(split, x)
        if not gap.any():
            break
        ask += 1.1 * gap
    report.status = "optimal"
    report.shares_missed = float(sum(r["shares_missed"] for r in records))
    ends = {int(g[-1]) for g in groups}
    report.target_shortfall_mwh = float(sum(r["target_shortfall"] for r in records
                                            if r["window"] not in ends))
    _junctions(split, [split.windows[int(g[-1])] for g in groups], x, report)
    report.objective = float(split.cost @ x)
    _annual_rows(split, x, m, report)
    _assign(m, n, split.vlabels, x, report.objective)
    return report


def _annual_gap(split: Split, x: np.ndarray) -> np.ndarray:
    """Per model row: how far the year misses each annual row, signed as a move of its bound.

    Positive for a ``>=`` row short of its right-hand side (shares must rise), negative for a
    ``<=`` row above it; zero for rows that hold within :data:`ROW_TOL`.
    """
    gap = np.zeros(len(split.rhs))
    a = split.a
    for r in split.annual:
        lo, hi = a.indptr[r], a.indptr[r + 1]
        total = float(a.data[lo:hi] @ x[a.indices[lo:hi]])
        miss = split.rhs[r] - total  # > 0: below the right-hand side
        sense = split.sense[r]
        if abs(miss) <= ROW_TOL * max(1.0, abs(split.rhs[r])):
            continue
        if (sense == ">" and miss > 0) or (sense == "<" and miss < 0) or sense == "=":
            gap[r] = miss
    return gap


def _junctions(split: Split, last: list[Window], x: np.ndarray, report: WindowReport) -> None:
    """Levels where a chain ends against the design's value the next chain starts from."""
    for w in last:
        gap = x[w.targets] - split.pin[w.targets]
        report.storage_deficit_mwh += float(-gap[gap < 0].sum())
        report.storage_surplus_mwh += float(gap[gap > 0].sum())


def _annual_rows(split: Split, x: np.ndarray, m: Any, report: WindowReport) -> None:
    """Re-evaluate every annual row on the year's dispatch; record violations."""
    a = split.a
    for r in split.annual:
        lo, hi = a.indptr[r], a.indptr[r + 1]
        total = float(a.data[lo:hi] @ x[a.indices[lo:hi]])
        rhs = split.rhs[r]
        excess = {"<": total - rhs, ">": rhs - total, "=": abs(total - rhs)}[split.sense[r]]
        if excess > ROW_TOL * max(1.0, abs(rhs)):
            name = m.constraints.get_label_position(int(split.clabels[r]))
            label = name[0] if isinstance(name, tuple) else str(name)
            report.annual_violation[label] = round(float(excess), 6)


def _assign(m: Any, n: pypsa.Network, vlabels: np.ndarray, x: np.ndarray,
            objective: float) -> None:
    """Write the year's solution into the linopy model and the network."""
    primal = np.full(m._xCounter, np.nan)
    primal[vlabels] = x
    m.assign_result(Result(status=Status.from_termination_condition("optimal"),
                           solution=Solution(primal=primal, dual=np.array([]),
                                             objective=objective)))
    n.optimize.assign_solution()
    n.optimize.post_processing()
