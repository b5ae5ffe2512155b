"""`compare`: side-by-side table of saved runs with differences against a reference."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from energy.cli import main
from energy.report.compare import compare_runs

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")


@pytest.fixture()
def two_runs(week_run: dict, tmp_path: Path) -> Path:
    """The week run and a copy whose cost, CO2 and solar capacity were changed by hand."""
    results = tmp_path / "results"
    shutil.copytree(week_run["folder"], results / "ref")
    shutil.copytree(week_run["folder"], results / "alt")
    ref = json.loads((results / "ref" / "summary.json").read_text())
    ref.pop("export", None)  # as in runs saved before the corridor existed
    (results / "ref" / "summary.json").write_text(json.dumps(ref))
    summary = json.loads((results / "alt" / "summary.json").read_text())
    summary["system_cost"] += 2.5e9
    summary["co2_emissions"] -= 1.0e6
    summary["export"] = {"corridor_mw_total": 4000.0, "exported_twh": 12.0}
    (results / "alt" / "summary.json").write_text(json.dumps(summary))
    cap = pd.read_csv(results / "alt" / "capacity.csv")
    cap.loc[(cap.carrier == "solar") & (cap.unit == "MW"), "optimal"] += 1000.0
    cap.to_csv(results / "alt" / "capacity.csv", index=False)
    return results


def test_differences_against_the_reference_are_run_minus_reference(two_runs: Path) -> None:
    table = compare_runs([two_runs / "alt"], reference=two_runs / "ref").set_index("metric")
    assert table.loc["Total system cost", "Δ alt"] == pytest.approx(2.5)  # bn CNY/a
    assert table.loc["CO2 emissions", "Δ alt"] == pytest.approx(-1.0)  # Mt/a
    assert table.loc["Capacity solar", "Δ alt"] == pytest.approx(1000.0)  # MW
    ref_cost = table.loc["Total system cost", "ref"]
    assert table.loc["Total system cost", "Δ% alt"] == pytest.approx(100 * 2.5 / ref_cost)
    # optional sections: present in one run only -> blank in the other
    assert table.loc["Export corridor_mw_total", "alt"] == 4000.0
    assert pd.isna(table.loc["Export corridor_mw_total", "ref"])


def test_compare_cli_prints_and_writes_the_table(two_runs: Path) -> None:
    out = two_runs / "cmp.csv"
    result = CliRunner().invoke(main, ["--results", str(two_runs), "compare", "ref", "alt",
                                       "--reference", "ref", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Total system cost" in result.output and "Δ alt" in result.output
    table = pd.read_csv(out)
    assert list(table.columns[:4]) == ["metric", "unit", "ref", "alt"]


def test_compare_unknown_run_exits_with_a_message(two_runs: Path) -> None:
    result = CliRunner().invoke(main, ["--results", str(two_runs), "compare", "nope"])
    assert result.exit_code == 1 and "no run folder" in result.output
