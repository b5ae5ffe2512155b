"""Bad input gets a one-line error naming file, row and column; results/ is untouched."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from energy.cli import main
from energy.inputs import InputError, load_inputs
from energy.pipeline import ROOT


def _edit(path: Path, row: int, column: str, value: str | None) -> None:
    """Set (or with value=None, drop) a cell of data row `row` (1-based) of a CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    if value is None:
        fields.remove(column)
        for r in rows:
            r.pop(column)
    else:
        rows[row - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _check(data: Path, results: Path) -> subprocess.CompletedProcess:
    """``run.py check`` in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--data", str(data), "--results", str(results),
         "check"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def _check_in_process(data: Path, results: Path) -> subprocess.CompletedProcess:
    """The same command through click's runner (no interpreter start-up per case)."""
    result = CliRunner().invoke(main, ["--data", str(data), "--results", str(results),
                                       "--store", "none", "check"])
    return subprocess.CompletedProcess([], result.exit_code, result.stdout, result.stderr)


def test_shipped_inputs_are_valid():
    inputs = load_inputs(ROOT / "network_data")
    assert set(inputs.buses.role) >= {"zone", "boundary"}
    for name in ("buses", "lines", "plants", "renewable_sites", "costs", "fuels"):
        table = getattr(inputs, name)
        assert table.source.str.len().gt(0).all(), name
        assert table.confidence.isin(["high", "medium", "low"]).all(), name


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "expected"),
    [
        ("plants.csv", 2, "bus", "NOWHERE", "expected a bus_id from buses.csv, got 'NOWHERE'"),
        ("plants.csv", 3, "p_nom_mw", "-300", "expected a number >= 0 MW, got -300"),
        ("lines.csv", 1, "length_km", "forty", "expected a number, got 'forty'"),
        ("renewable_sites.csv", 1, "p_nom_max_mw", None, "missing column"),
        ("demand.csv", 4, "annual_mwh", "", "expected a value"),
    ],
)
def test_check_rejects_broken_row(data_copy, tmp_path, file, row, column, value, expected):
    _edit(data_copy / file, row, column, value)
    results = tmp_path / "results"
    results.mkdir()
    (results / "keep.txt").write_text("untouched")
    proc = _check_in_process(data_copy, results)
    assert proc.returncode != 0
    message = proc.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert file in message and f"'{column}'" in message and expected in message
    if value is not None:
        assert f"row {row}" in message
    assert sorted(p.name for p in results.iterdir()) == ["keep.txt"]


def test_load_inputs_raises_input_error_for_unknown_confidence(data_copy):
    _edit(data_copy / "buses.csv", 1, "confidence", "certain")
    with pytest.raises(InputError, match=r"buses.csv, row 1 \(line 2\), column 'confidence'"):
        load_inputs(data_copy)


def test_check_passes_on_shipped_data(tmp_path):
    proc = _check(ROOT / "network_data", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok:")


def _row_of(path: Path, **match: str) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=1):
            if all(r[k] == v for k, v in match.items()):
                return i
    raise LookupError(match)


@pytest.mark.parametrize(
    ("file", "match", "column", "value", "expected"),
    [
        ("neighbour_fleet.csv", {"carrier": "onwind"}, "profile_site", "",
         "column 'profile_site': expected a value for carrier 'onwind'"),
        ("neighbour_fleet.csv", {"carrier": "onwind"}, "profile_site", "solar_TYB500",
         "column 'profile_site': expected a onwind site, got 'solar_TYB500'"),
        ("neighbour_fleet.csv", {"carrier": "other thermal"}, "must_run", "0.9",
         "column 'must_run': expected must_run <= availability"),
        ("neighbour_fleet.csv", {"carrier": "coal"}, "carrier", "nuclear",
         "column 'carrier': expected one of"),
        ("neighbour_links.csv", {"link_id": "SXN_SXC"}, "bus0", "NOWHERE",
         "column 'bus0': expected a region_id or a boundary bus_id, got 'NOWHERE'"),
        ("neighbour_regions.csv", {"region_id": "SXN"}, "load_share", "0.5",
         "column 'load_share': expected shares summing to 1"),
        ("neighbour_outbound.csv", {"region_id": "SXN", "year": "2023"}, "region_id", "SXX",
         "column 'region_id': expected a region_id from neighbour_regions.csv"),
        ("renewable_vintages.csv", {"site_id": "onwind_TYB500"}, "p_nom_mw", "150",
         "renewable_sites.csv, row 1 (line 2), column 'p_nom_existing_mw': expected the sum"),
        ("validation.csv", {"figure_id": "prov_coal"}, "metric", "banana",
         "column 'metric': expected one of"),
    ],
)
def test_neighbour_and_validation_tables_reject_broken_rows(data_copy, file, match, column,
                                                            value, expected):
    row = _row_of(data_copy / file, **match)
    _edit(data_copy / file, row, column, value)
    with pytest.raises(InputError) as err:
        load_inputs(data_copy)
    message = str(err.value)
    assert len(message.splitlines()) == 1
    assert expected in message
    if not file.startswith("renewable_vintages"):
        assert message.startswith(f"{file}, ")


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (1, "value", "1.5", "expected a share <= 1 for p_min_pu, got 1.5"),
        (2, "value", "0.6", "expected p_min_pu_retrofit below p_min_pu of 'coal'"),
        (5, "unit", "EUR/MW", "expected CNY/MW for start_up_cost, got 'EUR/MW'"),
        (1, "carrier", "solar", "expected one of"),
        (1, "parameter", "ramp_limit", "expected one of"),
    ],
)
def test_thermal_flexibility_rejects_broken_row(data_copy, row, column, value, expected):
    _edit(data_copy / "thermal_flexibility.csv", row, column, value)
    with pytest.raises(InputError) as err:
        load_inputs(data_copy)
    message = str(err.value)
    assert len(message.splitlines()) == 1
    assert f"thermal_flexibility.csv, row {row} (line {row + 1}), column '{column}'" in message
    assert expected in message
