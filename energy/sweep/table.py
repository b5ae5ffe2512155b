"""The sweep table: one row per run with its parameters, status and headline figures."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from energy.atomic import write_text
from energy.results.iamc import technology
from energy.results.io import DONE_MARKER, RunError
from energy.results.io import read_summary as read_run_summary
from energy.sweep.spec import RunRecord

__all__ = ["DONE_MARKER", "read_summary", "sweep_table", "write_table"]


def read_summary(folder: Path) -> dict[str, Any]:
    """A run folder's ``summary.json``, or ``{}`` when it is missing, unreadable or no summary."""
    try:
        return read_run_summary(folder)
    except RunError:
        return {}


def _col(carrier: str) -> str:
    return "_".join(str(carrier).split())


def _key_capacities(summary: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for carrier, mw in (summary.get("capacity_mw") or {}).items():
        if technology(carrier).role in ("generation", "storage") and mw > 0:
            out[f"cap_{_col(carrier)}_mw"] = mw
    for carrier, mwh in (summary.get("storage_mwh") or {}).items():
        out[f"storage_{_col(carrier)}_mwh"] = mwh
    return out


def sweep_table(records: Sequence[RunRecord] | Any) -> pd.DataFrame:
    """One row per run: parameters, status, reason, cost, emissions, key capacities.

    Columns: ``run``, ``scenario`` (named base), one column per grid key, ``status`` (done |
    failed | skipped), ``reason``, ``attempts``, ``elapsed_s`` [s], ``system_cost_cny_per_a``
    [CNY/a], ``co2_t_per_a`` [t CO2/a], ``unserved_mwh_per_a`` [MWh/a], ``line_capacity_mw``
    [MW], ``cap_<carrier>_mw`` [MW], ``storage_<carrier>_mwh`` [MWh].
    """
    rows = []
    for rec in records:
        s = rec.summary
        row: dict[str, Any] = {"run": rec.spec.name, "scenario": rec.spec.base,
                               **rec.spec.parameters, "status": rec.status,
                               "reason": rec.reason, "attempts": rec.attempts,
                               "elapsed_s": rec.elapsed_s}
        if s:
            row |= {"system_cost_cny_per_a": s.get("system_cost"),
                    "co2_t_per_a": s.get("co2_emissions"),
                    "unserved_mwh_per_a": s.get("unserved_energy_mwh"),
                    "line_capacity_mw": (s.get("line_capacity_mw") or {}).get("optimal"),
                    **_key_capacities(s)}
        rows.append(row)
    return pd.DataFrame(rows)


def write_table(records: Any, csv: Path) -> None:
    """Write the sweep table atomically (temporary file, then rename)."""
    write_text(csv, sweep_table(list(records)).to_csv(index=False))
