"""Results of a solved network: tidy tables, ``summary.json``, the IAMC feed, atomic writing.

Everything is computed from the solved network alone, so ``compare`` and ``report`` work on
any saved ``network.nc``. Output schema version :data:`SCHEMA_VERSION` (README, "Output
schema").
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pypsa

from energy.inputs.sources import source_titles
from energy.results.datapackage import write_dashboard_feed
from energy.results.io import write_atomically
from energy.results.provenance import (
    FILE as PROVENANCE_FILE,
)
from energy.results.provenance import (
    binding_inputs,
    provenance_summary,
    provenance_table,
)
from energy.results.summary import SCHEMA_VERSION, summary
from energy.results.tables import result_tables

__all__ = ["SCHEMA_VERSION", "result_tables", "summary", "write_atomically", "write_results"]


def write_results(
    target: Path,
    n: pypsa.Network,
    scenario: Any,
    report: Any,
    timings: dict[str, float],
    extra: dict[str, Any] | None = None,
    inputs: Any = None,
    files: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compute the tables and write the run folder atomically; return the summary.

    ``extra`` entries (e.g. ``verify``, the full-year design check) are added to the summary;
    ``timings['write_s']`` is the time spent on tables and files [s] (up to summary.json).
    With ``inputs`` (the run's :class:`energy.inputs.Inputs` after the build) the folder gets
    ``provenance.csv`` and the summary a ``provenance`` block (:mod:`energy.results.provenance`).
    ``files`` maps further file stems to tables written as ``<stem>.csv`` (e.g.
    ``near_optimal``).
    """
    t0 = time.perf_counter()
    tables = result_tables(n)
    info = summary(n, scenario, report, timings, tables)
    extra_tables = dict(files or {})
    if inputs is not None:
        table = provenance_table(inputs)
        info["provenance"] = provenance_summary(table, binding_inputs(n, table),
                                                source_titles(inputs.directory))
        extra_tables[PROVENANCE_FILE.removesuffix(".csv")] = table
    info.update(extra or {})

    def _write(folder: Path) -> None:
        for name, table in {**tables, **extra_tables}.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        n.export_to_netcdf(folder / "network.nc")
        write_dashboard_feed(folder, n, scenario, tables, info)
        info["timings"]["write_s"] = round(time.perf_counter() - t0, 2)
        (folder / "summary.json").write_text(json.dumps(info, indent=2), encoding="utf-8")

    write_atomically(target, _write)
    return info
