"""Near-optimal alternatives: the range of each planning decision within a cost slack.

Modelling to generate alternatives (MGA), as PyPSA's ``n.optimize.optimize_mga``, written on
the linopy model so that the model keeps this project's own constraints (battery power tie, CHP
regions, policies; ``optimize_mga`` rebuilds the model without ``extra_functionality``) and so
that one model serves every decision and slack. PyPSA 1.4's budget constraint
(``_add_near_opt_constraint``) recomputes the optimal cost from the network's *current*
solution, which after the first alternative is no longer the optimum; here the optimum's
system cost is fixed once.

For a solved network with system cost ``C*`` (``n.statistics`` capex + opex, as
``summary.json``) and objective value ``z*`` (which leaves out the fixed costs of
non-extendable assets), the alternative model is the same LP with

    objective expression + (C* - z*) <= C* + slack B               ("budget")

and the objective replaced by ``±`` the decision's capacity, a weighted sum of the nominal
capacity variables of its extendable components (selected by carrier, :data:`DECISIONS`).
Each alternative's system cost is recomputed from its solution and checked against the budget.
``B``, what the slack is a share of, is the zone's system cost by default
(``near_optimal.slack_of: zone``): the objective covers the rest of Shanxi's operating cost too,
about eight times the zone's, so a slack of the whole (``slack_of: system``) would let a "2 %"
alternative cost the zone some 16 % more.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.network.costs import fixed_cost_table
from energy.network.flexibility import start_up_costs
from energy.network.regions import zone_accounts
from energy.optimize.constraints import extra_functionality
from energy.optimize.errors import SolveError
from energy.optimize.highs import solver_options

logger = logging.getLogger(__name__)

NOMINAL = {"Generator": "p_nom", "Link": "p_nom", "StorageUnit": "p_nom", "Store": "e_nom",
           "Line": "s_nom"}
#: a budget may be exceeded by this share of C* (the interior-point tolerance) [p.u.]
BUDGET_RTOL = 1e-4
#: an optimum this close to a bound sits at it (an interior-point solve leaves 0.01-0.04 MW on
#: every unbuilt candidate) [MW]; that end of the range needs no LP
AT_BOUND_MW = 1.0


@dataclass(frozen=True)
class Decision:
    """A planning decision: components of some carriers, capacity weighted by an attribute.

    Attributes
    ----------
    label : str
        What is measured.
    component : str
        PyPSA component class.
    carriers : tuple of str
        Carriers whose components count.
    weight : str or None
        Static attribute multiplying the nominal capacity (``efficiency``: a gas turbine's
        fuel-input ``p_nom`` times its efficiency is its electric capacity); ``None`` = 1.
    """

    label: str
    component: str
    carriers: tuple[str, ...]
    weight: str | None = None


#: the decisions a planner argues about (keys of ``near_optimal.decisions``)
DECISIONS: dict[str, Decision] = {
    "phs": Decision("pumped storage power [MW]", "StorageUnit", ("PHS",)),
    "battery": Decision("battery energy [MWh]", "Store", ("battery",)),
    "onwind": Decision("onshore wind [MW]", "Generator", ("onwind",)),
    "solar": Decision("solar PV [MW]", "Generator", ("solar",)),
    "gas_turbines": Decision("gas turbines OCGT + CCGT [MW_el]", "Link", ("OCGT", "CCGT"),
                             "efficiency"),
    "corridor": Decision("export corridor [MW]", "Link", ("export corridor",)),
    "line_expansion": Decision("500 kV line capacity [MW]", "Line", ("AC",)),
}


def system_cost(n: pypsa.Network) -> float:
    """Annual system cost of the network's current solution [CNY/a].

    As ``system_cost_total`` of ``summary.json``: annuity of new capacity and fixed O&M
    (:func:`energy.network.costs.fixed_cost_table`), operating cost and the start-up costs of
    committed plants.
    """
    fixed = fixed_cost_table(n)
    return float(fixed["capex"].sum() + fixed["fom"].sum()
                 + n.statistics.opex(nice_names=False).sum() + start_up_costs(n).sum())


def _weights(n: pypsa.Network, decision: Decision) -> pd.Series:
    """Weight of each of the zone's components in the decision.

    The rest of Shanxi's fleet, fixed to its plans, would only add a constant to every figure.
    """
    static = n.components[decision.component].static
    members = static[static.carrier.isin(decision.carriers)
                     & zone_accounts(n, decision.component)]
    w = members[decision.weight].astype(float) if decision.weight else pd.Series(1.0, members.index)
    return w


def decision_value(n: pypsa.Network, decision: Decision) -> float:
    """Capacity of a decision in the network's current solution [MW] (battery [MWh])."""
    w = _weights(n, decision)
    nom = NOMINAL[decision.component]
    return float((n.components[decision.component].static[f"{nom}_opt"].reindex(w.index)
                  * w).sum())


