"""Issue #21: kill a solve at its build, solve and write stages; no run is ever lost.

``fault_driver.py`` runs one tiny solve and forks victims at each stage that get SIGTERM,
SIGINT (Ctrl-C), SIGKILL, or a full disk (see its docstring). Asserted: the previous run is
intact after every victim, SIGTERM/Ctrl-C exit 130 and leave nothing, a full disk exits 1 and
leaves nothing, SIGKILL may leave a hidden temporary folder that the next run removes; and
stdout of ``solve`` is its JSON line alone (HiGHS's banner goes to stderr).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from energy.pipeline import ROOT
from energy.profiles import ensure_profiles

DRIVER = Path(__file__).with_name("fault_driver.py")
EXPECTED_EXIT = {"SIGTERM": 130, "SIGINT": 130, "SIGKILL": -9, "ENOSPC": 1}


@pytest.mark.slow
def test_kills_at_every_stage_never_lose_the_previous_run(tmp_path: Path) -> None:
    ensure_profiles(ROOT / "network_data", ROOT / "profiles", progress=False)
    results = tmp_path / "results"
    (results / "base").mkdir(parents=True)
    (results / "base" / "summary.json").write_text('{"status": "optimal", "previous": true}')
    (results / "base" / "network.nc").write_bytes(b"previous run")
    log = tmp_path / "faults.jsonl"
    proc = subprocess.run(
        [sys.executable, str(DRIVER), str(log), "--", "--results", str(results), "solve",
         "--set", "snapshots_limit=24", "-r", "1h", "--set", "verify=false", "--json",
         "--store", "none"],  # the store's own atomicity: tests/store
        capture_output=True, text=True, cwd=ROOT, timeout=600,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    # stdout is machine-readable: exactly the JSON headline (HiGHS's banner went to stderr)
    assert len(proc.stdout.splitlines()) == 1, proc.stdout
    headline = json.loads(proc.stdout)
    assert headline["status"] == "optimal" and headline["results"] == str(results / "base")
    assert "Running HiGHS" in proc.stderr
    records = [json.loads(line) for line in log.read_text().splitlines()]
    before, victims = records[0]["base"], records[1:]
    assert [(r["stage"], r["fault"]) for r in victims] == [
        ("build", "SIGTERM"), ("build", "SIGKILL"),
        ("solve", "SIGTERM"), ("solve", "SIGINT"), ("solve", "SIGKILL"),
        ("write", "SIGTERM"), ("write", "SIGKILL"), ("write", "ENOSPC")]
    for r in victims:
        assert r["exit"] == EXPECTED_EXIT[r["fault"]], r
        assert r["base"] == before, r  # the previous run is intact, byte for byte
        hidden = [e for e in r["entries"] if e.startswith(".")]
        if r["fault"] == "SIGKILL" and r["stage"] == "write":
            assert len(hidden) == 1 and hidden[0].startswith(".base.tmp-"), r  # killed mid-write
        else:
            assert hidden == [], r  # handled: cleaned up before exiting
    assert "interrupted; nothing was written" in proc.stderr
    assert "No space left on device" in proc.stderr
    # the next run (the driver's own) cleaned the debris and replaced the run
    assert sorted(p.name for p in results.iterdir()) == ["base"]
    summary = json.loads((results / "base" / "summary.json").read_text())
    assert summary["status"] == "optimal" and "previous" not in summary
