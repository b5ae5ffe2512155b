"""Cost of the unit commitment in the full-year design check (issue #17 item 4).

Dispatches one saved design (``results/<run>/network.nc``) over the 8,760 h of its year with
its capacities fixed, with and without ``flexibility.min_load``, and records LP size, HiGHS
time and iterations, and the hourly operating cost::

    nice -n 10 .venv/bin/python benchmarks/check_flexibility.py results/base-flex-check
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(folder: str) -> None:
    """Run the check of the design in ``folder`` with the minimum load on and off."""
    import logging
    import warnings

    import pypsa

    from benchmarks.bench_case import lp_stats
    from energy.config import resolve_scenario
    from energy.network import build_network
    from energy.optimize.design_check import check_design, hourly_scenario
    from energy.pipeline import Paths, prepare

    logging.basicConfig(level=logging.WARNING)
    warnings.filterwarnings("ignore")
    pypsa.options.set_option("api.legacy_string_dtype", True)
    design = pypsa.Network(Path(folder) / "network.nc")
    paths = Paths()
    out = []
    for flag in ("true", "false"):
        s = resolve_scenario("base", paths.scenarios, [f"flexibility.min_load={flag}"])
        hourly = hourly_scenario(s)
        inputs, profiles = prepare(hourly, paths)
        n = build_network(hourly, inputs, profiles)
        load = list(os.getloadavg())
        t0 = time.perf_counter()
        result = check_design(n, design, hourly)
        attempt = {"iterations": None}
        h = getattr(n.model, "solver_model", None)
        if h is not None:
            info = h.getInfo()
            attempt = {"iterations": int(max(info.ipm_iteration_count,
                                              info.simplex_iteration_count)),
                       "highs_s": round(float(h.getRunTime()), 1)}
        record = {"min_load": flag, **lp_stats(n.model), **attempt,
                  "wall_s": round(time.perf_counter() - t0, 1), "loadavg": load,
                  **{k: result[k] for k in ("operating_cost_cny_per_a", "unserved_energy_mwh",
                                             "extra_cost_cny_per_a", "passed")}}
        print(json.dumps(record), flush=True)
        out.append(record)
    target = ROOT / "benchmarks" / "runs" / "20261206-flexibility-check.json"
    target.write_text(json.dumps({"design": str(folder), "results": out}, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
