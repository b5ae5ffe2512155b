"""±20 % sensitivity of base 2035 on the rest of Shanxi: load, fleet, outbound capacity.

    python benchmarks/neighbour_sensitivity.py [-r seg365] [--out FILE] [--readme]

Solves ``base`` (no full-year check, load shedding on so that a neighbour short of
capacity shows unserved energy instead of an infeasible LP) once as it is and once per factor
at 0.8 and 1.2
(``neighbour.load_scale``, ``neighbour.fleet_scale``, ``neighbour.outbound_scale``), one run
at a time in its own process (``nice``), and writes a JSON record and a Markdown table of
what the zone builds and what drives it. Each run takes minutes: it is not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = [("base", None, 1.0)] + [(f"{key} {f:+.0%}", key, 1.0 + f)
                                 for key in ("load_scale", "fleet_scale", "outbound_scale")
                                 for f in (-0.2, 0.2)]


def run_case(key: str | None, factor: float, resolution: str, results: Path,
             name: str) -> dict[str, Any]:
    """Solve one case in a child process and read its summary."""
    args = ["nice", "-n", "10", sys.executable, str(ROOT / "run.py"), "--results", str(results),
            "solve", "-r", resolution, "--set", "verify=false", "--out", name,
            "--set", "load_shedding.enabled=true"]  # a short neighbour shows as unserved energy
    if key is not None:
        args += ["--set", f"neighbour.{key}={factor}"]
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        return {"status": f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    s = json.loads((results / name / "summary.json").read_text())
    return {"seconds": round(time.perf_counter() - t0, 1), **figures(s)}


def figures(s: dict[str, Any]) -> dict[str, Any]:
    """The planner's figures of a base-like run's summary."""
    cap, sto = s["capacity_mw"], s["storage_mwh"]
    nb, c = s.get("neighbour", {}), s["co2_scopes"]
    pot = s.get("binding", {}).get("potentials", {})

    def land(carrier: str) -> dict[str, float]:
        sites = {k: v for k, v in pot.items() if f"{carrier}_" in k}
        limit = sum(v["limit_mw"] for v in sites.values())
        built = sum(v["optimal_mw"] for v in sites.values())
        binding = sum(1 for v in sites.values() if v["value_cny_per_mw_a"] > 1000.0)
        value = max((v["value_cny_per_mw_a"] for v in sites.values()), default=0.0)
        return {"share_of_room": round(built / limit, 3) if limit else None,
                "sites_binding": binding, "sites": len(sites), "max_value": round(value)}

    price = nb.get("boundary_prices_cny_per_mwh", {}).get("SXC", {})
    return {
        "status": s["status"],
        "system_cost_bn": round(s["system_cost"] / 1e9, 3),
        "unserved_zone_mwh": s["unserved_energy_mwh"],
        "unserved_neighbour_gwh": round(nb.get("unserved_energy_mwh", 0.0) / 1e3, 1),
        "onwind_mw": cap.get("onwind", 0.0), "solar_mw": cap.get("solar", 0.0),
        "battery_mw": cap.get("battery discharger", 0.0), "battery_mwh": sto.get("battery", 0.0),
        "phs_mw": cap.get("PHS", 0.0), "ocgt_mw": cap.get("OCGT", 0.0),
        "ccgt_mw": cap.get("CCGT", 0.0),
        "line_added_mw": round(s["line_capacity_mw"]["optimal"]
                               - s["line_capacity_mw"]["installed"], 1),
        "corridor_mw": s.get("export", {}).get("corridor_mw_total", 0.0),
        "zone_exports_twh": nb.get("exchange_with_zone_twh", {}).get("zone_exports"),
        "zone_imports_twh": nb.get("exchange_with_zone_twh", {}).get("zone_imports"),
        "co2_production_mt": round(c["production_t"] / 1e6, 2),
        "co2_consumption_mt": round(c["consumption_t"] / 1e6, 2),
        "price_sxc_mean": price.get("mean"), "surplus_hours": price.get("surplus_hours"),
        "neighbour_curtailment": nb.get("curtailment_share"),
        "land_onwind": land("onwind"), "land_solar": land("solar"),
    }


def table(rows: dict[str, dict[str, Any]]) -> str:
    """Markdown table of the cases."""
    head = ("| case | wind GW | solar GW | battery GW / GWh | OCGT GW | lines +GW | exports / "
            "imports TWh | CO2 prod. / cons. Mt | SXC price mean | surplus h | wind sites "
            "binding | solar sites binding | zone cost bn | neighbour unserved GWh |")
    lines = [head, "|" + "---|" * 14]
    for name, r in rows.items():
        if r.get("status") != "optimal":
            lines.append(f"| {name} | {r.get('status')} |" + " |" * 12)
            continue
        lines.append(
            f"| {name} | {r['onwind_mw'] / 1e3:.2f} | {r['solar_mw'] / 1e3:.2f} | "
            f"{r['battery_mw'] / 1e3:.2f} / {r['battery_mwh'] / 1e3:.0f} | "
            f"{r['ocgt_mw'] / 1e3:.2f} | {r['line_added_mw'] / 1e3:.1f} | "
            f"{r['zone_exports_twh']:.1f} / {r['zone_imports_twh']:.1f} | "
            f"{r['co2_production_mt']:.1f} / {r['co2_consumption_mt']:.1f} | "
            f"{r['price_sxc_mean']:.0f} | {r['surplus_hours']:.0f} | "
            f"{r['land_onwind']['sites_binding']}/{r['land_onwind']['sites']} | "
            f"{r['land_solar']['sites_binding']}/{r['land_solar']['sites']} | "
            f"{r['system_cost_bn']:.2f} | {r['unserved_neighbour_gwh']:.1f} |")
    return "\n".join(lines)


def main() -> None:
    """Run the cases one at a time and write the record."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--resolution", default="seg365")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "runs" /
                    f"{time.strftime('%Y%m%d')}-neighbour-sensitivity.json")
    args = ap.parse_args()
    results = Path(tempfile.mkdtemp(prefix="sens-"))
    rows: dict[str, dict[str, Any]] = {}
    for name, key, factor in CASES:
        print(f"[sensitivity] {name} ...", file=sys.stderr, flush=True)
        folder = name.replace(" ", "_").replace("%", "pct")
        rows[name] = run_case(key, factor, args.resolution, results, folder)
        print(f"[sensitivity]   {rows[name].get('status')} {rows[name].get('seconds')} s",
              file=sys.stderr, flush=True)
        args.out.write_text(json.dumps({"resolution": args.resolution, "cases": rows},
                                       indent=1))
    print(table(rows))


if __name__ == "__main__":
    main()
