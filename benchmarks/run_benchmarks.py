"""Benchmark the real scenarios at several time resolutions and HiGHS presets (issue #7).

Each case runs in its own process (one at a time, so the solver has the machine to itself and
the peak memory is the case's own) and records LP size and coefficient ranges, build, model,
solver and write times [s], peak memory [GB], objective, system cost, key capacities and, for
resolutions coarser than 1 h, the full-year design check (:func:`energy.verify.verify_design`).
Ratios (cost gap and speed-up) are computed against the 1 h case of the same run.

Reproduce the table in ``benchmarks/README.md``::

    .venv/bin/python benchmarks/run_benchmarks.py --readme

Quick look (first 4 weeks, three presets at 1 h)::

    .venv/bin/python benchmarks/run_benchmarks.py --limit 672 -r 1h -p hipo,ipm,simplex
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"
BEGIN, END = "<!-- BENCHMARK-TABLE:BEGIN -->", "<!-- BENCHMARK-TABLE:END -->"


def machine() -> dict[str, Any]:
    """CPU, cores, memory [GB] and package versions of this machine."""
    cpu = "unknown"
    mem_gb = float("nan")
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1e6, 1)
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb,
        "python": platform.python_version(),
        **{pkg: version(pkg) for pkg in ("pypsa", "linopy", "highspy", "highspy-extras")},
    }


def git_commit() -> str:
    """Current commit (with ``+dirty`` when the tree has changes); ``$BENCH_COMMIT`` wins."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        sha = subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                      text=True, stderr=subprocess.DEVNULL).strip()
        dirty = subprocess.run(["git", "diff", "--quiet"], cwd=ROOT,
                               stderr=subprocess.DEVNULL).returncode != 0
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_one(case: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    """Run a case in a fresh process; return its result (or the failure)."""
    cmd = [sys.executable, str(HERE / "bench_case.py"), json.dumps(case)]
    print(f"[bench] {case['scenario']} {case['resolution']} {case['preset']} ...", flush=True)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {**case, "status": f"killed after {timeout_s:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            print(f"[bench]   {result.get('status')} solver {result.get('solver_s')} s, "
                  f"peak {result.get('peak_rss_gb')} GB", flush=True)
            return result
    return {**case, "status": f"failed (exit {proc.returncode})",
            "stderr": proc.stderr[-2000:]}


def hourly_cost(r: dict[str, Any]) -> float | None:
    """The design's full-year system cost from its check [CNY/a], or None without a check.

    ``verify.system_cost_hourly_cny_per_a`` where the run has it; runs recorded before that key
    existed: the aggregated system cost plus the check's extra operating cost.
    """
    check = r.get("verify") if isinstance(r.get("verify"), dict) else {}
    if "system_cost_hourly_cny_per_a" in check:
        return float(check["system_cost_hourly_cny_per_a"])
    if "extra_cost_cny_per_a" in check:
        return r["system_cost"] + check["extra_cost_cny_per_a"]
    return None


def add_ratios(results: list[dict[str, Any]]) -> None:
    """Cost gap [p.u.] and solver speed-up against the 1 h case of the same scenario."""
    hourly: dict[tuple[str, Any], dict[str, Any]] = {}
    for r in results:  # the reference: the hipo 1 h case, else the first optimal 1 h case
        if r["resolution"] == "1h" and r.get("status") == "optimal":
            key = (r["scenario"], r.get("snapshots_limit"))
            if key not in hourly or (r["preset"] == "hipo" != hourly[key]["preset"]):
                hourly[key] = r
    for r in results:
        ref = hourly.get((r["scenario"], r.get("snapshots_limit")))
        if ref is None or r.get("status") != "optimal":
            continue
        r["cost_gap_vs_1h"] = r["system_cost"] / ref["system_cost"] - 1.0
        if hourly_cost(r) is not None:  # the design operated hourly vs the 1 h optimum
            r["hourly_cost_gap_vs_1h"] = hourly_cost(r) / ref["system_cost"] - 1.0
        r["speedup_vs_1h"] = ref["solver_s"] / max(r["solver_s"], 1e-9)


def _fmt(value: Any, spec: str = ".1f") -> str:
    if value is None:
        return "–"
    if isinstance(value, float | int):
        return format(value, spec)
    return str(value)


def markdown_table(results: list[dict[str, Any]]) -> str:
    """The results as a markdown table (one row per case)."""
    head = ("| scenario | resolution | preset | snapshots | vars / rows / nnz [k] | build s | "
            "model s | solver s | write s | total s | peak GB | status | system cost "
            "[bn CNY/a] | Δ vs 1 h | speed-up | solar / wind / gas GW | battery / PHS GWh | "
            "check: unserved MWh | check: extra cost | check: hourly cost [bn] | "
            "check: hourly cost vs 1 h | check s |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        cap = r.get("capacity_mw", {})
        sto = r.get("storage_mwh", {})
        v = r["verify"] if isinstance(r.get("verify"), dict) else {}
        gas = cap.get("OCGT", 0.0) + cap.get("CCGT", 0.0)
        size = (f"{r['vars'] / 1e3:.0f} / {r['rows'] / 1e3:.0f} / {r['nnz'] / 1e3:.0f}"
                if "vars" in r else "–")
        rows.append("| " + " | ".join([
            r["scenario"], r["resolution"] + (f" (first {r['snapshots_limit']} h)"
                                              if r.get("snapshots_limit") else ""),
            r["preset"], _fmt(r.get("snapshots"), "d"), size,
            _fmt(r.get("build_s")), _fmt(r.get("model_s")), _fmt(r.get("solver_s")),
            _fmt(r.get("write_s")), _fmt(r.get("total_s")), _fmt(r.get("peak_rss_gb"), ".2f"),
            str(r.get("status", "?"))[:40],
            _fmt(r["system_cost"] / 1e9, ".3f") if "system_cost" in r else "–",
            _fmt(100 * r["cost_gap_vs_1h"], "+.2f") + " %" if "cost_gap_vs_1h" in r else "–",
            _fmt(r.get("speedup_vs_1h"), ".1f") + "×" if "speedup_vs_1h" in r else "–",
            (f"{cap.get('solar', 0) / 1e3:.2f} / {cap.get('onwind', 0) / 1e3:.2f} / "
             f"{gas / 1e3:.2f}") if cap else "–",
            (f"{sto.get('battery', 0) / 1e3:.2f} / {sto.get('PHS', 0) / 1e3:.2f}") if sto else "–",
            _fmt(v.get("unserved_energy_mwh"), ".1f") if v else "–",
            (f"{100 * v['extra_cost_rel']:+.3f} %" if "extra_cost_rel" in v else "–"),
            _fmt(hourly_cost(r) / 1e9, ".3f") if hourly_cost(r) is not None else "–",
            (_fmt(100 * r["hourly_cost_gap_vs_1h"], "+.2f") + " %"
             if "hourly_cost_gap_vs_1h" in r else "–"),
            _fmt(v.get("seconds")) if v else "–",
        ]) + " |")
    return "\n".join(rows)


def _relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def update_readme(doc: dict[str, Any], json_path: Path) -> None:
    """Replace the table block of ``benchmarks/README.md`` with this run's table."""
    m = doc["machine"]
    block = "\n".join([
        BEGIN,
        f"Run {doc['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM; "
        f"PyPSA {m['pypsa']}, linopy {m['linopy']}, HiGHS (highspy) {m['highspy']}; "
        f"commit {doc['commit']}. Raw figures: `{_relative(json_path)}`."
        + (f" {doc['note']}" if doc.get("note") else ""),
        "",
        f"Command: `{doc['command']}`",
        "",
        doc["table"],
        "",
        "Load average (1 min) at the start of each case: "
        + ", ".join(f"{r['resolution']}/{r['preset']}: {r['loadavg_start'][0]:.1f}"
                    for r in doc["results"] if "loadavg_start" in r) + ".",
        END,
    ])
    text = README.read_text(encoding="utf-8") if README.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    README.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark matrix: scenarios × resolutions × presets."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-s", "--scenarios", default="base", help="comma-separated scenario names")
    ap.add_argument("-r", "--resolutions", default="seg365,seg730,seg1095,1h",
                    help="comma-separated: 1h, <k>h, seg<N>")
    ap.add_argument("-p", "--presets", default="hipo",
                    help="comma-separated HiGHS presets (see energy.optimize.PRESETS)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N hours")
    ap.add_argument("--set", dest="overrides", action="append", default=[],
                    metavar="KEY=VALUE", help="scenario override for every case (repeatable)")
    ap.add_argument("--no-verify", dest="verify", action="store_false",
                    help="skip the full-year design check of coarse resolutions")
    ap.add_argument("--verify-method", choices=("lp", "rolling"), default="lp")
    ap.add_argument("--time-limit", type=float, default=1800.0,
                    help="HiGHS time limit per case [s]")
    ap.add_argument("--out", type=Path, default=None, help="JSON file (default: dated)")
    ap.add_argument("--readme", action="store_true", help="write the table to README.md")
    ap.add_argument("--note", default="", help="free text stored with the run (and in README)")
    ap.add_argument("--table-from", type=Path, default=None, metavar="JSON",
                    help="only re-render the table of an earlier run (with --readme: into README)")
    args = ap.parse_args(argv)
    if args.table_from is not None:
        doc = json.loads(args.table_from.read_text(encoding="utf-8"))
        add_ratios(doc["results"])
        doc["table"] = markdown_table(doc["results"])
        print(doc["table"])
        if args.readme:
            update_readme(doc, args.table_from.resolve())
        return 0

    cases = [
        {"scenario": s, "resolution": r, "preset": p, "snapshots_limit": args.limit,
         "overrides": args.overrides, "run_check": args.verify,
         "verify_method": args.verify_method, "time_limit_s": args.time_limit}
        for s in args.scenarios.split(",")
        for r in args.resolutions.split(",")
        for p in args.presets.split(",")
    ]
    now = dt.datetime.now().astimezone()
    out = args.out or HERE / "runs" / f"{now:%Y%m%d-%H%M}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "date": now.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "command": "python benchmarks/" + " ".join([Path(sys.argv[0]).name,
                                                     *(argv or sys.argv[1:])]),
        "note": args.note,
        "results": [],
    }
    for case in cases:  # the JSON is rewritten after every case: a stopped run keeps its cases
        doc["results"].append(run_one(case, timeout_s=3 * args.time_limit + 600))
        add_ratios(doc["results"])
        doc["table"] = markdown_table(doc["results"])
        out.write_text(json.dumps(doc, indent=1, default=float), encoding="utf-8")
    print(doc["table"])
    print(f"[bench] wrote {out}")
    if args.readme:
        update_readme(doc, out)
        print(f"[bench] updated {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
