"""Issue #21: absurd, non-finite and wrongly scaled numbers, bus roles and years are errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from energy.inputs import SCHEMAS, InputError, load_inputs
from energy.inputs.columns import _PROVENANCE


def edit(path: Path, row: int, column: str, value: str) -> str:
    """Set a cell of data row ``row`` (1-based); return the old value."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    old = rows[row - 1][column]
    rows[row - 1][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return old


def cell(path: Path, row: int, column: str) -> str:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))[row - 1][column]


def test_every_numeric_column_declares_a_plausible_range() -> None:
    """New tables get the same checks: a number column without a maximum fails here."""
    missing = [f"{file}.{name}" for file, (_, schema) in SCHEMAS.items()
               for name, col in {**schema, **_PROVENANCE}.items()
               if col.kind in ("float", "int") and (col.max is None or col.min is None)]
    assert missing == []


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e999", "Infinity"])
def test_non_finite_numbers_are_rejected_naming_the_cell(data_copy: Path, text: str) -> None:
    edit(data_copy / "plants.csv", 2, "p_nom_mw", text)
    with pytest.raises(InputError, match=r"^plants.csv, row 2 \(line 3\), column 'p_nom_mw': "
                       r"expected a (finite )?number"):
        load_inputs(data_copy)


@pytest.mark.parametrize(("file", "row", "column", "unit"), [
    ("plants.csv", 3, "p_nom_mw", "MW"),                 # kW instead of MW
    ("lines.csv", 2, "s_nom_mw", "MW"),
    ("demand.csv", 4, "annual_mwh", "MWh/a"),           # kWh instead of MWh
    ("renewable_sites.csv", 1, "p_nom_max_mw", "MW"),
    ("boundary.csv", 1, "import_price_cny_per_mwh", "CNY/MWh"),
])
def test_a_value_1000_times_too_large_is_an_error_with_a_unit_hint(
        data_copy: Path, file: str, row: int, column: str, unit: str) -> None:
    value = float(cell(data_copy / file, row, column))
    edit(data_copy / file, row, column, f"{value * 1000:g}")
    with pytest.raises(InputError) as err:
        load_inputs(data_copy)
    message = str(err.value)
    assert message.startswith(f"{file}, row {row} (line {row + 1}), column '{column}': "
                              f"expected a number <= ")
    assert unit in message and "1000 times too large" in message


def test_investment_cost_in_the_wrong_unit_is_an_error(data_copy: Path) -> None:
    """The cost range follows the row's unit column (CNY/kW, CNY/kWh, CNY/(MW*km) ...)."""
    rows = list(csv.DictReader((data_copy / "costs.csv").open(encoding="utf-8")))
    row = next(i for i, r in enumerate(rows, start=1)
               if r["parameter"] == "investment" and r["unit"] == "CNY/kW")
    edit(data_copy / "costs.csv", row, "value", f"{float(rows[row - 1]['value']) * 1000:g}")
    with pytest.raises(InputError, match=rf"costs.csv, row {row} .*column 'value': expected a "
                       r"number <= 100000 CNY/kW.*1000 times too large"):
        load_inputs(data_copy)


def test_shipped_values_sit_well_inside_their_ranges(data_copy: Path) -> None:
    """The ranges are not tuned to the data: each shipped number x1000 or /1000 would
    still be caught for the size columns (so a unit slip is always seen)."""
    inputs = load_inputs(data_copy)
    for file, column in (("plants", "p_nom_mw"), ("lines", "s_nom_mw"),
                         ("demand", "annual_mwh"), ("heat_areas", "floor_area_mm2")):
        _, schema = SCHEMAS[f"{file}.csv"]
        values = getattr(inputs, file)[column]
        assert (values[values > 0] * 1000 > schema[column].max).all(), (file, column)


def test_county_on_the_export_bus_is_an_error(data_copy: Path) -> None:
    edit(data_copy / "counties.csv", 2, "bus", "XD500")
    with pytest.raises(InputError, match=r"counties.csv, row 2 \(line 3\), column 'bus': expected "
                       r"a bus_id with role zone in buses.csv, got 'XD500' \(role export\)"):
        load_inputs(data_copy)


def test_boundary_row_on_a_zone_bus_is_an_error(data_copy: Path) -> None:
    edit(data_copy / "boundary.csv", 1, "bus", "TYB500")
    with pytest.raises(InputError, match=r"boundary.csv, row 1 .*column 'bus': expected a bus_id "
                       r"with role boundary .*got 'TYB500' \(role zone\)"):
        load_inputs(data_copy)


def test_export_corridor_must_end_at_the_export_bus(data_copy: Path) -> None:
    edit(data_copy / "export_corridor.csv", 1, "to_bus", "JZ1000")
    with pytest.raises(InputError, match=r"export_corridor.csv, row 1 .*'to_bus'.*role export"):
        load_inputs(data_copy)


def test_lone_row_of_another_year_is_an_error(data_copy: Path) -> None:
    """A demand row typed as 2040 (among 2025/2030/2035) made solve fail after check said ok."""
    edit(data_copy / "demand.csv", 36, "year", "2040")
    with pytest.raises(InputError, match=r"demand.csv, row \d+ \(line \d+\), column 'year': year "
                       r"20(35|40) lacks rows for county_id"):
        load_inputs(data_copy)


def test_missing_milestone_row_is_an_error(data_copy: Path) -> None:
    lines = (data_copy / "fuels.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if ",2030," not in ln.split('"')[0]]
    (data_copy / "fuels.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fuels.csv, column 'year': no rows for milestone year "
                       "2030"):
        load_inputs(data_copy)


def test_zero_demand_county_is_valid_but_a_peak_without_energy_is_not(data_copy: Path) -> None:
    edit(data_copy / "demand.csv", 5, "annual_mwh", "0")
    edit(data_copy / "demand.csv", 5, "peak_mw", "0")
    load_inputs(data_copy)
    edit(data_copy / "demand.csv", 5, "peak_mw", "12")
    with pytest.raises(InputError, match=r"demand.csv, row 5 .*'peak_mw': expected 0 when "
                       "annual_mwh is 0"):
        load_inputs(data_copy)


def test_export_price_above_import_price_is_an_error(data_copy: Path) -> None:
    edit(data_copy / "boundary.csv", 2, "export_price_cny_per_mwh", "400")
    with pytest.raises(InputError, match=r"boundary.csv, row 2 .*'export_price_cny_per_mwh': "
                       "expected at most import_price"):
        load_inputs(data_copy)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: (p.unlink(), p.mkdir()), "expected a CSV file, found a folder"),
    (lambda p: p.write_bytes("bus_id,名\n".encode("gbk")), "not a readable UTF-8 CSV"),
    (lambda p: p.unlink(), "file not found"),
])
def test_unreadable_csv_is_one_line(data_copy: Path, make, expected: str) -> None:  # noqa: ANN001
    make(data_copy / "buses.csv")
    with pytest.raises(InputError, match=rf"^buses.csv: {expected}") as err:
        load_inputs(data_copy)
    assert "\n" not in str(err.value)


def test_input_folder_missing_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="input folder not found"):
        load_inputs(tmp_path / "nowhere")
