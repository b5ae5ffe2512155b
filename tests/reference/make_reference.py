"""Regenerate the reference result of ``tests/test_reference.py`` after an intended change.

    python tests/reference/make_reference.py

Solves the reference case (``base``, the first 48 hours at 1 h, the real inputs and profiles)
and writes ``tests/reference/base_48h.json``: the objective [CNY/a] and the optimal capacity
[MW] of every carrier at the electricity buses. Commit the new file with the change that moved
it, and say in the commit message why the reference moved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pypsa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.solve_helpers import scenario, solve  # noqa: E402

REFERENCE = Path(__file__).with_name("base_48h.json")
OVERRIDES = ("verify=false",)
HOURS = 48


def reference_figures(n: pypsa.Network) -> dict:
    """Objective [CNY/a] and optimal capacity by carrier at AC buses [MW] of a solved case."""
    cap = n.statistics.optimal_capacity(bus_carrier="AC", groupby="carrier", nice_names=False)
    cap = cap.groupby(level="carrier").sum() if cap.index.nlevels > 1 else cap
    return {"objective_cny_per_a": float(n.objective),
            "capacity_mw": {str(k): round(float(v), 1) for k, v in cap.items() if abs(v) > 0.5}}


def main() -> None:
    pypsa.options.set_option("api.legacy_string_dtype", True)
    n = solve(*OVERRIDES, hours=HOURS)
    figures = {"case": f"base, first {HOURS} h at 1 h, {', '.join(OVERRIDES)}",
               "scenario_year": scenario(*OVERRIDES, hours=HOURS).year, **reference_figures(n)}
    REFERENCE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {REFERENCE}")


if __name__ == "__main__":
    main()