def fixed_part(n: pypsa.Network, decision: Decision) -> float:
    """Capacity of the decision's non-extendable components [MW]."""
    static = n.components[decision.component].static
    nom = NOMINAL[decision.component]
    w = _weights(n, decision)
    ext = static[f"{nom}_extendable"].reindex(w.index).fillna(False).astype(bool)
    return float((static[nom].reindex(w.index)[~ext] * w[~ext]).sum())


def _bounds(n: pypsa.Network, decision: Decision) -> tuple[float, float, bool]:
    """Smallest and largest possible capacity [MW] and whether anything is extendable."""
    static = n.components[decision.component].static
    nom = NOMINAL[decision.component]
    w = _weights(n, decision)
    ext = static[f"{nom}_extendable"].reindex(w.index).fillna(False).astype(bool)
    fixed = float((static[nom].reindex(w.index)[~ext] * w[~ext]).sum())
    lo = fixed + float((static[f"{nom}_min"].reindex(w.index)[ext] * w[ext]).sum())
    hi = fixed + float((static[f"{nom}_max"].reindex(w.index)[ext] * w[ext]).sum())
    return lo, hi, bool(ext.any())


def _copy(n: pypsa.Network) -> pypsa.Network:
    """A copy of the solved network without its linopy model.

    PyPSA refuses to copy a network with an attached solver, so the HiGHS instance of ``n`` is
    released first (its solution and duals stay in ``n`` and ``n.model``); the copy takes the
    rebuild path, which copies data, weightings and ``meta`` but not the model.
    """
    if getattr(n, "_model", None) is not None:
        n.model.solver_model = None
    transform = logging.getLogger("pypsa.network.transform")
    level = transform.level
    transform.setLevel(logging.ERROR)  # the rebuild path warns about PyPSA's own attributes
    try:
        return n.copy(snapshots=n.snapshots)
    finally:
        transform.setLevel(level)


def _solve(w: pypsa.Network, scenario: Scenario) -> tuple[str, str]:
    """Solve the alternative model (linopy directly: no solution assigned to ``w``)."""
    first = scenario.near_optimal.preset
    chain = [first] + [p for p in scenario.solver.fallback if p != first]
    status, termination = "", ""
    for preset in chain:
        status, termination = w.model.solve(solver_name="highs", log_to_console=False,
                                            **solver_options(preset, scenario))
        if status == "ok" and termination == "optimal":
            break
    return status, termination


@dataclass(frozen=True)
class Alternative:
    """One alternative LP: a decision's capacity minimised or maximised within a slack."""

    decision: str
    slack: float
    end: str  # "min" or "max"


def _alternatives(n: pypsa.Network, scenario: Scenario) -> list[Alternative]:
    """The LPs to run: every end of every extendable decision that the optimum is not at."""
    out = []
    for key in scenario.near_optimal.decisions:
        decision = DECISIONS[key]
        at_opt = decision_value(n, decision)
        lo, hi, extendable = _bounds(n, decision)
        if not extendable:
            continue
        for slack in scenario.near_optimal.slacks:
            for end, bound in (("min", lo), ("max", hi)):
                if np.isfinite(bound) and abs(at_opt - bound) <= max(AT_BOUND_MW,
                                                                     1e-3 * abs(bound)):
                    continue  # the optimum already sits at this bound
                out.append(Alternative(key, slack, end))
    return out


