"""Plan, statistics and geography in the store: ``targets.csv``, ``actuals.csv``, county seats.

Recorded as the ixmp4 models ``Plan`` (scenario ``Targets``) and ``Statistics`` (scenario
``Reported``), with each value's source, confidence and note in ``taixin_provenance``, and the
county seats of ``counties.csv`` in ``taixin_county``. A new version is written only when the
files changed since the recorded one (their digest is the meta indicator ``input_digest``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from energy.inputs import read_table
from energy.inputs.monitoring import ACTUALS, TARGETS, load_monitoring
from energy.results.runinfo import now_iso
from energy.store import schema

FILES = (TARGETS, ACTUALS, "counties.csv")


@dataclass(frozen=True)
class Reference:
    """Validated plan, statistics and county tables of a network_data folder, with a digest."""

    targets: pd.DataFrame
    actuals: pd.DataFrame
    counties: pd.DataFrame
    digest: str
    folder: str


def load_reference(network_data: Path) -> Reference:
    """Read and validate the monitoring inputs (raises ``InputError`` with one line)."""
    folder = Path(network_data)
    monitoring = load_monitoring(folder)
    counties = (read_table(folder / "counties.csv") if (folder / "counties.csv").exists()
                else pd.DataFrame())
    h = hashlib.sha256()
    for name in FILES:
        path = folder / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return Reference(monitoring.targets, monitoring.actuals, counties, h.hexdigest()[:16],
                     str(folder.resolve()))


def recorded_digest(conn: sa.Connection) -> str | None:
    """The ``input_digest`` of the default Plan run, or None."""
    row = conn.execute(sa.text(
        "SELECT value FROM taixin_meta WHERE model = :m AND is_default AND key = 'input_digest'"
    ).bindparams(m=schema.PLAN)).first()
    return None if row is None else str(row[0])


def _iamc(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"region": table.region, "variable": table.variable,
                         "unit": table.unit, "year": table.year.astype(int),
                         "value": table.value.astype(float)})


def _provenance_rows(run_id: int, table: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for r in table.itertuples(index=False):
        rows.append({
            "run_id": run_id, "indicator_id": r.indicator_id, "indicator": r.indicator,
            "region": r.region, "variable": r.variable, "unit": r.unit, "year": int(r.year),
            "value": float(r.value), "direction": getattr(r, "direction", None),
            "document": getattr(r, "document", None), "source": r.source,
            "confidence": r.confidence, "note": r.note,
        })
    return rows


def write_reference(platform: Any, conn: sa.Connection, ref: Reference,
                    ensure: Any) -> bool:
    """Record plan, statistics and counties as new default versions, unless unchanged.

    Parameters
    ----------
    platform : ixmp4.Platform
        Bound to the open transaction.
    conn : sqlalchemy.Connection
        The transaction's connection.
    ref : Reference
        What to record.
    ensure : callable
        ``ensure(platform, frame)`` creates the regions and units of an IAMC frame.

    Returns
    -------
    bool
        Whether new versions were written.
    """
    if recorded_digest(conn) == ref.digest:
        return False
    meta = {"kind": "reference", "input_digest": ref.digest, "network_data": ref.folder,
            "recorded_at": now_iso()}
    plan_id = None
    for model, scenario, table in ((schema.PLAN, schema.PLAN_SCENARIO, ref.targets),
                                   (schema.STATISTICS, schema.STATISTICS_SCENARIO, ref.actuals)):
        frame = _iamc(table)
        ensure(platform, frame)
        run = platform.runs.create(model, scenario)
        with run.transact(f"record {model}"):
            if len(frame):
                run.iamc.add(frame, type="ANNUAL")
            run.meta = meta
        run.set_as_default()
        rows = _provenance_rows(run.id, table)
        if rows:
            conn.execute(sa.insert(schema.provenance), rows)
        plan_id = plan_id or run.id
    if len(ref.counties):
        c = ref.counties
        conn.execute(sa.insert(schema.county), [
            {"run_id": plan_id, "county_id": r.county_id, "name": r.name, "name_zh": r.name_zh,
             "prefecture": r.prefecture, "bus": r.bus, "x": float(r.x_lon), "y": float(r.y_lat)}
            for r in c.itertuples(index=False)])
    return True
