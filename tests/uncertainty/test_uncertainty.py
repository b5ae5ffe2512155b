"""`uncertainty`: factors as data, Latin hypercube on Dask, a killed worker loses nothing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from energy.config import resolve_scenario
from energy.inputs import InputError, load_inputs
from energy.pipeline import ROOT, Paths
from energy.sweep import run_one
from energy.uncertainty import BASE, read_factors, run_uncertainty
from energy.uncertainty.analysis import percentiles
from energy.uncertainty.design import design_table, unit_design

pytest.importorskip("distributed")

HEADER = "factor_id,file,rows,column,distribution,low,high,source,confidence,note\n"
DEMAND = "demand_2035,demand.csv,year=2035,annual_mwh,triangular,0.7,1.3,estimate,low,+-30 %\n"
KILL_ONCE = "s001"  # the sample whose first worker dies


def killing_task(spec, paths):  # noqa: ANN001, ANN201 - executed on a Dask worker
    """Kill the worker the first time it runs KILL_ONCE (a marker file remembers)."""
    marker = Path(paths.results) / f".killed-{spec.name}"
    if spec.name == KILL_ONCE and not marker.exists():
        marker.touch()
        (Path(paths.results) / f".{spec.name}.tmp-halfwritten").mkdir(exist_ok=True)
        os._exit(13)
    return run_one(spec, paths)


@pytest.fixture(scope="module")
def inputs():  # noqa: ANN201
    return load_inputs(ROOT / "network_data")


def _factors(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "uncertainty.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_shipped_factors_cover_the_issue_list(inputs) -> None:  # noqa: ANN001
    factors = {f.factor_id: f for f in read_factors(ROOT / "network_data" / "uncertainty.csv",
                                                    inputs)}
    files = {f.file for f in factors.values()}
    assert {"demand.csv", "renewable_sites.csv", "costs.csv", "fuels.csv", "gas.csv",
            "export_corridor.csv", "neighbour_demand.csv", "neighbour_fleet.csv",
            "neighbour_outbound.csv"} <= files
    assert {"demand_2025", "demand_2030", "demand_2035", "onwind_potential", "solar_potential",
            "pv_cost", "wind_cost", "battery_cost", "phs_cost", "gas_turbine_cost",
            "corridor_cost", "coal_price", "gas_price", "cbm_volume", "neighbour_load",
            "neighbour_renewables", "neighbour_storage", "neighbour_thermal",
            "outbound"} <= set(factors)
    # the flat-price exchange is off by default: a factor on it would move nothing
    assert "boundary.csv" not in files
    for f in factors.values():
        assert f.low <= 1.0 <= f.high and f.source and f.note
        # the range follows from the confidence: low-confidence inputs get at least +-15 %
        if f.confidence == "low":
            assert f.high - f.low >= 0.15 - 1e-9


@pytest.mark.slow
def test_neighbour_factors_move_what_the_network_is_built_from(inputs) -> None:  # noqa: ANN001
    """Each neighbour factor at its high end changes the 2035 neighbour it names, and only it."""
    from energy.config import InputScaling
    from energy.inputs.scaling import scale_inputs
    from energy.network import build_network
    from tests.solve_helpers import inputs_and_profiles, scenario

    factors = {f.factor_id: f for f in read_factors(ROOT / "network_data" / "uncertainty.csv",
                                                    inputs)}
    shipped, profiles = inputs_and_profiles()
    s = scenario(hours=24)
    base = build_network(s, shipped, profiles)

    def built(factor_id: str):  # noqa: ANN202
        f = factors[factor_id]
        scaled = scale_inputs(shipped, [InputScaling(file=f.file, rows=f.rows, column=f.column,
                                                     factor=f.high, factor_id=f.factor_id)])
        return f, build_network(s, scaled, profiles)

    at_neighbour = base.loads.bus.isin(["SXN", "SXC"])
    neighbour_loads = base.loads.index[at_neighbour & (base.loads.carrier == "AC")]
    outbound_firm = base.loads.index[at_neighbour & (base.loads.carrier == "outbound")]
    f, n = built("neighbour_load")
    grew = n.loads_t.p_set[neighbour_loads].sum().sum() / \
        base.loads_t.p_set[neighbour_loads].sum().sum()
    assert grew > f.high  # consumption x f minus the same zone demand: the rest grows faster
    names = list(base.generators.index[base.generators.bus.isin(["SXN", "SXC"])]) \
        + list(base.links.index[base.links.bus1.isin(["SXN", "SXC"])])
    old = pd.concat([base.generators.p_nom, base.links.p_nom]).reindex(names)
    carrier = pd.concat([base.generators.carrier, base.links.carrier]).reindex(names)
    for factor_id, carriers in (("neighbour_renewables", {"onwind", "solar"}),
                                ("neighbour_thermal", {"coal", "coal CHP"})):
        f, n = built(factor_id)
        new = pd.concat([n.generators.p_nom, n.links.p_nom]).reindex(names)
        hit = carrier.isin(carriers)
        assert hit.any(), factor_id
        np.testing.assert_allclose(new[hit], old[hit] * f.high, rtol=1e-9)
        np.testing.assert_allclose(new[~hit], old[~hit], rtol=1e-9)
    f, n = built("outbound")
    np.testing.assert_allclose(n.loads_t.p_set[outbound_firm].sum().sum(),
                               base.loads_t.p_set[outbound_firm].sum().sum() * f.high)


@pytest.mark.parametrize(("row", "column", "expected"), [
    ("x,nofile.csv,,annual_mwh,uniform,0.7,1.3,estimate,low,n\n", "file", "unknown input file"),
    ("x,demand.csv,year=2040,annual_mwh,uniform,0.7,1.3,estimate,low,n\n", "rows",
     "no row with value"),
    ("x,demand.csv,county=a,annual_mwh,uniform,0.7,1.3,estimate,low,n\n", "rows",
     "unknown column 'county'"),
    ("x,demand.csv,,annual_gwh,uniform,0.7,1.3,estimate,low,n\n", "column", "unknown column"),
    ("x,demand.csv,,year,uniform,0.7,1.3,estimate,low,n\n", "column", "numeric value column"),
    ("x,demand.csv,,annual_mwh,uniform,-0.2,1.3,estimate,low,n\n", "low", "negative"),
    ("x,plants.csv,carrier=coal,efficiency,uniform,0.9,4.0,S04,medium,n\n",
     "high", "above the physical bound 1"),
    ("x,demand.csv,,annual_mwh,uniform,1.1,1.3,estimate,low,n\n", "low", "low <= 1 <= high"),
    ("x,heat_supply.csv,technology=coal boiler,p_nom_max_mw_th,uniform,0.5,1.0,estimate,low,n\n",
     "low", "p_nom_max_mw_th >= p_nom_existing_mw_th"),
    ("x,renewable_sites.csv,,y_lat,uniform,0.9,1.1,estimate,low,n\n", "column",
     "profiles are built from it"),
    ("x,demand.csv,,annual_mwh,lognormal,0.7,1.3,estimate,low,n\n", "distribution",
     "expected one of"),
])
def test_bad_factor_is_one_line_naming_file_row_and_column(tmp_path: Path, inputs, row: str,  # noqa: ANN001
                                                          column: str, expected: str) -> None:
    with pytest.raises(InputError) as err:
        read_factors(_factors(tmp_path, row), inputs)
    message = str(err.value)
    assert message.startswith(f"uncertainty.csv, row 1 (line 2), column '{column}'")
    assert expected in message and "\n" not in message


def test_design_is_stratified_and_reproducible(tmp_path: Path, inputs) -> None:  # noqa: ANN001
    factors = read_factors(_factors(tmp_path, DEMAND), inputs)
    design = design_table(factors, unit_design(factors, 8, seed=3))
    again = design_table(factors, unit_design(factors, 8, seed=3))
    pd.testing.assert_frame_equal(design, again)
    # one sample per stratum of equal probability: half of them below the mode (1.0)
    assert (design.demand_2035 < 1.0).sum() == 4
    assert design.demand_2035.between(0.7, 1.3).all()


def test_percentiles_leave_out_failed_samples() -> None:
    metrics = pd.DataFrame({"system_cost": [10.0, 1.0, 2.0, 3.0, 1e9]},
                           index=[BASE, "s000", "s001", "s002", "s003"])
    pct = percentiles(metrics, ["s000", "s001", "s002"], BASE, {"system_cost": "CNY/a"})
    row = pct.iloc[0]
    assert row.n == 3 and row["max"] == 3.0 and row.base == 10.0
    assert row.p50 == 2.0 and row.p5 == pytest.approx(np.percentile([1, 2, 3], 5))


@pytest.mark.slow
def test_four_samples_survive_a_killed_worker_and_bracket_the_base(tmp_path: Path) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    paths = Paths(results=tmp_path / "results")
    base = resolve_scenario("base", paths.scenarios,
                            ["snapshots_limit=6", "verify=false", "export.enabled=false",
                             "heat.enabled=false", "gas.enabled=false"], resolution="1h")
    factors = _factors(tmp_path, DEMAND)
    info = run_uncertainty(base, paths, name="u", factors_file=factors, samples=4, workers=2,
                           retries=1, task=killing_task)
    folder = paths.results / "u"
    samples = pd.read_csv(folder / "samples.csv").set_index("run")
    # every sample accounted for: all four finished, the killed one on its second attempt
    assert set(samples.index) == {BASE, "s000", "s001", "s002", "s003"}
    assert (samples.status == "done").all()
    assert samples.at[KILL_ONCE, "attempts"] == 2
    assert info["runs"] == {"finished": 4, "failed": 0, "base": True} and not info["failed"]
    assert not [p for p in (folder / "runs").iterdir() if p.name.startswith(".tmp")]
    pct = pd.read_csv(folder / "percentiles.csv").set_index("metric")
    cost = pct.loc["system_cost"]
    assert cost.n == 4 and cost.p5 < cost.base < cost.p95  # more demand costs more
    # each sample's provenance says which factor scaled which value
    prov = pd.read_csv(folder / "runs" / "s000" / "provenance.csv")
    scaled = prov[prov.scaled_by != 1.0]
    design = pd.read_csv(folder / "design.csv").set_index("sample")
    assert set(scaled.file) == {"demand.csv"}
    assert np.allclose(scaled.scaled_by, design.at["s000", "demand_2035"])
    # influence: demand drives cost (rank correlation 1 over a monotone response)
    influence = pd.read_csv(folder / "influence.csv")
    rho = influence[(influence.metric == "system_cost")].value.iloc[0]
    assert rho == pytest.approx(1.0)
    report = (folder / "report.html").read_text()
    assert "What matters" in report and report.count("class='plot'") >= 3
    saved = json.loads((folder / "uncertainty.json").read_text())
    assert saved["resolution"] == "1h" and saved["verify"] is False
    # a re-run resumes: nothing is solved again, the same percentiles come out
    again = run_uncertainty(base, paths, name="u", factors_file=factors, samples=4,
                            task=killing_task)
    assert pd.read_csv(folder / "samples.csv").status.eq("skipped").all()
    assert again["headline"]["system_cost"] == info["headline"]["system_cost"]


def test_chance_correlations_are_not_significant_after_holm() -> None:
    """189 tests at 5 %: a p-value of 0.01 is chance; one of 1e-10 is not."""
    from energy.uncertainty.analysis import holm, what_matters

    rows = [{"metric": "system_cost", "factor": f"f{i:02d}", "method": "spearman",
             "value": 0.3, "p_value": 0.01, "n": 64} for i in range(20)]
    rows.append({"metric": "system_cost", "factor": "demand_2035", "method": "spearman",
                 "value": 0.8, "p_value": 1e-10, "n": 64})
    ranked = what_matters(pd.DataFrame(rows)).set_index("factor")
    assert ranked.significant["demand_2035"] and not ranked.significant.drop("demand_2035").any()
    assert ranked.p_value["demand_2035"] == pytest.approx(21e-10)
    p = pd.Series([0.01, 0.04, np.nan, 0.03])
    np.testing.assert_allclose(holm(p).to_numpy(), [0.03, 0.06, np.nan, 0.06])


def test_morris_screening_ranks_the_factor_that_matters(tmp_path: Path, inputs) -> None:  # noqa: ANN001
    from energy.uncertainty.analysis import morris_indices, what_matters
    from energy.uncertainty.design import morris_problem

    price = "coal_price,fuels.csv,fuel=coal,price_cny_per_mwh_th,uniform,0.8,1.2,estimate,low,n\n"
    factors = read_factors(_factors(tmp_path, DEMAND, price), inputs)
    unit = unit_design(factors, 6, method="morris", seed=1)
    design = design_table(factors, unit)
    assert len(design) == 6 * (len(factors) + 1)  # trajectories of k + 1 runs
    # a response that only the demand drives (cost ~ demand), plus a failed run in the last
    # trajectory: that whole trajectory is left out
    metrics = pd.DataFrame({"system_cost": 1e10 * design.demand_2035}, index=design.index)
    done = list(design.index[:-1])
    indices = morris_indices(morris_problem(factors), unit, list(design.index), metrics, done)
    mu = indices.set_index("factor").value
    assert mu["demand_2035"] > 0 and mu["coal_price"] == pytest.approx(0.0, abs=1e-6)
    assert what_matters(indices).factor.iloc[0] == "demand_2035"