def solve_alternatives(w: pypsa.Network, scenario: Scenario, optimum: float, constant: float,
                       basis: float, alternatives: list[Alternative], recompute: bool = False
                       ) -> list[dict[str, Any]]:
    """Solve alternative LPs on one model built from a copy of the solved network.

    Parameters
    ----------
    w : pypsa.Network
        A copy of the solved network without its model (:func:`_copy`); its model is built
        here once and serves every alternative (the budget's right-hand side and the objective
        change between them).
    scenario : Scenario
        Constraints (``extra_functionality``), solver settings.
    optimum : float
        The optimum's system cost ``C*`` [CNY/a].
    constant : float
        ``C* - z*``: the fixed costs outside the objective [CNY/a].
    basis : float
        The cost a slack is a share of: an alternative may cost ``C* + slack x basis`` [CNY/a].
    alternatives : list of Alternative
        The LPs to solve, in order.
    recompute : bool
        Also assign each solution to ``w`` and recompute its system cost with ``n.statistics``.

    Returns
    -------
    list of dict
        Per alternative: decision, slack, end, value [MW] (battery [MWh]), cost [CNY/a],
        seconds.

    Raises
    ------
    SolveError
        An alternative LP without an optimal solution, or one whose cost breaks its budget.
    """
    w.optimize.create_model(include_objective_constant=False)
    extra_functionality(scenario)(w, w.snapshots)
    m = w.model
    cost = m.objective.expression
    m.add_constraints(cost <= optimum + scenario.near_optimal.slacks[0] * basis - constant,
                      name="budget")
    results = []
    for alt in alternatives:
        t0 = time.perf_counter()
        decision = DECISIONS[alt.decision]
        budget = optimum + alt.slack * basis
        m.constraints["budget"].update(rhs=budget - constant)
        weights = {decision.component: {NOMINAL[decision.component]: _weights(w, decision)}}
        expr = w.optimize.build_linexpr_from_weights(weights)
        m.objective = (1.0 if alt.end == "min" else -1.0) * expr
        status, termination = _solve(w, scenario)
        where = f"near-optimal {alt.decision} {alt.end} at slack {alt.slack:g}"
        if status != "ok" or termination != "optimal":
            raise SolveError(f"{where}: {status}/{termination}")
        value = fixed_part(w, decision) + float(expr.solution.sum())
        spent = float(cost.solution.sum()) + constant
        if recompute:
            w.optimize.assign_solution()
            spent, value = system_cost(w), decision_value(w, decision)
        if spent > budget + BUDGET_RTOL * optimum:
            raise SolveError(f"{where}: cost {spent:.6g} exceeds the budget {budget:.6g}")
        results.append({"decision": alt.decision, "slack": alt.slack, "end": alt.end,
                        "value": value, "cost": spent,
                        "seconds": round(time.perf_counter() - t0, 1)})
    return results


