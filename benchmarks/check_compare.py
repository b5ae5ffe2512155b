"""The full-year design check, windowed against exact, on one saved design (issue #20).

Reads a solved design (``network.nc`` of a run folder, e.g. from ``python run.py solve``),
rebuilds its hourly network and runs :func:`energy.optimize.design_check.verify_design` once
per method, one after the other in this process, so that the ratio of their times is measured
under the same load. Writes one JSON record::

    python benchmarks/check_compare.py results/base -s base -r seg730 \\
        --out benchmarks/runs/<date>-check-compare-base.json

``peak_rss_gb`` after each method is the process's peak so far (the windowed method runs
first, so its figure is its own; the exact LP's is the larger).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pypsa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from energy.config import resolve_scenario  # noqa: E402
from energy.optimize.design_check import verify_design  # noqa: E402
from energy.pipeline import Paths, prepare  # noqa: E402

#: figures of the check compared between the methods
FIGURES = ("unserved_energy_mwh", "operating_cost_cny_per_a", "system_cost_hourly_cny_per_a",
           "co2_t_per_a", "storage_deficit_mwh", "passed")


def main(argv: list[str] | None = None) -> int:
    """Run both methods on the design of ``folder``; print and write the record."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path, help="run folder with the design's network.nc")
    p.add_argument("-s", "--scenario", default="base")
    p.add_argument("-r", "--resolution", default="seg730")
    p.add_argument("--set", dest="overrides", action="append", default=[])
    p.add_argument("--methods", default="windows,exact")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    paths = Paths()
    scenario = resolve_scenario(args.scenario, paths.scenarios, tuple(args.overrides),
                                resolution=args.resolution)
    inputs, profiles = prepare(scenario, paths)
    design = pypsa.Network(args.folder / "network.nc")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    record: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit,
                    "command": " ".join(["python", *sys.argv]), "scenario": args.scenario,
                    "resolution": args.resolution, "overrides": args.overrides,
                    "design": str(args.folder), "cores": os.cpu_count(), "methods": {}}
    for method in args.methods.split(","):
        load = list(os.getloadavg())
        t0, c0 = time.perf_counter(), time.process_time()
        result = verify_design(design, scenario, inputs, profiles, method=method)
        result.update(wall_s=round(time.perf_counter() - t0, 2),
                      cpu_s=round(time.process_time() - c0, 2),
                      peak_rss_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                        / 1e6, 3),
                      loadavg_start=load, loadavg_end=list(os.getloadavg()))
        record["methods"][method] = result
        print(method, {k: result.get(k) for k in (*FIGURES, "method", "wall_s", "cpu_s",
                                                  "peak_rss_gb")}, flush=True)
    if {"windows", "exact"} <= record["methods"].keys():
        w, e = record["methods"]["windows"], record["methods"]["exact"]
        system = e["system_cost_hourly_cny_per_a"]
        record["windows_vs_exact"] = {
            "wall_ratio": round(w["wall_s"] / e["wall_s"], 4),
            "cpu_ratio": round(w["cpu_s"] / e["cpu_s"], 4),
            "unserved_mwh_diff": round(w["unserved_energy_mwh"] - e["unserved_energy_mwh"], 3),
            "operating_cost_diff_cny": round(w["operating_cost_cny_per_a"]
                                             - e["operating_cost_cny_per_a"], 0),
            "operating_cost_diff_rel_system": round(
                (w["operating_cost_cny_per_a"] - e["operating_cost_cny_per_a"]) / system, 7),
            "co2_diff_t": round(w["co2_t_per_a"] - e["co2_t_per_a"], 0),
        }
        print(record["windows_vs_exact"])
    args.out.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
