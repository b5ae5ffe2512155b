"""``validate``: the comparison table, the run folder and the exit codes (0, 1, 4)."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from energy.cli import main
from energy.pipeline import ROOT
from energy.results.validation import COLUMNS, bounds

#: a dispatch-only day: fast (the comparison logic does not need the full year)
FAST = ["-r", "1h", "--set", "snapshots_limit=24", "--set", "heat.enabled=false",
        "--set", "gas.enabled=false"]


def _invoke(tmp_path, data, *args: str):  # noqa: ANN202 - click's Result
    """``validate`` through click's runner (``run.py check`` is the end-to-end process test)."""
    return CliRunner().invoke(main, ["--data", str(data), "--results",
                                     str(tmp_path / "results"), "validate", *args])


def _reference(data, rows: list[dict]) -> None:
    base = {"year": 2023, "scope": "province", "source": "test", "note": "",
            "lower": None, "upper": None}
    pd.DataFrame([{**base, **r} for r in rows]).to_csv(data / "validation.csv", index=False)


def test_validate_writes_the_table_and_passes_when_only_low_rows_fail(data_copy, tmp_path):
    _reference(data_copy, [
        {"figure_id": "gen", "metric": "generation", "carrier": "total", "value": 1.0,
         "unit": "TWh", "lower": 0.0, "upper": 1e3, "confidence": "high"},
        {"figure_id": "impossible", "metric": "share", "carrier": "coal", "value": 0.1,
         "unit": "p.u.", "confidence": "low"},  # coal's share is ~0.76: fails, not gating
    ])
    result = _invoke(tmp_path, data_copy, "--store", "none", *FAST)
    assert result.exit_code == 0, result.output
    assert "fail (not gating)" in result.stdout and "pass" in result.stdout
    folder = tmp_path / "results" / "validate-2023"
    table = pd.read_csv(folder / "validation.csv")
    assert list(table.columns) == COLUMNS
    assert table.set_index("figure_id").passed.to_dict() == {"gen": True, "impossible": False}
    iamc = pd.read_csv(folder / "iamc.csv")
    assert set(iamc[iamc.variable.str.startswith("Validation|")].model) == {
        "Validation", "taixin-energy"}


def test_a_failing_high_confidence_figure_exits_4(monkeypatch, tmp_path):
    table = pd.DataFrame([
        {"figure_id": "coal", "year": 2023, "scope": "province", "metric": "share",
         "carrier": "coal", "unit": "p.u.", "model": 0.5, "reference": 0.75, "lower": 0.71,
         "upper": 0.79, "passed": False, "gating": True, "confidence": "high", "source": "S"},
    ], columns=COLUMNS)
    monkeypatch.setattr("energy.cli.validate.validate",
                        lambda *a, **k: (table, {"scenario": "validate-2023"}))
    result = CliRunner().invoke(main, ["--results", str(tmp_path), "validate"])
    assert result.exit_code == 4
    assert "coal" in result.output and "FAIL" in result.output
    monkeypatch.setattr("energy.cli.validate.validate", lambda *a, **k: (
        table.assign(gating=False, confidence="medium"), {"scenario": "validate-2023"}))
    assert CliRunner().invoke(main, ["--results", str(tmp_path), "validate"]).exit_code == 0


def test_bad_reference_table_exits_1_with_one_line(data_copy, tmp_path):
    _reference(data_copy, [
        {"figure_id": "gen", "metric": "generation", "carrier": "total", "value": 1.0,
         "unit": "TWh", "lower": 2.0, "upper": 1.0, "confidence": "high"}])
    result = _invoke(tmp_path, data_copy)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: validation.csv, row 1 (line 2), column 'upper': expected upper >= lower")
    assert not (tmp_path / "results").exists()


def test_a_year_without_figures_exits_1(tmp_path):
    result = _invoke(tmp_path, ROOT / "network_data", "--year", "2019")
    assert result.exit_code == 1
    assert "validation.csv has figures for [2023]" in result.stderr


def test_band_is_the_stated_range_or_the_confidence_tolerance():
    row = pd.Series({"value": 100.0, "lower": float("nan"), "upper": float("nan"),
                     "confidence": "high"})
    assert bounds(row) == pytest.approx((95.0, 105.0))
    assert bounds(row.copy().set_axis(row.index).replace({"high": "low"})) == pytest.approx(
        (70.0, 130.0))
    stated = row.copy()
    stated["lower"], stated["upper"] = 0.7, 1.8
    assert bounds(stated) == (0.7, 1.8)
