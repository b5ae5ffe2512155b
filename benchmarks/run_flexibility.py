"""Thermal flexibility and operating reserve on ``base`` (issue #17 item 4): results and solve time.

Solves ``base`` at the default resolution (``seg730``, ``verify=false``) once per variant, one
at a time, each in its own process, and records LP size (before presolve), HiGHS time and
iterations, objective and system cost, coal generation and hours, wind and solar curtailment,
storage and gas turbines built, retrofit, start-ups and reserve, all over the zone's
accounts (the rest of Shanxi keeps its own daily commitment in every variant)::

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

    from benchmarks.bench_case import lp_stats, peak_rss_gb
    from energy.config import resolve_scenario
    from energy.network import build_network
    from energy.optimize import solve_network
    from energy.pipeline import Paths, prepare
    from energy.results.summary import operations_summary

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
    out.update(zone_figures(n, s), status=report.termination, build_s=round(t1 - t0, 2),
               solve_wall_s=round(t2 - t1, 2), highs_s=attempt.get("highs_s"),
               iterations=attempt.get("iterations"), objective=report.objective,
               operations=operations_summary(n, s), snapshots=len(n.snapshots),
               peak_rss_gb=round(peak_rss_gb(), 3), loadavg_end=list(os.getloadavg()))
    return out


def zone_figures(n: Any, s: Any) -> dict[str, Any]:
    """The zone's results (zone accounts, :func:`energy.network.regions.zone_accounts`).

    Coal and coal CHP output [TWh] and full-load hours [h]; wind/solar curtailment; storage
    built and its equivalent full cycles (discharge / energy capacity [1/a]); OCGT/CCGT built
    [MW_el] and output; the zone's CO2 [Mt/a] and system cost [CNY/a].
    """
    from energy.carriers import renewable_carriers
    from energy.network.regions import zone_accounts
    from energy.results.tables import cost_table, emissions_table

    w = n.snapshot_weightings.generators
    links = n.links[zone_accounts(n, "Link")]
    out_el = (-n.links_t.p1[links.index]).mul(w, axis=0).sum()
    cap_el = links.p_nom_opt * links.efficiency
    fig: dict[str, Any] = {}
    for carrier in ("coal", "coal CHP", "gas CHP", "OCGT", "CCGT"):
        idx = links.index[links.carrier == carrier]
        mwh, mw = float(out_el[idx].sum()), float(cap_el[idx].sum())
        key = carrier.replace(" ", "_").lower()
        fig[f"{key}_twh"] = mwh / 1e6
        fig[f"{key}_mw"] = mw
        fig[f"{key}_full_load_hours"] = mwh / mw if mw > 0 else 0.0
    g = n.generators[zone_accounts(n, "Generator")]
    vres = g.index[g.carrier.isin(renewable_carriers())]
    avail = n.get_switchable_as_dense("Generator", "p_max_pu")[vres] * g.p_nom_opt[vres]
    produced = n.generators_t.p[vres]
    curtailed = float((avail - produced).clip(lower=0).mul(w, axis=0).sum().sum())
    fig["curtailment_twh"] = curtailed / 1e6
    fig["curtailment_share"] = curtailed / (curtailed + float(produced.mul(w, axis=0).sum().sum()))
    su = n.storage_units[zone_accounts(n, "StorageUnit")]
    phs = su.index[su.carrier == "PHS"]
    phs_out = n.storage_units_t.p_dispatch[phs].mul(w, axis=0).sum()
    phs_mwh = su.p_nom_opt[phs] * su.max_hours[phs]
    fig["phs_new_mw"] = float(su.p_nom_opt[phs][su.p_nom_extendable[phs]].sum())
    fig["phs_output_twh"] = {k: round(float(v) / 1e6, 4) for k, v in phs_out.items()
                             if phs_mwh[k] > 1.0}
    fig["phs_cycles"] = {k: round(float(phs_out[k] / phs_mwh[k]), 1) for k in phs
                         if phs_mwh[k] > 1.0}
    old = phs[~su.p_nom_extendable[phs]]  # Xilongchi I, the zone's existing pumped storage
    fig["phs_existing_twh"] = float(phs_out[old].sum()) / 1e6
    fig["phs_existing_cycles"] = (float(phs_out[old].sum() / phs_mwh[old].sum())
                                  if phs_mwh[old].sum() > 0 else 0.0)
    stores = n.stores[zone_accounts(n, "Store")]
    bat = stores.index[stores.carrier == "battery"]
    dis = links.index[links.carrier == "battery discharger"]
    fig["battery_mwh"] = float(stores.e_nom_opt[bat].sum())
    fig["battery_mw"] = float(cap_el[dis].sum())
    fig["battery_cycles"] = (float(out_el[dis].sum()) / fig["battery_mwh"]
                             if fig["battery_mwh"] > 1.0 else 0.0)
    fig["onwind_mw"] = float(g.p_nom_opt[g.carrier == "onwind"].sum())
    fig["solar_mw"] = float(g.p_nom_opt[g.carrier == "solar"].sum())
    retro = links.index[links.carrier == "flexibility retrofit"]
    fig["retrofit_mw"] = float(cap_el[retro].sum())
    fig["co2_mt"] = float(emissions_table(n).co2_t_per_a.sum()) / 1e6
    fig["system_cost"] = float(cost_table(n).value_cny_per_a.sum())
    return fig


def table(results: list[dict[str, Any]]) -> str:
    """Markdown table of the variants (zone figures)."""
    head = ("| variant | vars | rows | nnz | HiGHS s | iter. | zone system cost bn CNY/a | "
            "CO2 Mt | coal TWh (FLH) | coal CHP TWh (FLH) | OCGT+CCGT MW (TWh) | "
            "battery MW / MWh (cycles) | Xilongchi TWh (cycles) | curtailed TWh (%) | "
            "retrofit MW | reserve price CNY/MW/h mean (max) |")
    lines = [head, "|" + "---|" * 16]
    for r in results:
        if r.get("status") != "optimal":
            lines.append(f"| {r['variant']} | {r.get('status')} |" + " |" * 14)
            continue
        res = r["operations"].get("reserve", {})
        price = (f"{res['price_cny_per_mw_h_mean']:.2f} ({res['price_cny_per_mw_h_max']:.0f})"
                 if "price_cny_per_mw_h_mean" in res else "–")
        lines.append(
            f"| {r['variant']} | {r['vars']:,} | {r['rows']:,} | {r['nnz']:,} | "
            f"{r['highs_s']:.1f} | {r['iterations']} | {r['system_cost'] / 1e9:.3f} | "
            f"{r['co2_mt']:.2f} | {r['coal_twh']:.2f} ({r['coal_full_load_hours']:,.0f}) | "
            f"{r['coal_chp_twh']:.2f} ({r['coal_chp_full_load_hours']:,.0f}) | "
            f"{r['ocgt_mw'] + r['ccgt_mw']:,.0f} ({r['ocgt_twh'] + r['ccgt_twh']:.2f}) | "
            f"{r['battery_mw']:,.0f} / {r['battery_mwh']:,.0f} ({r['battery_cycles']:.0f}) | "
            f"{r['phs_existing_twh']:.2f} ({r['phs_existing_cycles']:.0f}) | "
            f"{r['curtailment_twh']:.2f} ({100 * r['curtailment_share']:.1f}) | "
            f"{r['retrofit_mw']:,.0f} | {price} |")
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
