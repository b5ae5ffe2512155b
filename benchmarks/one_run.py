"""One run of every speed figure of issue #20 on this machine, one job at a time.

Steps (each in its own process, timed from outside, peak memory from ``/usr/bin/time -v``):

1. ``default``: ``run.py solve`` (base 2035 at the default resolution, windowed full-year check);
2. ``hourly``: ``run.py solve --scenario base-hourly`` (the exact hourly year);
3. ``pathway``: ``run.py solve --scenario pathway`` (perfect foresight at its default
   resolution, with the full-year check of each period's design);
4. ``tests``: ``make test``'s pytest command (fast suite);
5. ``check``: ``benchmarks/check_compare.py`` on the default run's design: the windowed check
   against the exact single LP over 8,760 h;
6. ``pathway-ref``: the pathway at a finer resolution (``--ref``, default ``seg1460``),
   without the check: the reference of the pathway's cost.

Usage::

    python benchmarks/one_run.py [--only default,hourly,...] [--ref seg1460]
                                 [--hourly-timeout 1800] [--name 20261207-xeon-one-run]

Writes ``benchmarks/runs/<name>.json`` (default ``<date>-one-run``) after every step (a
stopped run keeps what it measured) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
STEPS = ("default", "hourly", "pathway", "tests", "check", "pathway-ref")


def _stop_child(proc: subprocess.Popen) -> None:
    """Stop the command ``/usr/bin/time`` runs, so that it still reports the peak memory;
    the whole process group if that does not end it within 60 s."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.is_file() else []
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    try:
        proc.wait(timeout=60 if pids else 0)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()


def _timed(cmd: list[str], log: Path, timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd`` under ``/usr/bin/time -v``; wall time [s], peak memory [GB], exit code.

    A run longer than ``timeout`` [s] is stopped (``stopped_after_s``; its exit code is then
    the signal's; the peak memory is still reported).
    """
    t0 = time.perf_counter()
    stopped = None
    with log.open("w") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_child(proc)
            stopped = round(time.perf_counter() - t0, 1)
    wall = time.perf_counter() - t0
    text = log.read_text(errors="replace")
    rss = re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return {"cmd": " ".join(cmd[1:] if cmd[0] == PY else cmd), "exit": proc.returncode,
            **({"stopped_after_s": stopped} if stopped is not None else {}),
            "wall_s": round(wall, 1), "peak_gb": round(int(rss[-1]) / 1e6, 2) if rss else None,
            "loadavg_end": list(os.getloadavg())}


def _summary(folder: Path) -> dict[str, Any]:
    path = folder / "summary.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _solve(name: str, args: list[str], logs: Path, timeout: float | None = None
           ) -> dict[str, Any]:
    rec = _timed([PY, "run.py", "solve", *args, "--out", name, "--store", "none",
                  "--json"], logs / f"{name}.log", timeout)
    s = _summary(ROOT / "results" / name)
    rec["timings"] = s.get("timings")
    rec["system_cost"] = s.get("system_cost")
    rec["discounted_total_cost"] = s.get("discounted_total_cost")
    rec["discounted_total_system_cost"] = s.get("discounted_total_system_cost")
    rec["resolution"] = s.get("resolution")
    check = s.get("verify") or {}
    rec["check"] = ({y: {k: c.get(k) for k in ("passed", "method", "unserved_energy_mwh",
                                              "extra_cost_rel", "seconds", "design_solve_s")}
                     for y, c in check["periods"].items()} if "periods" in check else
                    {k: check.get(k) for k in ("passed", "method", "unserved_energy_mwh",
                                               "extra_cost_rel", "seconds",
                                               "system_cost_hourly_cny_per_a")})
    rec["solver"] = s.get("solver")
    return rec


def main(argv: list[str] | None = None) -> int:
    """Run the steps and write the record."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default=",".join(STEPS))
    p.add_argument("--ref", default="seg1460",
                   help="resolution of the pathway reference (finer than the pathway's own)")
    p.add_argument("--hourly-timeout", type=float, default=1800.0,
                   help="stop the hourly year after this long [s]")
    p.add_argument("--name", default=None,
                   help="record name (default <date>-one-run; a record of that name is added to)")
    args = p.parse_args(argv)
    stamp = dt.date.today().strftime("%Y%m%d")
    name = args.name or f"{stamp}-one-run"
    out = ROOT / "benchmarks" / "runs" / f"{name}.json"
    logs = ROOT / "results" / "one-run-logs"
    logs.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               "") if Path("/proc/cpuinfo").is_file() else ""
    record: dict[str, Any] = {"commit": commit, "cores": os.cpu_count(), "cpu": cpu,
                              "loadavg_start": list(os.getloadavg()),
                              "started": dt.datetime.now().isoformat(timespec="seconds"),
                              "steps": {}}
    if out.is_file():  # add to the record of the same day (steps run separately)
        record = {**json.loads(out.read_text()), "commit": commit}
    for step in args.only.split(","):
        print(f"== {step}", flush=True)
        if step == "default":
            rec = _solve("one-default", [], logs)
        elif step == "hourly":
            rec = _solve("one-hourly", ["--scenario", "base-hourly"], logs, args.hourly_timeout)
        elif step == "pathway":
            rec = _solve("one-pathway", ["--scenario", "pathway"], logs)
        elif step == "pathway-ref":
            rec = _solve("one-pathway-ref", ["--scenario", "pathway", "-r", args.ref,
                                             "--no-verify"], logs)
        elif step == "tests":
            rec = _timed([PY, "-m", "pytest", "-q", "-m", "not slow", "-n", "auto",
                          "--maxprocesses=4", "--dist", "loadgroup", "-p", "no:cacheprovider"],
                         logs / "tests.log")
            tail = (logs / "tests.log").read_text(errors="replace")
            found = re.findall(r"(\d+) passed.* in ([\d.]+)s", tail)
            if found:
                rec["passed"], rec["suite_s"] = int(found[-1][0]), float(found[-1][1])
        elif step == "check":
            target = ROOT / "benchmarks" / "runs" / f"{name}-check.json"
            resolution = _summary(ROOT / "results" / "one-default").get("resolution")
            if not resolution:
                raise SystemExit("step 'check' needs the design of step 'default' first")
            rec = _timed([PY, "benchmarks/check_compare.py", "results/one-default", "-s", "base",
                          "-r", resolution, "--out", str(target)], logs / "check.log")
            if target.is_file():
                rec["compare"] = json.loads(target.read_text()).get("windows_vs_exact")
        else:
            raise SystemExit(f"unknown step {step!r}; one of {', '.join(STEPS)}")
        record["steps"][step] = rec
        out.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
        print(json.dumps(rec, default=str)[:600], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
