"""Screen, prune and price: an exact hourly optimum without the candidates nobody builds.

An hourly expansion LP carries every candidate technology in every hour, although most are
never built. Their dispatch columns cost interior-point iterations (benchmarks/README.md):
base at 1 h takes 1,226 s with all candidates and 273 s without the unused ones. This module
removes them *without changing the answer*, by column generation:

1. **Screen.** Solve a time-aggregated copy (``solver.screen_resolution``) and find the
   candidate groups it leaves unbuilt. A *candidate* is an extendable generator, link, store or
   storage unit whose minimum size is 0; a *group* is the candidates that only work together:
   those sharing a bus nothing else attaches to (a battery: store, charger, discharger and
   their bus) and the two links of a CHP plant.
2. **Solve** the hourly network without those groups.
3. **Price** them against the hourly duals. For every column of the full model that the
   restricted model lacks, the reduced cost is ``d = c - A^T y`` with ``y`` the restricted
   duals mapped to the full model's rows by constraint name and coordinates. A small LP over
   those columns and the rows only they appear in (their own capacity, energy-balance and
   bus rows), with each capacity capped at 1 MW (MWh), finds the most profitable way to run
   each group. If no group earns more than ``solver.screening_tolerance`` per MW, the
   restricted solution with the pruned groups at zero is optimal for the full LP (their
   reduced costs are dual feasible); otherwise the profitable groups go back and step 2
   repeats, at most ``solver.screening_rounds`` times, before a plain full solve.

The solution is written back into the full network, pruned components at zero, so results
list every candidate as usual.
"""

from __future__ import annotations

import gc
import logging
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import highspy
import numpy as np
import pandas as pd
import pypsa
import scipy.sparse
import scipy.sparse.csgraph

from energy.config import Scenario
from energy.constraints import extra_functionality
from energy.solve import InfeasibleError

if TYPE_CHECKING:
    from collections.abc import Callable

    from energy.solve import SolveReport

logger = logging.getLogger(__name__)

#: capacity attribute of each component type that can hold candidates
CAPACITY = {"Generator": "p_nom", "Link": "p_nom", "Store": "e_nom", "StorageUnit": "p_nom"}
#: the linopy variables of those capacities
_CAPACITY_VARIABLES = {f"{c}-{attr}" for c, attr in CAPACITY.items()}
#: PyPSA 1.4 splits the nodal balance by how many components a bus has (``Bus-meshed-30-...``)
_CANONICAL = re.compile(r"^Bus-meshed-\d+-nodal_balance$")
_BUS_COLUMN = re.compile(r"^bus\d*$")


class PricingError(RuntimeError):
    """The full and restricted models cannot be matched row by row; solve in full instead."""


