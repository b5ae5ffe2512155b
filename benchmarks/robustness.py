"""Benchmark issue #19: a 64-sample uncertainty run and the near-optimal ranges of base.

Targets (2 cores): ``uncertainty`` of ``base`` with 64 Latin-hypercube samples at the coarse
resolution in <= 45 min (with the time per sample), and the near-optimal ranges of the seven
decisions in <= 15 min. Each part runs the CLI in a fresh process, times it end to end and
writes ``benchmarks/runs/<date>-robustness-<part>.json`` (machine, commit, load average,
settings, wall time, per-sample or per-LP times, headline results).

Full benchmark (the machine to itself)::

    .venv/bin/python benchmarks/robustness.py uncertainty --samples 64 -r seg182
    .venv/bin/python benchmarks/robustness.py mga -r seg182        # -w 1: serial

Small version (a per-sample time)::

    .venv/bin/python benchmarks/robustness.py uncertainty --samples 4 -r 24h
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run_benchmarks import git_commit, machine  # noqa: E402


def _run(cmd: list[str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t0, proc.returncode, proc.stdout + proc.stderr[-3000:]


def uncertainty(args: argparse.Namespace, results: Path) -> dict[str, Any]:
    """Run ``run.py uncertainty`` and collect its timings and ranges."""
    name = f"bench-uncertainty-{args.samples}-{args.resolution}"
    cmd = [sys.executable, "run.py", "--results", str(results), "uncertainty",
           "-s", args.scenario, "--samples", str(args.samples), "-r", args.resolution,
           "-w", str(args.workers), "--name", name, "--force"]
    wall, code, log = _run(cmd)
    info = json.loads((results / name / "uncertainty.json").read_text()) \
        if (results / name / "uncertainty.json").is_file() else {}
    samples = []
    if (results / name / "samples.csv").is_file():
        import pandas as pd

        table = pd.read_csv(results / name / "samples.csv")
        samples = table[["run", "status", "attempts", "elapsed_s"]].to_dict(orient="records")
    return {"part": "uncertainty", "exit_code": code, "wall_s": round(wall, 1),
            "target_s": 45 * 60, "samples": args.samples, "workers": args.workers,
            "resolution": args.resolution, "per_sample": samples,
            "per_sample_mean_s": info.get("timings", {}).get("per_sample_mean_s"),
            "per_sample_median_s": info.get("timings", {}).get("per_sample_median_s"),
            "throughput_s_per_sample": round(wall / (args.samples + 1), 1),
            "headline": info.get("headline"), "runs": info.get("runs"),
            "failed": info.get("failed"), "log_tail": log[-1500:]}


def mga(args: argparse.Namespace, results: Path) -> dict[str, Any]:
    """Run ``run.py mga`` and collect its timings and ranges."""
    name = f"bench-mga-{args.resolution}"
    cmd = [sys.executable, "run.py", "--results", str(results), "mga", "-s", args.scenario,
           "-r", args.resolution, "--no-verify", "--out", name, "-w", str(args.workers)]
    for decision in args.decision or []:
        cmd += ["--decision", decision]
    wall, code, log = _run(cmd)
    summary = json.loads((results / name / "summary.json").read_text()) \
        if (results / name / "summary.json").is_file() else {}
    block = summary.get("near_optimal", {})
    return {"part": "mga", "exit_code": code, "wall_s": round(wall, 1), "target_s": 15 * 60,
            "resolution": args.resolution, "solves": block.get("solves"),
            "workers": block.get("workers"), "near_optimal_s": block.get("seconds"),
            "lp_seconds": block.get("lp_seconds"),
            "per_lp_s": round(block["seconds"] / block["solves"], 1)
            if block.get("solves") else None,
            "optimum_solve_s": summary.get("timings", {}).get("solve_s"),
            "ranges": block.get("ranges"), "log_tail": log[-1500:]}


def main() -> None:
    """Command line: ``uncertainty`` or ``mga``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["uncertainty", "mga"])
    parser.add_argument("-s", "--scenario", default="base")
    parser.add_argument("-r", "--resolution", default="seg182")
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("-w", "--workers", type=int, default=2)
    parser.add_argument("--decision", action="append", help="mga: decisions (default all)")
    parser.add_argument("--results", type=Path, default=None,
                        help="results folder (default: a temporary one)")
    args = parser.parse_args()
    results = args.results or Path(tempfile.mkdtemp(prefix="bench-robust-"))
    load_start = os.getloadavg()
    record = uncertainty(args, results) if args.part == "uncertainty" else mga(args, results)
    record |= {"date": dt.datetime.now().isoformat(timespec="seconds"), "commit": git_commit(),
               "machine": machine(), "scenario": args.scenario,
               "loadavg_start": load_start, "loadavg_end": os.getloadavg(),
               "results": str(results)}
    out = HERE / "runs" / f"{dt.date.today():%Y%m%d}-robustness-{args.part}.json"
    out.write_text(json.dumps(record, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in record.items()
                      if k not in ("per_sample", "log_tail", "machine", "ranges")}, indent=2))
    print(f"[bench] {out}")


if __name__ == "__main__":
    main()
