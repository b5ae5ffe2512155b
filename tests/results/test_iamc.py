"""Dashboard feed of a run folder: iamc.csv (pyam) and datapackage.json (frictionless)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from energy.results.iamc import add_aggregates

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")


def test_iamc_loads_in_pyam_and_matches_the_summary(week_run: dict) -> None:
    pyam = pytest.importorskip("pyam")
    df = pyam.IamDataFrame(str(week_run["folder"] / "iamc.csv"))
    summary = week_run["summary"]
    assert df.scenario == ["base"]
    cost = df.filter(variable="Cost|Total System").timeseries().iloc[0, 0]
    assert cost == pytest.approx(summary["system_cost"], rel=1e-6)
    co2 = df.filter(variable="Emissions|CO2").timeseries().iloc[0, 0]
    assert co2 == pytest.approx(summary["co2_emissions"], rel=1e-6)
    wind = df.filter(variable="Capacity|Electricity|Wind").timeseries().iloc[0, 0]
    assert wind == pytest.approx(summary["capacity_mw"]["onwind"], rel=1e-4)
    for parent in ("Capacity|Electricity", "Secondary Energy|Electricity", "Emissions|CO2"):
        assert df.check_aggregate(parent) is None


def test_aggregates_sum_their_leaves() -> None:
    leaves = pd.DataFrame({"variable": ["A|B|x", "A|B|y", "A|C"], "unit": ["MW"] * 3,
                           "value": [1.0, 2.0, 4.0]})
    out = add_aggregates(leaves).set_index("variable").value
    assert out["A|B"] == 3.0 and "A" not in out.index


def test_datapackage_describes_every_csv_and_validates(week_run: dict) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = week_run["folder"]
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert {r["path"] for r in descriptor["resources"]} == {p.name for p in folder.glob("*.csv")}
    assert descriptor["schema_version"] == week_run["summary"]["schema_version"]
    costs = next(r for r in descriptor["resources"] if r["name"] == "costs")
    value = next(f for f in costs["schema"]["fields"] if f["name"] == "value_cny_per_a")
    assert value["type"] == "number" and value["description"].endswith("[CNY/a]")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["title", "message"])
