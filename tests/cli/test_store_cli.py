"""The CLI and the store: a solve is recorded, stdout stays clean with --json, bad input stops
with one line and writes nothing (unreachable store, older schema, malformed targets.csv).
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from rich.console import Console

from energy.cli import main
from energy.cli.display import solve_table
from energy.pipeline import ROOT
from energy.store import load, open_store, record_run
from tests.store_helpers import make_run

TINY = ["--set", "snapshots_limit=24", "-r", "1h", "--set", "verify=false"]


def _one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_solve_json_keeps_stdout_clean_and_records_the_run(tmp_path: Path,
                                                           capfd: pytest.CaptureFixture) -> None:
    store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = CliRunner().invoke(main, ["--results", str(tmp_path / "results"), "solve",
                                       *TINY, "--json", "--store", store, "--out", "tiny"])
    assert result.exit_code == 0, result.output
    headline = json.loads(_one_line(result.stdout))
    assert headline["status"] == "optimal" and headline["snapshots"] == 24
    ctypes.CDLL(None).fflush(None)  # what HiGHS left in C's stdout buffer would show now
    out, err = capfd.readouterr()
    assert "HiGHS" not in out and "Running HiGHS" in err  # the banner went to stderr
    data = load(store)
    run = data.runs.iloc[0]
    assert (run.scenario, run.kind, run.status, run.is_default) == ("tiny", "solve",
                                                                    "optimal", True)
    assert run.system_cost == pytest.approx(headline["system_cost"])
    assert len(data.plan) > 0 and len(data.actuals) > 0
    cost = data.iamc[data.iamc.variable == "Cost|Total System"].value.iloc[0]
    assert cost == pytest.approx(headline["system_cost"], rel=1e-6)
    # the planner's table of the same run: cost, CO2, capacity existing/new, the check
    folder = tmp_path / "results" / "tiny"
    out = io.StringIO()
    solve_table(json.loads((folder / "summary.json").read_text()), folder,
                Console(file=out, width=120))
    table = out.getvalue()
    assert f"{headline['system_cost'] / 1e9:,.3f}" in table
    assert "Electricity capacity [MW]" in table and "existing" in table and "new" in table
    assert "Full-year check" in table and "Export to Xiong'an" in table


def test_unreachable_store_stops_before_solving(tmp_path: Path) -> None:
    results = tmp_path / "results"
    result = CliRunner().invoke(main, ["--results", str(results), "solve", *TINY, "--store",
                                       "postgresql://nobody@127.0.0.1:9/none"])
    assert result.exit_code == 1
    line = _one_line(result.stderr)
    assert line.startswith("error: cannot open results store postgresql+psycopg://nobody@")
    assert not results.exists() or not any(results.iterdir())


def test_store_of_an_older_schema_stops_with_one_line(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    record_run(make_run(tmp_path / "old" / "base", "base"), store)
    with sa.create_engine(store, poolclass=sa.NullPool).begin() as conn:
        conn.exec_driver_sql("UPDATE taixin_info SET value = '0.1' WHERE key = "
                             "'schema_version'")
    results = tmp_path / "results"
    for args in (["solve", *TINY], ["store", "info"], ["dashboard"]):
        result = CliRunner().invoke(main, ["--results", str(results), "--store", store, *args])
        assert result.exit_code == 1, args
        assert "older schema version (0.1; this code reads" in _one_line(result.stderr)
    assert not results.exists() or not any(results.iterdir())  # no run folder, no store


def test_malformed_target_row_stops_check_and_solve(tmp_path: Path) -> None:
    data = tmp_path / "network_data"
    shutil.copytree(ROOT / "network_data", data)
    path = data / "targets.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[1]["value"] = "fifty"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    expected = "error: targets.csv, row 2 (line 3), column 'value': expected a number, got 'fifty'"
    result = CliRunner().invoke(main, ["--data", str(data), "check"])
    assert result.exit_code == 1 and _one_line(result.stderr) == expected
    results = tmp_path / "results"
    result = CliRunner().invoke(main, ["--data", str(data), "--results", str(results), "solve",
                                       *TINY])
    assert result.exit_code == 1 and _one_line(result.stderr) == expected
    # neither a run folder nor a store (the results folder itself may have been created)
    assert not results.exists() or not any(results.iterdir())


def test_store_import_and_info(tmp_path: Path) -> None:
    results = tmp_path / "results"
    make_run(results / "base", "base")
    make_run(results / "base-2030", "base-2030", year=2030)
    result = CliRunner().invoke(main, ["--results", str(results), "store", "import"])
    assert result.exit_code == 0, result.output
    assert "2 run(s) recorded" in result.stdout and "plan/actuals recorded" in result.stdout
    assert (results / "store.sqlite3").exists()  # the default store of the results folder
    info = CliRunner().invoke(main, ["--results", str(results), "store", "info"])
    assert info.exit_code == 0 and "base-2030" in info.stdout
    open_store(f"sqlite:///{results / 'store.sqlite3'}", create=False)


def test_dashboard_without_a_store_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--results", str(tmp_path), "dashboard"])
    assert result.exit_code == 1
    assert _one_line(result.stderr).startswith("error: no results store at ")