def _on_dask(w: pypsa.Network, scenario: Scenario, optimum: float, constant: float,
             basis: float, chunks: list[list[Alternative]], recompute: bool
             ) -> list[dict[str, Any]]:
    """Solve chunks of alternatives in parallel, one model per worker of a local Dask cluster."""
    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    with LocalCluster(n_workers=len(chunks), threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        futures = [client.submit(solve_alternatives, w, scenario, optimum, constant, basis,
                                 chunk, recompute, pure=False) for chunk in chunks]
        return [r for future in futures for r in future.result()]


def near_optimal_ranges(n: pypsa.Network, scenario: Scenario, recompute: bool = False,
                        basis: float | None = None) -> tuple[pd.DataFrame, dict]:
    """Smallest and largest capacity of each decision within each cost slack.

    Parameters
    ----------
    n : pypsa.Network
        The solved network (single year); its solution is not changed (alternatives are
        solved on a copy), its HiGHS instance is released.
    scenario : Scenario
        ``near_optimal.slacks``, ``.decisions``, ``.preset`` and ``.workers`` (more than one:
        the alternatives are shared among processes of a local Dask cluster, each with its own
        model); solver settings.
    recompute : bool
        Also assign each alternative's solution to the copy and recompute its system cost with
        ``n.statistics`` (slower; the default takes it from the objective expression, which
        equals it up to the constant of fixed assets).
    basis : float, optional
        The cost a slack is a share of [CNY/a]: an alternative may cost ``C* + slack x basis``.
        The pipeline passes the zone's system cost (``near_optimal.slack_of: zone``); None =
        ``C*``, the whole modelled system's cost (the LP's objective).

    Returns
    -------
    pandas.DataFrame
        One row per decision and slack: decision, label, slack [p.u.], existing (the lowest
        possible) [MW], optimum [MW], min [MW], max [MW], cost_at_min / cost_at_max
        [CNY/a], budget [CNY/a], solves (LPs run), status.
    dict
        The ``near_optimal`` block of ``summary.json``.

    Raises
    ------
    SolveError
        An alternative LP without an optimal solution, or one whose cost breaks its budget.
    """
    if len(n.investment_periods):
        raise SolveError("near-optimal ranges need a single-year scenario (not a pathway)")
    cfg = scenario.near_optimal
    unknown = sorted(set(cfg.decisions) - set(DECISIONS))
    if unknown:
        raise SolveError(f"near_optimal.decisions: unknown {unknown} (known: "
                         f"{', '.join(DECISIONS)})")
    t0 = time.perf_counter()
    optimum = system_cost(n)
    constant = optimum - float(n.objective)
    basis = optimum if basis is None else float(basis)
    if not basis > 0:
        raise SolveError(f"near-optimal: the cost the slack is a share of must be positive "
                         f"(got {basis:.6g} CNY/a; near_optimal.slack_of: system)")
    alternatives = _alternatives(n, scenario)
    w = _copy(n)
    workers = min(cfg.workers, len(alternatives))
    if workers > 1:
        chunks = [alternatives[i::workers] for i in range(workers)]
        results = _on_dask(w, scenario, optimum, constant, basis, chunks, recompute)
    else:
        results = solve_alternatives(w, scenario, optimum, constant, basis, alternatives,
                                     recompute)
    solved = {(r["decision"], r["slack"], r["end"]): r for r in results}
    rows: list[dict[str, Any]] = []
    for key in cfg.decisions:
        decision = DECISIONS[key]
        at_opt = decision_value(n, decision)
        lo, _, extendable = _bounds(n, decision)
        for slack in cfg.slacks:
            row = {"decision": key, "label": decision.label, "slack": slack, "existing": lo,
                   "optimum": at_opt, "min": at_opt, "max": at_opt, "cost_at_min": optimum,
                   "cost_at_max": optimum, "budget": optimum + slack * basis, "solves": 0,
                   "status": "ok" if extendable else "not a decision in this scenario"}
            for end in ("min", "max"):
                r = solved.get((key, slack, end))
                if r is not None:
                    row[end], row[f"cost_at_{end}"] = r["value"], r["cost"]
                    row["solves"] += 1
            rows.append(row)
    table = pd.DataFrame(rows)
    block = {
        "slacks": list(cfg.slacks),
        "optimal_system_cost": optimum,
        "slack_of": cfg.slack_of,
        "slack_basis": basis,
        "unit": "MW (battery: MWh)",
        "resolution": scenario.resolution,
        "solves": len(results),
        "workers": max(workers, 1),
        "seconds": round(time.perf_counter() - t0, 1),
        "lp_seconds": [r["seconds"] for r in results],
        "ranges": {
            key: {"label": grp.label.iloc[0], "optimum": float(grp.optimum.iloc[0]),
                  "status": grp.status.iloc[0],
                  **{f"{s:g}": [float(r["min"]), float(r["max"])]
                     for s, r in zip(grp.slack, grp.to_dict(orient="records"), strict=True)}}
            for key, grp in table.groupby("decision", sort=False)
        },
    }
    return table, block
