"""The command line: help on every command, list, infeasible scenarios exit non-zero."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from energy.cli import main
from energy.pipeline import ROOT


@pytest.mark.parametrize("command", [[], ["check"], ["list"], ["solve"], ["profiles"],
                                     ["validate"]])
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_list_shows_base_scenario():
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("base")


def test_unknown_override_exits_non_zero_with_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["--results", str(tmp_path), "solve", "--set", "co2.capp=1"]
    )
    assert result.exit_code == 1
    assert "unknown key 'co2.capp'" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_infeasible_scenario_exits_non_zero_and_writes_nothing(tmp_path):
    args = [
        sys.executable, str(ROOT / "run.py"), "--results", str(tmp_path), "solve",
        "--resolution", "1h",
        "--set", "snapshots_limit=48",
        "--set", "load_shedding.enabled=false",
        "--set", "co2.cap_mt=0",
        "--set", "technologies.exchange=false",  # else imports from the neighbour would do
        "--set", "solver.diagnose=false",  # the diagnosis: tests/optimize/test_diagnose.py
    ]
    for tech in ("onwind", "solar", "battery", "phs", "ocgt", "ccgt"):
        args += ["--set", f"technologies.{tech}=false"]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "infeasible" in proc.stderr
    assert [p for p in tmp_path.iterdir() if p.is_dir()] == []  # no run folder
    # the results store lists the failed run (no data, never the default version)
    from energy.store import load

    runs = load(f"sqlite:///{tmp_path / 'store.sqlite3'}").runs
    assert runs.status.tolist() == ["failed"] and not runs.is_default.any()
    assert "infeasible" in runs.reason.iloc[0]
