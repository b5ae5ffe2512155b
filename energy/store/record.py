"""Appending runs to the store: one transaction per run, a re-run is a new version.

:func:`record_run` is what the pipeline, the sweep workers, ``validate`` and ``store import``
call. It reads the (possibly still temporary) run folder and writes, in one transaction: one
ixmp4 run per IAMC model in the folder (the model's own results, plus e.g. ``Validation``
rows), their meta indicators, the network map, and — when the monitoring inputs changed — new
Plan and Statistics versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from energy.results.iamc import MODEL, REGION
from energy.results.runinfo import now_iso
from energy.store import schema
from energy.store.engine import open_store, transaction
from energy.store.folder import RunRecord, clean_meta, digest, read_folder, record_file
from energy.store.reference import Reference, load_reference, write_reference

#: ixmp4 region hierarchy of the regions the project writes (others: "other")
HIERARCHY = {REGION: "zone", "Shanxi": "province", "Taiyuan": "prefecture",
             "Xinzhou": "prefecture", "Xiong'an": "region"}


@dataclass(frozen=True)
class StoredRun:
    """Where a run went: its ixmp4 run id and version (per model), and the store's URL."""

    name: str
    run_id: int
    version: int
    url: str


def ensure_dimensions(platform: Any, frame: pd.DataFrame) -> None:
    """Create the regions and units of an IAMC frame that the platform does not know yet."""
    import ixmp4

    for region in sorted(set(frame.get("region", []))):
        try:
            platform.regions.get_by_name(region)
        except ixmp4.NotFound:
            platform.regions.create(region, hierarchy=HIERARCHY.get(region, "other"))
    for unit in sorted(set(frame.get("unit", []))):
        try:
            platform.units.get_by_name(unit)
        except ixmp4.NotFound:
            platform.units.create(unit)


def _table_rows(run_id: int, frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{"run_id": run_id, **r} for r in records]


def _write_record(platform: Any, conn: sa.Connection, rec: RunRecord) -> StoredRun:
    main: StoredRun | None = None
    for model in rec.models:
        rows = rec.iamc[rec.iamc.model == model]
        scenario = rec.name if model == MODEL else str(rows.scenario.iloc[0])
        frame = rows[["region", "variable", "unit", "year", "value"]].astype(
            {"year": int, "value": float})
        ensure_dimensions(platform, frame)
        run = platform.runs.create(model, scenario)
        with run.transact(f"record {rec.meta.get('kind', 'run')} {rec.name}"):
            if len(frame):
                run.iamc.add(frame, type="ANNUAL")
            run.meta = rec.meta
        if rec.default:
            run.set_as_default()
        if main is None:
            main = StoredRun(rec.name, int(run.id), int(run.version), "")
    assert main is not None
    extra = [(schema.RUN_TABLES[name], frame) for name, frame in rec.tables.items()]
    for table, frame in ((schema.bus, rec.buses), (schema.branch, rec.branches), *extra):
        rows = _table_rows(main.run_id, frame)
        if rows:
            columns = set(table.c.keys())
            conn.execute(sa.insert(table), [{k: v for k, v in r.items() if k in columns}
                                            for r in rows])
    return main


def record_run(folder: Path, url: str, *, name: str | None = None, kind: str | None = None,
               final: Path | None = None, network_data: Path | None = None) -> StoredRun:
    """Append a run folder to the store (one transaction; a new version of its scenario).

    Parameters
    ----------
    folder : Path
        A complete run folder (may still be the temporary one being written).
    url : str
        Store URL (created on first use).
    name : str, optional
        Run name (default: the folder's name); the ixmp4 scenario.
    kind : str, optional
        ``solve``, ``sweep``, ``pathway`` or ``validate`` (default: from ``summary.json``).
    final : Path, optional
        The folder's final location, recorded as the meta indicator ``folder``.
    network_data : Path, optional
        When given, ``targets.csv``, ``actuals.csv`` and ``counties.csv`` of this folder are
        recorded too if they changed since the store last saw them.

    Returns
    -------
    StoredRun
        The model run's id and version.

    Raises
    ------
    StoreError
        Unreachable store, other schema version, failed write (nothing is stored then).
    energy.inputs.InputError
        Malformed ``targets.csv`` / ``actuals.csv`` (checked before anything is written).
    """
    url = open_store(url)
    rec = read_folder(Path(folder), name=name, kind=kind, final=final)
    ref = load_reference(network_data) if network_data is not None else None

    def work(platform: Any, conn: sa.Connection) -> StoredRun:
        if ref is not None:
            write_reference(platform, conn, ref, ensure_dimensions)
        return _write_record(platform, conn, rec)

    stored = transaction(url, work)
    return StoredRun(stored.name, stored.run_id, stored.version, url)


def record_failure(url: str, name: str, reason: str, meta: dict[str, Any]) -> StoredRun:
    """Record a run that produced no result folder (infeasible, solver failure).

    The run gets a version with ``status`` and ``reason`` and no data; it does not become its
    scenario's default, so readers of default runs keep seeing the last good one.
    """
    url = open_store(url)
    info = clean_meta({**meta, "run": name, "reason": reason[:1000], "recorded_at": now_iso()})
    rec = RunRecord(name=name, iamc=pd.DataFrame(columns=["model", "scenario", "region",
                                                         "variable", "unit", "year", "value"]),
                    meta=info, default=False)
    stored = transaction(url, lambda platform, conn: _write_record(platform, conn, rec))
    return StoredRun(stored.name, stored.run_id, stored.version, url)


def record_reference(url: str, network_data: Path) -> bool:
    """Record plan targets, actuals and county seats if they changed; True if written."""
    url = open_store(url)
    ref: Reference = load_reference(network_data)
    return transaction(url, lambda platform, conn: write_reference(platform, conn, ref,
                                                                   ensure_dimensions))


def recorded_digests(url: str) -> set[tuple[str, str]]:
    """(scenario, folder_digest) of every run of the model in the store."""
    from energy.store.engine import make_engine

    with make_engine(open_store(url)).connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT scenario, value FROM taixin_meta WHERE model = :m AND key = 'folder_digest'"
        ).bindparams(m=MODEL)).all()
    return {(str(s), str(v)) for s, v in rows}


def folder_digest(folder: Path) -> tuple[str, str] | None:
    """(run name, digest of its record file) of a folder, as :func:`recorded_digests` has them."""
    path = record_file(folder)
    if path is None:
        return None
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return Path(folder).name, digest(path)
