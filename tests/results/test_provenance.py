"""provenance.csv lists every input row a run was built from; binding low-confidence inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pypsa
import pytest

from energy.config import resolve_scenario
from energy.inputs import SCHEMAS, load_inputs
from energy.network import build_network
from energy.network.regions import zone_buses
from energy.pipeline import ROOT, Paths, run
from energy.profiles import ensure_profiles
from energy.results.provenance import provenance_table, read_provenance

SETTINGS = ["snapshots_limit=24", "verify=false", "export.enabled=false",
            "policy.land_use_factor=0.3",  # small potentials: wind and solar sites bind
            "near_optimal.enabled=true", "near_optimal.slacks=[0.05]",
            "near_optimal.decisions=[phs]"]  # the run also writes near-optimal ranges


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    paths = Paths(results=tmp_path_factory.mktemp("prov"))
    scenario = resolve_scenario("base", paths.scenarios, SETTINGS, resolution="1h")
    info = run(scenario, paths, out_name="small")
    folder = paths.results / "small"
    return {"summary": info, "folder": folder, "network": pypsa.Network(folder / "network.nc"),
            "provenance": read_provenance(folder)}


def _csv(file: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "network_data" / file, dtype=str, keep_default_na=False)


def _rows(prov: pd.DataFrame, file: str) -> set[str]:
    return set(prov[prov.file == file].row)


@pytest.mark.slow
def test_every_component_row_is_listed_with_its_source(small_run: dict) -> None:
    n, prov = small_run["network"], small_run["provenance"]
    assert set(n.lines.index) == _rows(prov, "lines.csv")
    zone_loads = n.loads.index[(n.loads.carrier == "AC") & n.loads.bus.isin(zone_buses(n))]
    assert set(zone_loads) == _rows(prov, "counties.csv")
    # the rest of Shanxi: its regions and the model year's load, fleet and outbound rows
    assert _rows(prov, "neighbour_regions.csv") == set(n.buses.location) - {"zone", "xiongan",
                                                                           "boundary", ""}
    for file in ("neighbour_demand.csv", "neighbour_fleet.csv", "neighbour_outbound.csv"):
        assert _rows(prov, file) and all("2035" in r.split("/") for r in _rows(prov, file))
    plants = _csv("plants.csv")
    assert set(plants.plant_id[plants.plant_id.isin(n.links.index)]) == _rows(prov, "plants.csv")
    assert {b for b in n.buses.index if b in set(_csv("buses.csv").bus_id)} == \
        _rows(prov, "buses.csv")
    # demand: the 12 counties of the model year only
    assert _rows(prov, "demand.csv") == {f"{c}/2035" for c in n.loads.index
                                         if c in set(_csv("counties.csv").county_id)}
    # costs and fuels: rows of 2035 only, and the technologies of the network
    years = {r.split("/")[1] for r in _rows(prov, "costs.csv") | _rows(prov, "fuels.csv")}
    assert years == {"2035"}
    techs = {r.split("/")[0] for r in _rows(prov, "costs.csv")}
    assert {"onwind", "solar", "PHS", "battery storage", "battery inverter", "OCGT",
            "AC line 500kV"} <= techs
    # every listed row has the source and confidence of its CSV row, and the CSV value
    for file in prov.file.unique():
        keys = list(SCHEMAS[file][0])
        csv = _csv(file)
        csv["row"] = csv[keys].agg("/".join, axis=1)
        merged = prov[prov.file == file].merge(csv, on="row", suffixes=("", "_csv"))
        assert len(merged) == (prov.file == file).sum(), file
        assert (merged.source == merged.source_csv).all(), file
        assert (merged.confidence == merged.confidence_csv).all(), file
        for rec in merged.itertuples():
            text = getattr(rec, f"{rec.column}_csv" if rec.column in
                           ("value", "source", "confidence") else rec.column)
            if text == "":
                assert pd.isna(rec.value), (file, rec.row, rec.column)
                continue
            try:
                assert float(rec.value) == pytest.approx(float(text)), (file, rec.row)
            except ValueError:
                assert str(rec.value) == text, (file, rec.row, rec.column)
    assert (prov.scaled_by == 1.0).all()
    counts = small_run["summary"]["provenance"]["values_by_confidence"]
    assert sum(counts.values()) == len(prov)


def test_switched_off_technology_leaves_no_rows() -> None:
    paths = Paths()
    inputs = load_inputs(paths.network_data)
    scenario = resolve_scenario("base", paths.scenarios,
                                ["snapshots_limit=24", "technologies.battery=false",
                                 "heat.enabled=false"], resolution="1h")
    build_network(scenario, inputs, ensure_profiles(paths.network_data, paths.profiles))
    prov = provenance_table(inputs)
    techs = {r.split("/")[0] for r in prov[prov.file == "costs.csv"].row}
    assert "battery storage" not in techs and "battery inverter" not in techs
    assert not {"heat_areas.csv", "heat_supply.csv", "chp.csv"} & set(prov.file)


@pytest.mark.slow
def test_binding_low_confidence_potential_is_listed_with_its_dual(small_run: dict) -> None:
    n = small_run["network"]
    binding = pd.DataFrame(small_run["summary"]["provenance"]["binding_low_confidence"])
    potentials = binding[(binding.file == "renewable_sites.csv")
                         & (binding.column == "p_nom_max_mw")]
    assert not potentials.empty
    g = n.generators
    at_bound = g.p_nom_extendable & (g.p_nom_opt >= g.p_nom_max - 1.0)
    below = g.p_nom_extendable & (g.p_nom_opt < g.p_nom_max - 10.0)
    for rec in potentials.itertuples():
        assert rec.kind == "potential" and rec.confidence == "low"
        assert rec.dual < 0  # more potential would lower the cost [CNY/a per MW]
        assert at_bound[rec.name], rec.name  # listed = at its bound in the solution
    assert not set(potentials.name) & set(g.index[below])
    assert (n.generators.carrier[potentials.name] == "onwind").any()
    summary = json.loads((small_run["folder"] / "summary.json").read_text())
    assert summary["provenance"]["binding_by_confidence"]["low"] >= len(potentials)
    package = json.loads((small_run["folder"] / "datapackage.json").read_text())
    titles = [s["title"] for s in package["sources"]]
    assert any(t.startswith("S04: GEM Global Coal Plant Tracker") for t in titles)
    assert "provenance" in {r["name"] for r in package["resources"]}


def test_provenance_of_a_folder_without_one_is_empty(tmp_path: Path) -> None:
    assert read_provenance(tmp_path).empty


@pytest.mark.slow
def test_report_shows_sources_and_near_optimal_ranges(small_run: dict, tmp_path: Path) -> None:
    from energy.report import write_report
    from energy.report.provenance import headline_sources

    table = headline_sources(small_run["provenance"], small_run["network"],
                             small_run["summary"])
    figures = set(table.figure)
    assert {"system cost", "CO2 emissions", "capacity onwind", "line capacity"} <= figures
    wind = table.set_index("figure").loc["capacity onwind"]
    assert "renewable_sites.csv" in wind.files and "costs.csv" in wind.files
    assert wind.low_share + wind.medium_share + wind.high_share == pytest.approx(1.0)
    out = write_report([small_run["folder"]], tmp_path / "r.html")
    text = out.read_text()
    assert "Provenance: the sources behind the headline figures" in text
    assert "Near-optimal ranges" in text and "onwind_TYB500 new" in text


@pytest.mark.slow
def test_near_optimal_ranges_are_written_with_the_run(small_run: dict) -> None:
    near = pd.read_csv(small_run["folder"] / "near_optimal.csv")
    block = small_run["summary"]["near_optimal"]
    assert list(near.decision) == ["phs"] and block["slacks"] == [0.05]
    row = near.iloc[0]
    assert row["min"] <= row.optimum + 1e-3 <= row["max"] + 2e-3
    assert row.cost_at_max <= row.budget * (1 + 1e-4)
    # the budget is on the LP's objective: the whole modelled system, zone and rest of Shanxi
    assert block["optimal_system_cost"] == pytest.approx(
        small_run["summary"]["system_cost_total"], rel=1e-3)
    assert "near_optimal_s" in small_run["summary"]["timings"]
