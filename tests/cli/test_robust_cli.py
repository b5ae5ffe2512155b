"""`uncertainty` and `mga`: help, and bad input exits 1 with one line before anything runs."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from energy.cli import main


@pytest.mark.parametrize("command", [["uncertainty"], ["mga"]])
def test_robust_commands_have_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_bad_factor_exits_1_with_one_line(tmp_path: Path) -> None:
    factors = tmp_path / "factors.csv"
    factors.write_text("factor_id,file,rows,column,distribution,low,high,source,confidence,note\n"
                       "d,demand.csv,year=2035,annual_mwh,uniform,-0.5,1.3,estimate,low,n\n")
    result = CliRunner().invoke(main, ["--results", str(tmp_path), "uncertainty",
                                       "--factors", str(factors), "--samples", "2"])
    assert result.exit_code == 1
    error = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert error == ["error: factors.csv, row 1 (line 2), column 'low': expected a multiplier "
                     ">= 0, got -0.5 (negative values)"]
    assert not (tmp_path / "uncertainty-base").exists()  # nothing started, nothing written


def test_bad_slack_exits_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--results", str(tmp_path), "mga", "--slack", "1.5"])
    assert result.exit_code == 1 and "near_optimal.slacks" in result.output
