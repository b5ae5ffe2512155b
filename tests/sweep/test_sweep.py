"""`sweep`: runs on a 2-worker Dask LocalCluster; failures recorded, nothing half-written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from energy.config import ConfigError
from energy.pipeline import Paths
from energy.sweep import expand, parse_grid, run_name, run_one, run_sweep

pytest.importorskip("distributed")

CRASH, BOOM = 1.0, 2.0  # CO2 prices that trigger the injected faults


def faulty_task(spec, paths):  # noqa: ANN001, ANN201 - executed on a Dask worker
    """Kill the worker mid-write (CRASH) or raise (BOOM); otherwise a normal run."""
    price = spec.parameters.get("co2.price_cny_per_t")
    if price == CRASH:
        (Path(paths.results) / f".{spec.name}.tmp-halfwritten").mkdir(exist_ok=True)
        os._exit(13)
    if price == BOOM:
        raise RuntimeError("injected failure")
    return run_one(spec, paths)


def test_grid_expands_to_named_runs(paths: Paths) -> None:
    grid = parse_grid(["co2.cap_mt=10,null", "co2.price_cny_per_t=0,200"])
    specs = expand(["base"], grid, paths.scenarios, ["snapshots_limit=24"], "1h")
    assert [s.name for s in specs][:2] == ["base--co2.cap_mt=10--co2.price_cny_per_t=0",
                                           "base--co2.cap_mt=10--co2.price_cny_per_t=200"]
    assert specs[0].scenario.co2.cap_mt == 10 and specs[2].scenario.co2.cap_mt is None
    assert specs[1].scenario.name == specs[1].name == run_name("base", specs[1].parameters)
    with pytest.raises(ConfigError):
        expand(["base"], {"co2.nope": [1]}, paths.scenarios)


@pytest.mark.slow
def test_sweep_survives_a_dead_worker_and_skips_completed_runs(tmp_path: Path) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    paths = Paths(results=tmp_path / "results")
    prices = [0.0, CRASH, BOOM, 75.0, 150.0, 300.0]  # 6 runs: 4 solve, 1 kills its worker, 1 raises
    specs = expand(["base"], {"co2.price_cny_per_t": prices}, paths.scenarios,
                   ["snapshots_limit=12"], "1h")
    seen = []
    table = run_sweep(specs, paths, workers=2, retries=0, task=faulty_task,
                      progress=lambda rec, counts: seen.append(counts))
    status = table.set_index("co2.price_cny_per_t").status
    assert status[CRASH] == "failed" and status[BOOM] == "failed"
    assert (status.drop([CRASH, BOOM]) == "done").all()
    row = table.set_index("co2.price_cny_per_t").loc[CRASH]
    assert "worker died" in row.reason and row.attempts == 1  # retries=0: given up at once
    assert "injected failure" in table.set_index("co2.price_cny_per_t").loc[BOOM, "reason"]
    assert seen[-1] == {"done": 4, "failed": 2, "skipped": 0, "remaining": 0}
    # nothing half-written: every folder is complete, no temporary folders are left
    entries = sorted(p.name for p in paths.results.iterdir())
    assert not [e for e in entries if e.startswith(".")]
    folders = [paths.results / e for e in entries if (paths.results / e).is_dir()]
    assert len(folders) == 4 and all((f / "summary.json").is_file() for f in folders)
    on_disk = pd.read_csv(paths.results / "sweep.csv")
    assert len(on_disk) == 6 and on_disk.system_cost_cny_per_a.notna().sum() == 4
    # the highest CO2 price emits less than none (in between, the zone's production-based CO2
    # may rise: the price applies to the rest of Shanxi too, whose coal it then displaces)
    done = table[table.status == "done"].sort_values("co2.price_cny_per_t")
    assert done.co2_t_per_a.iloc[-1] < done.co2_t_per_a.iloc[0]
    # re-running skips the completed runs without starting a cluster
    again = run_sweep([s for s in specs if s.parameters["co2.price_cny_per_t"] not in
                       (CRASH, BOOM)], paths, task=faulty_task)
    assert (again.status == "skipped").all()
