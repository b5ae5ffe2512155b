"""Results of a solved network: tidy tables, ``summary.json``, the IAMC feed, atomic writing.

Everything is computed from the solved network alone, so ``compare`` and ``report`` work on
any saved ``network.nc``. Output schema version :data:`SCHEMA_VERSION` (README, "Output
schema").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypsa

from energy.inputs.sources import source_titles
from energy.results.datapackage import write_dashboard_feed
from energy.results.grid import grid_tables
from energy.results.headline_sources import FILE as HEADLINE_FILE
from energy.results.headline_sources import headline_sources
from energy.results.io import dumps_json, finite_json, write_atomically
from energy.results.provenance import FILE as PROVENANCE_FILE
from energy.results.provenance import binding_inputs, provenance_summary, provenance_table
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
    extra_tables: dict[str, Any] | None = None,
    on_written: Callable[[Path, dict[str, Any]], None] | None = None,
    inputs: Any = None,
    files: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Compute the tables and write the run folder atomically; return the summary.

    ``extra`` entries (e.g. ``verify``, the full-year design check; ``run_meta``) are added to
    the summary; ``extra_tables`` (e.g. ``validation``) are written beside the result tables
    and reach the IAMC feed; ``timings['write_s']`` is the time spent on tables and files [s]
    (up to summary.json) and is added to ``total_s`` and, as CPU time, to ``cpu_s`` when those
    are given. ``on_written(folder, summary)`` is called with the complete temporary
    folder before it is renamed into place (the results store records the run there): if it
    raises, the folder is not written either. With ``inputs`` (the run's
    :class:`energy.inputs.Inputs` after the build) the folder gets ``provenance.csv`` and the
    summary a ``provenance`` block (:mod:`energy.results.provenance`), and
    ``headline_sources.csv`` the inputs behind each headline figure
    (:mod:`energy.results.headline_sources`). ``files`` maps further
    file stems to tables written as ``<stem>.csv`` only (e.g. ``near_optimal``).
    """
    t0, c0 = time.perf_counter(), time.process_time()
    tables = {**result_tables(n), **(extra_tables or {})}
    info = summary(n, scenario, report, timings, tables)
    other = dict(files or {})
    if inputs is not None:
        table = provenance_table(inputs)
        info["provenance"] = provenance_summary(table, binding_inputs(n, table),
                                                source_titles(inputs.directory))
        other[PROVENANCE_FILE.removesuffix(".csv")] = table
        other[HEADLINE_FILE.removesuffix(".csv")] = headline_sources(table, n, info)
    info.update(extra or {})
    info = finite_json(info)

    def _write(folder: Path) -> None:
        for name, table in {**tables, **grid_tables(n), **other}.items():
            table.to_csv(folder / f"{name}.csv", index=False)
        (folder / "config.yaml").write_text(scenario.to_yaml(), encoding="utf-8")
        n.export_to_netcdf(folder / "network.nc")
        write_dashboard_feed(folder, n, scenario, tables, info)
        write_s = time.perf_counter() - t0
        info["timings"]["write_s"] = round(write_s, 2)
        for key, spent in (("total_s", write_s), ("cpu_s", time.process_time() - c0)):
            if key in timings:
                info["timings"][key] = round(timings[key] + spent, 2)
        (folder / "summary.json").write_text(dumps_json(info), encoding="utf-8")
        if on_written is not None:
            on_written(folder, info)

    write_atomically(target, _write)
    return info
