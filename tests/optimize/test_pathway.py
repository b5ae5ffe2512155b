"""Pathway 2025 → 2030 → 2035: perfect foresight vs myopic on a short horizon."""

import json

import numpy as np
import pandas as pd
import pytest

from energy.network.export import OFFTAKE
from energy.network.time import duration_values
from energy.optimize import solve_network
from energy.optimize.pathway import build_perfect_foresight, solve_pathway
from energy.results.periods import discounted_total, period_costs
from tests.solve_helpers import inputs_and_profiles, scenario

#: the zone model solved several times: run by `make test-slow`, not `make test`
pytestmark = pytest.mark.slow

HOURS = 24


@pytest.fixture(scope="module")
def pathways():
    inputs, profiles = inputs_and_profiles()
    common = ["technologies.line_expansion=false", "export.enabled=false"]
    pf = scenario(*common, "pathway.mode=perfect_foresight", hours=HOURS)
    my = scenario(*common, "pathway.mode=myopic", hours=HOURS)
    n_pf, _ = solve_pathway(pf, inputs, profiles)
    nets, _ = solve_pathway(my, inputs, profiles)
    return pf, n_pf, my, nets


def test_capacity_built_in_2030_is_present_until_its_lifetime_ends(pathways):
    _, n, _, _ = pathways
    g = n.generators
    # 2025 is history: nothing can be built then (the fuel markets, extendable at no capital
    # cost without limit, are supplies, not investments)
    market = (g.capital_cost == 0) & (g.p_nom_max == float("inf"))
    assert not (g.p_nom_extendable & ~market & (g.build_year <= 2025)).any()
    built_2030 = g[(g.build_year == 2030) & g.p_nom_extendable & (g.p_nom_opt > 1)]
    assert not built_2030.empty
    for period in (2025, 2030, 2035):
        active = n.components["Generator"].get_active_assets(period)
        alive = (built_2030.build_year <= period) & (
            built_2030.build_year + built_2030.lifetime > period)
        assert (active[built_2030.index] == alive).all()
    # a plant whose lifetime ends inside the horizon is active before and inactive after
    links = n.links[~n.links.p_nom_extendable & (n.links.lifetime < 100)]
    ending = links[(links.build_year + links.lifetime > 2025)
                   & (links.build_year + links.lifetime <= 2035) & (links.p_nom > 0)
                   # the zone's plants (the neighbour's per-period copies live one period)
                   & (links.bus1.map(n.buses.location) == "zone")]
    assert not ending.empty  # the Xishan CMM engines (2010 + 20 a)
    for name, row in ending.iterrows():
        end = row.build_year + row.lifetime
        first_after = min(p for p in (2025, 2030, 2035) if p >= end)
        assert n.components["Link"].get_active_assets(2025)[name], name
        assert not n.components["Link"].get_active_assets(first_after)[name]


def test_perfect_foresight_costs_no_more_than_myopic(pathways):
    # over the objective's scope: the whole modelled system, zone and rest of Shanxi
    pf, n_pf, my, nets = pathways
    total_pf = discounted_total(period_costs(n_pf, "all"), pf)
    total_my = discounted_total(pd.concat([period_costs(n, "all") for n in nets.values()]), my)
    assert total_pf <= total_my * (1 + 1e-4)


def test_myopic_carries_capacity_forward(pathways):
    _, _, _, nets = pathways
    g30 = nets[2030].generators
    built = g30[g30.p_nom_extendable & (g30.p_nom_opt > 1)]
    assert not built.empty
    g35 = nets[2035].generators
    for name, row in built.iterrows():
        carried = g35[g35.candidate == name] if "candidate" in g35 else g35.iloc[:0]
        assert carried.p_nom.sum() == pytest.approx(row.p_nom_opt, rel=1e-6)


