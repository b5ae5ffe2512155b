"""Issue #21: compare, report and sweep failures, Ctrl-C and unforeseen errors are one line
with the documented exit code; nothing in results/ changes."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pypsa
import pytest
from click.testing import CliRunner

import energy.cli.model as model_cli
from energy.cli import main
from energy.sweep import is_complete

_TEMPLATE: list[Path] = []


def tiny_run(folder: Path) -> Path:
    """A small but real run folder: summary.json, capacity.csv and a 48 h network.nc."""
    if _TEMPLATE:
        shutil.copytree(_TEMPLATE[0], folder)
        return folder
    folder.mkdir(parents=True)
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=48, freq="h"))
    n.add("Bus", "A", carrier="AC")
    n.add("Load", "A load", bus="A", p_set=10.0)
    n.export_to_netcdf(folder / "network.nc")
    (folder / "summary.json").write_text(json.dumps(
        {"status": "optimal", "system_cost": 1e9, "co2_emissions": 1e6, "capacity_mw": {}}))
    pd.DataFrame({"component": ["Generator"], "carrier": ["solar"], "bus_carrier": ["AC"],
                  "unit": ["MW"], "installed": [0.0], "optimal": [5.0], "expanded": [5.0]}
                 ).to_csv(folder / "capacity.csv", index=False)
    _TEMPLATE.append(folder.parent / f".template-{folder.name}")
    shutil.copytree(folder, _TEMPLATE[0])
    return folder


def invoke(results: Path, *args: str) -> tuple[int, str, str]:
    before = {str(p): p.read_bytes() for p in results.rglob("*") if p.is_file()}
    # the store records failed runs by design (tests/cli/test_store_cli.py): not these tests'
    result = CliRunner().invoke(main, ["--results", str(results), "--store", "none", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    after = {str(p): p.read_bytes() for p in results.rglob("*") if p.is_file()}
    written = set(after) - set(before)
    assert {k for k in before if before[k] != after.get(k)} == set(), "a run file changed"
    lines = result.stderr.strip().splitlines()
    if result.exit_code:
        assert written == set(), written
        # progress lines may come first; the error is one line, the last
        assert [ln for ln in lines if ln.startswith("error: ")] == lines[-1:], result.stderr
    return result.exit_code, result.stdout, lines[-1] if lines else ""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> None:
    _TEMPLATE.clear()
    tiny_run(tmp_path_factory.mktemp("template") / "run")


@pytest.fixture()
def results(tmp_path: Path, template: None) -> Path:
    tiny_run(tmp_path / "results" / "good")
    return tmp_path / "results"


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda f: (f / "summary.json").write_text("{garbage"), r"summary.json: not valid JSON"),
    (lambda f: (f / "summary.json").write_text("[1, 2]"), r"summary.json: not a run summary"),
    (lambda f: (f / "summary.json").write_bytes(b"\xff\xfe\x00"), r"summary.json: not valid JSON"),
    (lambda f: (f / "capacity.csv").write_text("x\n1\n"), r"capacity.csv: missing column"),
])
def test_compare_with_a_damaged_run_is_one_line(results: Path, damage, expected: str) -> None:  # noqa: ANN001
    damage(tiny_run(results / "bad"))
    code, _, err = invoke(results, "compare", "good", "bad")
    assert code == 1 and err.startswith("error: ") and re.search(expected, err), err


def test_compare_of_a_missing_run_is_one_line(results: Path) -> None:
    code, _, err = invoke(results, "compare", "good", "nope")
    assert code == 1 and "no run folder with summary.json at 'nope'" in err


def test_compare_works_on_good_runs(results: Path) -> None:
    tiny_run(results / "other")
    code, out, _ = invoke(results, "compare", "good", "other")
    assert code == 0 and "Capacity solar" in out


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda f: (f / "network.nc").unlink(), "network.nc: missing"),
    (lambda f: (f / "network.nc").write_bytes((f / "network.nc").read_bytes()[:600]),
     "network.nc: unreadable network file"),
    (lambda f: (f / "network.nc").write_bytes(b""), "network.nc: unreadable network file"),
])
def test_report_with_a_damaged_network_is_one_line(results: Path, damage, expected: str,  # noqa: ANN001
                                                    tmp_path: Path) -> None:
    damage(tiny_run(results / "bad"))
    code, _, err = invoke(results, "report", "good", "bad", "-o", str(tmp_path / "r.html"))
    assert code == 1 and expected in err, err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(("week", "expected"), [
    ("2030-05-01", "--week 2030-05-01: outside the modelled period of run 'good' "
                   "(2035-01-01 00:00:00 to 2035-01-02 23:00:00)"),
    ("2035-13-45", "--week '2035-13-45': expected a date YYYY-MM-DD"),
])
def test_report_week_outside_the_period_is_an_error(results: Path, tmp_path: Path, week: str,
                                                     expected: str) -> None:
    code, _, err = invoke(results, "report", "good", "--week", week, "-o",
                          str(tmp_path / "r.html"))
    assert code == 1 and expected in err, err


def test_sweep_with_zero_workers_is_a_usage_error(results: Path) -> None:
    result = CliRunner().invoke(main, ["--results", str(results), "sweep", "-w", "0"])
    assert result.exit_code == 2 and "'-w' / '--workers': 0 is not in the range x>=1" in \
        result.stderr


def test_garbage_summary_is_not_a_complete_run(results: Path) -> None:
    assert is_complete(results, "good")
    tiny_run(results / "bad")
    (results / "bad" / "summary.json").write_text("garbage")
    assert not is_complete(results, "bad")  # so the sweep runs it again instead of skipping
    (results / "bad" / "summary.json").write_text('{"no": "status"}')
    assert not is_complete(results, "bad")


def test_ctrl_c_exits_130(results: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyboardInterrupt

    monkeypatch.setattr(model_cli, "run", interrupted)
    code, _, err = invoke(results, "solve", "--set", "snapshots_limit=24", "-r", "1h")
    assert code == 130 and err == "error: interrupted; nothing was written (results/ is as it " \
        "was)"


def test_an_unforeseen_error_is_one_line_not_a_traceback(results: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(model_cli, "run", broken)
    code, _, err = invoke(results, "solve", "--set", "snapshots_limit=24", "-r", "1h")
    assert code == 1 and err.startswith("error: internal error (RuntimeError: boom); re-run "
                                        "with -vv")


def test_infeasible_solve_exits_3_with_the_diagnosis(results: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The wiring of solve -> diagnosis -> one line, exit 3 (the diagnosis itself:
    tests/optimize/test_diagnose.py)."""
    import energy.pipeline as pipeline
    from energy.optimize import InfeasibleError

    def infeasible(n, scenario):  # noqa: ANN001, ANN202
        raise InfeasibleError(f"scenario {scenario.name!r} is infeasible (HiGHS hipo: "
                              "infeasible)")

    seen = []
    monkeypatch.setattr(pipeline, "build_network", lambda s, i, p: pypsa.Network())
    monkeypatch.setattr(pipeline, "solve_network", infeasible)
    monkeypatch.setattr(pipeline, "diagnose_infeasible",
                        lambda n, s, rebuild, solve: seen.append(s) or "demand cannot be met")
    code, _, err = invoke(results, "solve", "--set", "snapshots_limit=24", "-r", "1h",
                          "--set", "load_shedding.enabled=false")
    assert code == 3 and err == ("error: scenario 'base' is infeasible (HiGHS hipo: "
                                 "infeasible): demand cannot be met"), err
    assert seen and not seen[0].load_shedding.enabled