@dataclass
class ScreeningReport:
    """What the screen, prune and price steps did.

    Attributes
    ----------
    screen_resolution : str
        Resolution of the screening solve.
    candidates, groups : int
        Candidate components and the groups they form.
    pruned : list of str
        Groups left out of the final hourly solve (named by their first member).
    readded : dict
        Groups the pricing step found profitable and put back, with their profit
        [CNY/a per MW] (``"unbounded"`` when a pruned column had no limit).
    rounds : int
        Hourly solves (1 = the pruned solve was already optimal).
    max_profit_cny_per_mw : float
        Largest profit any pruned group could earn per MW (MWh) of capacity at the final duals
        [CNY/a per MW]; at most ``tolerance`` when the solve is accepted.
    tolerance_cny_per_mw : float
        Profit below which a pruned group counts as not worth building [CNY/a per MW].
    screen_s, pricing_s : float
        Wall time of the screening solve and of all pricing steps [s].
    pricing_lp_s : float
        Of ``pricing_s``, HiGHS's time on the pricing LPs [s].
    fallback : str
        Why a plain full solve was used instead, or ``""``.
    """

    screen_resolution: str = ""
    candidates: int = 0
    groups: int = 0
    pruned: list[str] = field(default_factory=list)
    readded: dict[str, float | str] = field(default_factory=dict)
    rounds: int = 0
    max_profit_cny_per_mw: float = 0.0
    tolerance_cny_per_mw: float = 0.0
    screen_s: float = 0.0
    pricing_s: float = 0.0
    pricing_lp_s: float = 0.0
    fallback: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``summary.json``."""
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}


def _bus_columns(static: pd.DataFrame) -> list[str]:
    return [c for c in static.columns if _BUS_COLUMN.match(c)]


def candidate_groups(n: pypsa.Network) -> tuple[pd.Series, dict[int, list[str]]]:
    """Candidate components and the groups they form.

    Parameters
    ----------
    n : pypsa.Network
        The network before solving.

    Returns
    -------
    members : pd.Series
        Group id, indexed by (component type, name) of every candidate.
    buses : dict
        Group id -> the buses only that group attaches to (removed with it).
    """
    keys: list[tuple[str, str]] = []
    for c, attr in CAPACITY.items():
        static = n.components[c].static
        if static.empty:
            continue
        cand = static[static[f"{attr}_extendable"] & (static[f"{attr}_min"] == 0)]
        keys += [(c, name) for name in cand.index]
    is_candidate = set(keys)
    # every attachment (bus, component) of the network
    attached: dict[str, list[tuple[str, str]]] = {}
    for comp in n.components:
        if comp.name == "Bus" or comp.static.empty:
            continue
        for col in _bus_columns(comp.static):
            for name, bus in comp.static[col].items():
                if isinstance(bus, str) and bus:
                    attached.setdefault(bus, []).append((comp.name, name))
    internal = {bus: comps for bus, comps in attached.items()
                if all(k in is_candidate for k in comps)}
    # union-find over candidates joined by internal buses and CHP pairs
    parent = {k: k for k in keys}

    def find(k: tuple[str, str]) -> tuple[str, str]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: tuple[str, str], b: tuple[str, str]) -> None:
        parent[find(a)] = find(b)

    for comps in internal.values():
        for other in comps[1:]:
            union(comps[0], other)
    from energy.network.chp import chp_pairs

    for pair in chp_pairs(n):
        a, b = ("Link", pair["power"]), ("Link", pair["heat"])
        if a in parent and b in parent:
            union(a, b)
    roots = {k: find(k) for k in keys}
    ids = {root: i for i, root in enumerate(dict.fromkeys(roots.values()))}
    members = pd.Series({k: ids[r] for k, r in roots.items()}, dtype=int)
    members.index = pd.MultiIndex.from_tuples(members.index, names=["component", "name"])
    buses: dict[int, list[str]] = {}
    for bus, comps in internal.items():
        buses.setdefault(int(members[comps[0]]), []).append(bus)
    return members, buses


def unbuilt_groups(members: pd.Series, screened: pypsa.Network, tol: float) -> set[int]:
    """Groups whose every member the screening solve left below ``tol`` [MW or MWh]."""
    built: set[int] = set()
    for (c, name), group in members.items():
        size = float(screened.components[c].static.at[name, f"{CAPACITY[c]}_opt"])
        if size > tol:
            built.add(int(group))
    return set(members.unique().tolist()) - built


def group_label(members: pd.Series, group: int) -> str:
    """A readable name of a group: its first member, and how many more it has."""
    names = [name for (_, name), g in members.items() if g == group]
    return names[0] if len(names) == 1 else f"{names[0]} (+{len(names) - 1})"


def restrict(n: pypsa.Network, members: pd.Series, buses: dict[int, list[str]],
             pruned: set[int]) -> pypsa.Network:
    """A copy of ``n`` without the pruned groups (and the buses only they used)."""
    r = n.copy()
    drop = members[members.isin(pruned)]
    for c, names in drop.groupby(level="component"):
        r.remove(c, list(names.index.get_level_values("name")))
    gone = [bus for g in pruned for bus in buses.get(g, [])]
    if gone:
        r.remove("Bus", gone)
    return r


def _by_key(items: Any, field: str = "labels") -> dict[str, pd.Series]:
    """A field (``labels`` or ``dual``) of a model's variables or constraints, by key.

    The key is the canonical name; each series is indexed by the coordinates of the active
    entries (label >= 0), so the same row or column of two models has the same key and index.
    """
    out: dict[str, list[pd.Series]] = {}
    for name, obj in items:
        labels, values = obj.labels, getattr(obj, field)
        if labels.ndim == 0:
            s = pd.Series([values.item()], index=pd.Index(["-"]))[[int(labels) >= 0]]
        else:
            s = values.to_series()[labels.to_series() >= 0]
        out.setdefault(_CANONICAL.sub("Bus-nodal_balance", name), []).append(s)
    return {k: pd.concat(v) if len(v) > 1 else v[0] for k, v in out.items()}


def _positions(labels: np.ndarray) -> np.ndarray:
    pos = np.full(int(labels.max()) + 1 if len(labels) else 0, -1, dtype=np.int64)
    pos[labels] = np.arange(len(labels))
    return pos


def _groups_of(index: pd.Index, group_of: dict[str, int]) -> np.ndarray:
    """Group id of each variable entry, by the component name in its coordinates (-1: none)."""
    dims = [d for d in index.names if d not in (None, "snapshot")]
    if not dims:
        return np.full(len(index), -1, dtype=int)
    owner = pd.Series(index.get_level_values(dims[0])).map(group_of)
    return owner.fillna(-1).to_numpy(dtype=int)


def price_pruned(full: pypsa.Network, restricted: pypsa.Network, scenario: Scenario,
                 members: pd.Series, pruned: set[int]) -> pd.Series:
    """Most each pruned group could earn per MW (MWh) at the restricted solution's duals.

    Parameters
    ----------
    full : pypsa.Network
        The network with every candidate (not solved; its linopy model is built here and
        dropped again).
    restricted : pypsa.Network
        The solved network without the pruned groups; its ``model`` holds the duals (and is
        dropped once they are read, to keep the peak memory down).
    scenario : Scenario
        For the extra constraints.
    members : pd.Series
        Group id of every candidate (:func:`candidate_groups`).
    pruned : set of int
        The groups left out of ``restricted``.

    Returns
    -------
    pd.Series
        Profit of each pruned group [CNY/a] with each capacity capped at 1 MW (MWh), i.e.
        [CNY/a per MW]; 0 or less means building it cannot lower the system cost.
        ``attrs["highs_s"]``: HiGHS's time on the pricing LPs [s].

    Raises
    ------
    PricingError
        When a row that only the full model has involves a kept column (the models differ by
        more than the pruned groups), or the models are scaled.
    """
    t0 = time.perf_counter()
    duals = _by_key(restricted.model.constraints.items(), "dual")
    kept = _by_key(restricted.model.variables.items())
    restricted._model = None  # only its duals are needed: free it before the full model
    gc.collect()
    m = full.optimize.create_model(include_objective_constant=False,
                                   multi_investment_periods=False)
    extra_functionality(scenario)(full, full.snapshots)
    try:
        mat = m.matrices
        logger.info("pricing: full model and matrices in %.1f s", time.perf_counter() - t0)
        if not (mat.var_scaling == 1).all():
            raise PricingError("the full model uses variable scaling")
        A = mat.A.tocsr()
        rpos = _positions(mat.clabels)
        cpos = _positions(mat.vlabels)
        # duals of the restricted solution on the full model's rows
        y = np.zeros(A.shape[0])
        only_full = np.ones(A.shape[0], dtype=bool)
        for key, labels in _by_key(m.constraints.items()).items():
            if key not in duals:
                continue
            dual = duals[key].reindex(labels.index)
            hit = dual.notna().to_numpy()
            rows = rpos[labels.to_numpy()[hit]]
            ok = rows >= 0
            y[rows[ok]] = dual.to_numpy()[hit][ok]
            only_full[rows[ok]] = False
        # columns the restricted model lacks
        missing = np.zeros(A.shape[1], dtype=bool)
        owner = np.full(A.shape[1], -1, dtype=int)
        capacity = np.zeros(A.shape[1], dtype=bool)
        group_of = {name: int(g) for (_, name), g in members.items()}
        for key, labels in _by_key(m.variables.items()).items():
            cols = cpos[labels.to_numpy()]
            have = kept[key].reindex(labels.index).notna().to_numpy() if key in kept else \
                np.zeros(len(labels), dtype=bool)
            missing[cols[~have]] = True
            owner[cols] = _groups_of(labels.index, group_of)
            capacity[cols] = key in _CAPACITY_VARIABLES
        logger.info("pricing: rows and columns matched at %.1f s", time.perf_counter() - t0)
        J = np.flatnonzero(missing)
        R = np.flatnonzero(only_full)
        leak = A[R][:, np.flatnonzero(~missing)]
        if leak.count_nonzero():
            raise PricingError(f"{leak.count_nonzero()} coefficients of kept columns in rows "
                               "only the full model has")
        unowned = J[~np.isin(owner[J], list(pruned))]
        if len(unowned):
            raise PricingError(f"{len(unowned)} missing columns belong to no pruned group")
        reduced = mat.c[J] - A[:, J].T @ y
        x, highs_s = _pricing_lp(A[R][:, J], mat.b[R], mat.sense[R], mat.lb[J],
                                 np.where(capacity[J], np.minimum(mat.ub[J], 1.0), mat.ub[J]),
                                 reduced)
        logger.info("pricing: %d columns, %d rows priced at %.1f s", len(J), len(R),
                    time.perf_counter() - t0)
        by_group = pd.Series(-reduced * x, index=owner[J]).groupby(level=0).sum()
        profit = by_group.reindex(sorted(pruned), fill_value=0.0)
        profit.attrs["highs_s"] = highs_s
        return profit
    finally:
        full._model = None


def _pricing_lp(A: scipy.sparse.csr_array, b: np.ndarray, sense: np.ndarray, lb: np.ndarray,
                ub: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, float]:
    """Solve ``min cost.x`` s.t. ``A x (sense) b``, ``lb <= x <= ub``; return x and HiGHS [s].

    The rows only pruned columns appear in never join two groups, so the LP falls apart into
    independent blocks (found as connected components of ``A``). Each block is solved on its
    own with the dual simplex: on base at 1 h (66 blocks, 970 k columns) 27 s, against 75-107 s
    for HiGHS's interior point on the whole LP. Columns in no row sit at the bound
    their cost prefers (an infinite bound gives an infinite profit, i.e. "put it back").
    """
    n_rows, n_cols = A.shape
    x = np.where(cost < 0, ub, np.where(cost > 0, lb, 0.0))
    graph = scipy.sparse.bmat([[None, A], [A.T, None]]).tocsr()
    _, label = scipy.sparse.csgraph.connected_components(graph, directed=False)
    row_block, col_block = label[:n_rows], label[n_rows:]
    in_rows = np.zeros(n_cols, dtype=bool)
    in_rows[A.indices] = True
    inf = highspy.kHighsInf
    row_lower = np.where(sense == "<", -inf, b)
    row_upper = np.where(sense == ">", inf, b)
    cols_of = pd.Series(np.arange(n_cols)[in_rows]).groupby(col_block[in_rows]).agg(list)
    rows_of = pd.Series(np.arange(n_rows)).groupby(row_block).agg(list)
    csc = scipy.sparse.csc_array(A)
    highs_s = 0.0
    for block, cols in cols_of.items():
        cols, rows = np.asarray(cols), np.asarray(rows_of[block])
        sub = scipy.sparse.csc_array(csc[:, cols][rows, :])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(cols), len(rows)
        lp.col_cost_ = cost[cols]
        lp.col_lower_ = np.where(np.isfinite(lb[cols]), lb[cols], -inf)
        lp.col_upper_ = np.where(np.isfinite(ub[cols]), ub[cols], inf)
        lp.row_lower_, lp.row_upper_ = row_lower[rows], row_upper[rows]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = sub.indptr
        lp.a_matrix_.index_ = sub.indices
        lp.a_matrix_.value_ = sub.data
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("solver", "simplex")
        h.passModel(lp)
        h.run()
        highs_s += h.getRunTime()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            x[cols] = np.where(cost[cols] < 0, np.inf, 0.0)
            continue
        if status != highspy.HighsModelStatus.kOptimal:
            raise PricingError(f"pricing LP block {block}: {h.modelStatusToString(status)}")
        x[cols] = h.getSolution().col_value
    return x, highs_s


def copy_solution(full: pypsa.Network, restricted: pypsa.Network) -> None:
    """Write the restricted solution into ``full``.

    Pruned components get zero capacity and dispatch, and the buses only they used a zero
    price (nothing there is produced or consumed).
    """
    for comp in full.components:
        if comp.static.empty:
            continue
        outputs = comp.defaults.index[comp.defaults.status.str.startswith("Output")]
        source = restricted.components[comp.name]
        for attr in outputs:
            if (attr in comp.static.columns and attr in source.static.columns
                    and pd.api.types.is_numeric_dtype(source.static[attr])):
                comp.static[attr] = source.static[attr].reindex(comp.static.index,
                                                                fill_value=0.0)
            if attr in source.dynamic and not source.dynamic[attr].empty:
                comp.dynamic[attr] = source.dynamic[attr].reindex(columns=comp.static.index,
                                                                  fill_value=0.0)
    full._objective = restricted.objective  # PyPSA keeps the optimum there (no setter)
    full._objective_constant = restricted.objective_constant


def _staged(attempts: list[dict[str, Any]], stage: str) -> list[dict[str, Any]]:
    return [{"stage": stage, **a} for a in attempts]


def screen_network(n: pypsa.Network, resolution: str) -> pypsa.Network:
    """A time-aggregated copy of the hourly network for the screening solve."""
    from energy.network.build import set_resolution

    return set_resolution(n.copy(), resolution)


def solve_screened(n: pypsa.Network, scenario: Scenario,
                   solve: Callable[[pypsa.Network, Scenario], SolveReport],
                   ) -> tuple[SolveReport, ScreeningReport]:
    """Solve ``n`` (hourly, single period) by screen, prune and price.

    Parameters
    ----------
    n : pypsa.Network
        The hourly network; receives the solution (pruned candidates at 0).
    scenario : Scenario
        Supplies the solver settings (``solver.screen_resolution``, ``screening_tolerance``,
        ``screening_rounds``).
    solve : callable
        ``solve(network, scenario) -> SolveReport``: the plain preset-chain solve.

    Returns
    -------
    tuple
        The accepted hourly solve's report and the :class:`ScreeningReport`.
    """
    cfg = scenario.solver
    info = ScreeningReport(screen_resolution=cfg.screen_resolution,
                           tolerance_cny_per_mw=cfg.screening_tolerance)
    members, buses = candidate_groups(n)
    info.candidates, info.groups = len(members), int(members.nunique())
    if members.empty:
        info.fallback = "no candidates to screen"
        return solve(n, scenario), info
    t0 = time.perf_counter()
    screened = screen_network(n, cfg.screen_resolution)
    attempts = _staged(solve(screened, scenario).attempts, "screen")
    info.screen_s = time.perf_counter() - t0
    pruned = unbuilt_groups(members, screened, cfg.screen_build_tolerance)
    logger.info("screen at %s: %d of %d candidate groups unbuilt (%.1f s)",
                cfg.screen_resolution, len(pruned), info.groups, info.screen_s)
    del screened
    for _ in range(cfg.screening_rounds):
        if not pruned:
            break
        restricted = restrict(n, members, buses, pruned)
        try:
            report = solve(restricted, scenario)
        except InfeasibleError:
            # the hours need a group the coarse screen did without (e.g. firm capacity for a
            # reserve margin on the hourly peak): no duals to price with, so solve in full
            info.fallback = "the pruned hourly LP is infeasible"
            logger.warning("%s; solving the full model", info.fallback)
            break
        attempts += _staged(report.attempts, "pruned")
        info.rounds += 1
        t1 = time.perf_counter()
        try:
            profit = price_pruned(n, restricted, scenario, members, pruned)
        except PricingError as err:
            info.fallback = str(err)
            logger.warning("pricing failed (%s); solving the full model", err)
            break
        finally:
            info.pricing_s += time.perf_counter() - t1
        info.pricing_lp_s += profit.attrs.get("highs_s", 0.0)
        finite = profit[np.isfinite(profit)]
        info.max_profit_cny_per_mw = float(finite.max()) if len(finite) else 0.0
        profitable = set(profit.index[profit > cfg.screening_tolerance].tolist())
        logger.info("pricing round %d: %d pruned groups, largest profit %.4g CNY/a per MW",
                    info.rounds, len(pruned), info.max_profit_cny_per_mw)
        if not profitable:
            copy_solution(n, restricted)
            report.attempts = attempts
            info.pruned = [group_label(members, g) for g in sorted(pruned)]
            return report, info
        info.readded.update({
            group_label(members, g): round(float(profit[g]), 1)
            if np.isfinite(profit[g]) else "unbounded" for g in sorted(profitable)})
        pruned -= profitable
    else:
        info.fallback = info.fallback or f"still profitable after {cfg.screening_rounds} rounds"
    restricted = None  # free the last restricted network before the full LP
    report = solve(n, scenario)
    report.attempts = attempts + _staged(report.attempts, "full")
    info.pruned = []
    return report, info