def test_cli_pathway_writes_per_period_results(tmp_path):
    import subprocess
    import sys

    from energy.pipeline import ROOT
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--results", str(tmp_path), "solve",
         "--scenario", "pathway", "--resolution", "1h", "--set", f"snapshots_limit={HOURS}"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "pathway"
    summary = json.loads((folder / "summary.json").read_text())
    assert sorted(summary["periods"]) == ["2025", "2030", "2035"]
    # what is built and standing, not the value-of-lost-load generators (carriers.csv: unserved)
    from energy.carriers import with_role
    for figures in summary["periods"].values():
        assert figures["capacity_mw"].get("onwind", 0.0) > 0
        assert not set(figures["capacity_mw"]) & set(with_role("unserved"))
    for name in ("capacity", "costs", "emissions"):
        table = pd.read_csv(folder / f"{name}.csv")
        assert sorted(table.period.unique()) == [2025, 2030, 2035]
    # recorded in the results store as it was written: one IAMC block per period
    from energy.store import load

    data = load(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    assert data.runs.kind.tolist() == ["pathway"]
    cost = data.iamc[data.iamc.variable == "Cost|Total System"].set_index("year").value
    for period, figures in summary["periods"].items():
        assert cost[int(period)] == pytest.approx(figures["system_cost"], rel=1e-6)


def test_the_export_contract_follows_the_schedule_period_by_period():
    inputs, profiles = inputs_and_profiles()
    s = scenario("technologies.line_expansion=false", "export.enabled=true",
                 "pathway.mode=perfect_foresight", hours=HOURS)
    n = build_perfect_foresight(s, inputs, profiles)
    offtakes = n.generators[n.generators.carrier == OFFTAKE]
    schedule = inputs.export_contract.set_index("year").energy_twh
    w = n.snapshot_weightings.generators
    for period in (2025, 2030, 2035):
        live = offtakes.index[n.components["Generator"].get_active_assets(period)[offtakes.index]]
        if schedule[period] == 0:
            assert live.empty  # no contract, no corridor
            continue
        assert len(live) == 1
        pu = n.get_switchable_as_dense("Generator", "p_min_pu").loc[period, live[0]]
        delivered = float((-pu * offtakes.p_nom[live[0]] * w.loc[period]).sum())
        assert delivered == pytest.approx(schedule[period] * 1e6 * w.loc[period].sum() / 8760)


def test_segmented_pathway_shares_one_segmentation_and_keeps_the_hourly_cost():
    """``seg<N>`` with investment periods: the same N segments in every period, each weighted
    by its length, each year's series over them, and an optimum close to the hourly one's."""
    inputs, profiles = inputs_and_profiles()
    common = ["technologies.line_expansion=false", "export.enabled=false",
              "pathway.mode=perfect_foresight"]
    hourly = scenario(*common, hours=48)
    seg = hourly.model_copy(update={"resolution": "seg16"})
    n = build_perfect_foresight(seg, inputs, profiles)
    h = build_perfect_foresight(hourly, inputs, profiles)
    weights = n.snapshot_weightings.objective
    assert list(n.investment_periods) == [2025, 2030, 2035] and len(n.snapshots) == 3 * 16
    for period in (2025, 2030, 2035):
        assert weights.loc[period].sum() == pytest.approx(8760.0)  # 48 h stand for a year
        assert list(weights.loc[period]) == list(weights.loc[2025])  # one segmentation
    # each period's load: that year's hourly load over the shared segments
    length = np.rint(weights.loc[2030].to_numpy() * 48 / 8760).astype(int)
    of_hour = np.repeat(np.arange(16), length)
    loads = n.loads_t.p_set.columns
    expected = duration_values(h.loads_t.p_set.loc[2030, loads].to_numpy(), of_hour, 16)
    np.testing.assert_allclose(n.loads_t.p_set.loc[2030, loads].to_numpy(), expected,
                               rtol=1e-9)
    solve_network(n, seg)
    solve_network(h, hourly)
    assert n.objective + n.objective_constant == pytest.approx(
        h.objective + h.objective_constant, rel=0.02)
