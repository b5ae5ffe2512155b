"""Thermal flexibility and operating reserve on ``base`` (issue #17 item 4): results and solve time.

Solves ``base`` at the default resolution (``seg730``, ``verify=false``) once per variant, one
at a time, each in its own process, and records LP size (before presolve), HiGHS time and
iterations, objective and system cost, coal generation and hours, wind and solar curtailment,
storage and gas turbines built, retrofit, start-ups and reserve::

    nice -n 10 .venv/bin/python benchmarks/run_flexibility.py            # all variants
    nice -n 10 .venv/bin/python benchmarks/run_flexibility.py --only min_load,off

Writes ``benchmarks/runs/<date>-flexibility.json`` and prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: variant -> overrides of base
VARIANTS: dict[str, list[str]] = {
    "off": ["flexibility.min_load=false"],
    "min_load": [],
    "min_load+retrofit": ["flexibility.retrofit=true"],
    "reserves": ["flexibility.min_load=false", "reserves.enabled=true"],
    "min_load+reserves": ["reserves.enabled=true"],
    "all": ["flexibility.retrofit=true", "reserves.enabled=true"],
}


def run_case(name: str, overrides: list[str], scenario: str, resolution: str) -> dict[str, Any]:
    """Build and solve one variant in this process; return its figures."""
    sys.path.insert(0, str(ROOT))
    import logging
    import warnings

    import pandas as pd

    from benchmarks.bench_case import lp_stats, peak_rss_gb
    from energy.carriers import renewable_carriers
    from energy.config import resolve_scenario
    from energy.network import build_network
    from energy.optimize import solve_network
    from energy.pipeline import Paths, prepare
    from energy.results.summary import operations_summary
    from energy.results.tables import cost_table

    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    paths = Paths()
    s = resolve_scenario(scenario, paths.scenarios, ["verify=false", *overrides],
                         resolution=resolution)
    out: dict[str, Any] = {"variant": name, "overrides": overrides,
                           "loadavg_start": list(os.getloadavg())}
    inputs, profiles = prepare(s, paths)
    t0 = time.perf_counter()
    n = build_network(s, inputs, profiles)
    t1 = time.perf_counter()
    report = solve_network(n, s)
    t2 = time.perf_counter()
    attempt = report.attempts[-1]
    out.update(lp_stats(n.model))
    w = n.snapshot_weightings.generators
    links = n.links
    coal = links.index[links.carrier.isin(["coal", "coal CHP"])]
    coal_mwh = float((-n.links_t.p1[coal]).mul(w, axis=0).sum().sum())
    coal_mw = float((links.p_nom[coal] * links.efficiency[coal]).sum())
    g = n.generators
    vres = g.index[g.carrier.isin(renewable_carriers())]
    avail = n.get_switchable_as_dense("Generator", "p_max_pu")[vres] * g.p_nom_opt[vres]
    curtailed = float((avail - n.generators_t.p[vres]).clip(lower=0).mul(w, axis=0).sum().sum())
    produced = float(n.generators_t.p[vres].mul(w, axis=0).sum().sum())
    cap = (links.p_nom_opt * links.efficiency).groupby(links.carrier).sum()
    su = n.storage_units
    new_su = su[su.p_nom_extendable]
    store = n.stores[n.stores.e_nom_extendable]
    out.update(
        status=report.termination,
        build_s=round(t1 - t0, 2),
        solve_wall_s=round(t2 - t1, 2),
        highs_s=attempt.get("highs_s"),
        iterations=attempt.get("iterations"),
        objective=report.objective,
        system_cost=float(cost_table(n).value_cny_per_a.sum()),
        coal_twh=coal_mwh / 1e6,
        coal_full_load_hours=coal_mwh / coal_mw,
        curtailment_twh=curtailed / 1e6,
        curtailment_share=curtailed / (curtailed + produced),
        battery_mwh=float(store.e_nom_opt[store.carrier == "battery"].sum()),
        battery_mw=float(cap.get("battery discharger", 0.0)),
        phs_new_mw=float(new_su.p_nom_opt[new_su.carrier == "PHS"].sum()),
        ocgt_mw=float(cap.get("OCGT", 0.0)),
        ccgt_mw=float(cap.get("CCGT", 0.0)),
        gas_chp_new_mw=float((links.p_nom_opt * links.efficiency)[
            links.p_nom_extendable & (links.carrier == "gas CHP")].sum()),
        onwind_mw=float(g.p_nom_opt[g.carrier == "onwind"].sum()),
        solar_mw=float(g.p_nom_opt[g.carrier == "solar"].sum()),
        retrofit_mw=float(cap.get("flexibility retrofit", 0.0)),
        operations=operations_summary(n, s),
        snapshots=len(n.snapshots),
        peak_rss_gb=round(peak_rss_gb(), 3),
        loadavg_end=list(os.getloadavg()),
    )
    del pd
    return out


def table(results: list[dict[str, Any]]) -> str:
    """Markdown table of the variants."""
    head = ("| variant | vars | rows | nnz | HiGHS s | iter. | system cost bn CNY/a | coal TWh "
            "(FLH) | curtailed TWh (%) | battery MW / MWh | new PHS MW | OCGT+CCGT MW | "
            "retrofit MW | start-ups MW/a |")
    lines = [head, "|" + "---|" * 14]
    for r in results:
        if r.get("status") != "optimal":
            lines.append(f"| {r['variant']} | {r.get('status')} |" + " |" * 12)
            continue
        ops = r["operations"].get("commitment", {})
        lines.append(
            f"| {r['variant']} | {r['vars']:,} | {r['rows']:,} | {r['nnz']:,} | "
            f"{r['highs_s']:.1f} | {r['iterations']} | {r['system_cost'] / 1e9:.3f} | "
            f"{r['coal_twh']:.2f} ({r['coal_full_load_hours']:,.0f}) | "
            f"{r['curtailment_twh']:.2f} ({100 * r['curtailment_share']:.1f}) | "
            f"{r['battery_mw']:,.0f} / {r['battery_mwh']:,.0f} | {r['phs_new_mw']:,.0f} | "
            f"{r['ocgt_mw'] + r['ccgt_mw']:,.0f} | {r['retrofit_mw']:,.0f} | "
            f"{ops.get('starts_mw_per_a', 0):,.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the variants one at a time (each in its own process) and write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(VARIANTS), help="comma-separated variants")
    ap.add_argument("--scenario", default="base")
    ap.add_argument("--resolution", default="seg730")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.case:
        result = run_case(args.case, VARIANTS[args.case], args.scenario, args.resolution)
        print("RESULT " + json.dumps(result, default=float), flush=True)
        return 0
    results = []
    for name in args.only.split(","):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--case", name,
               "--scenario", args.scenario, "--resolution", args.resolution]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        result = json.loads(lines[-1][7:]) if lines else {
            "variant": name, "status": f"failed: {proc.stderr.strip()[-300:]}"}
        result["process_s"] = round(time.perf_counter() - t0, 1)
        results.append(result)
        print(f"{name}: {result.get('status')} in {result['process_s']} s", flush=True)
    stamp = dt.date.today().strftime("%Y%m%d")
    path = HERE / "runs" / f"{stamp}-flexibility.json"
    path.write_text(json.dumps({"scenario": args.scenario, "resolution": args.resolution,
                                "results": results}, indent=1, default=float))
    print(table(results))
    print(f"written: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
