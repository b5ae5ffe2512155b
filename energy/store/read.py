"""Reading the store with plain SQL (the dashboard, third parties): runs, IAMC data, plan, map.

Everything here uses the ``taixin_iamc`` / ``taixin_meta`` views and the ``taixin_*`` tables, so
a reader needs SQLAlchemy and a database driver, not ixmp4.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from energy.store import schema
from energy.store.engine import StoreError, first_line, make_engine, open_store, redact

#: meta indicators that are numbers (the view returns every value as text)
NUMERIC_META = ("year", "snapshots", "system_cost", "co2_emissions", "unserved_energy_mwh",
                "discounted_total_cost", "system_cost_hourly")


@dataclass(frozen=True)
class StoreData:
    """A snapshot of everything the dashboard shows.

    Attributes
    ----------
    runs : DataFrame
        One row per run of the model (every version, failed ones included): ``run_id``,
        ``scenario``, ``version``, ``is_default``, ``created_at`` and one column per meta
        indicator.
    iamc : DataFrame
        Data points of the model's default runs: model, scenario, version, run_id, region,
        variable, unit, year, value.
    plan, actuals : DataFrame
        Rows of ``targets.csv`` / ``actuals.csv`` as last recorded (with source and confidence).
    counties : DataFrame
        County seats (county_id, name, name_zh, prefecture, bus, x, y).
    """

    runs: pd.DataFrame
    iamc: pd.DataFrame
    plan: pd.DataFrame
    actuals: pd.DataFrame
    counties: pd.DataFrame


def _frame(conn: sa.Connection, sql: str, **params: object) -> pd.DataFrame:
    result = conn.execute(sa.text(sql).bindparams(**params) if params else sa.text(sql))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def runs_table(conn: sa.Connection) -> pd.DataFrame:
    """Every run of the model with its meta indicators as columns (newest first)."""
    long = _frame(conn, "SELECT run_id, scenario, version, is_default, created_at, key, value "
                        "FROM taixin_meta WHERE model = :m", m=schema.MODEL)
    if long.empty:
        return pd.DataFrame(columns=["run_id", "scenario", "version", "is_default",
                                     "created_at"])
    index = ["run_id", "scenario", "version", "is_default", "created_at"]
    wide = long.dropna(subset=["key"]).pivot_table(index=index, columns="key", values="value",
                                                   aggfunc="first")
    wide = wide.reset_index().rename_axis(columns=None)
    for column in NUMERIC_META:
        if column in wide:
            wide[column] = pd.to_numeric(wide[column], errors="coerce")
    wide["is_default"] = wide.is_default.astype(bool)
    return wide.sort_values("run_id", ascending=False, ignore_index=True)


def _provenance(conn: sa.Connection, model: str) -> pd.DataFrame:
    return _frame(conn, """
        SELECT p.indicator_id, p.indicator, p.region, p.variable, p.unit, p.year, p.value,
               p.direction, p.document, p.source, p.confidence, p.note
        FROM taixin_provenance p
        JOIN run r ON p.run_id = r.id JOIN model m ON r.model__id = m.id
        WHERE m.name = :m AND r.is_default""", m=model)


def load(url: str) -> StoreData:
    """Read what the dashboard needs from a store (which must exist).

    Raises
    ------
    StoreError
        No store, unreachable, another schema version.
    """
    url = open_store(url, create=False)
    try:
        with make_engine(url).connect() as conn:
            runs = runs_table(conn)
            iamc = _frame(conn, "SELECT model, scenario, version, run_id, region, variable, "
                                "unit, year, value FROM taixin_iamc WHERE model = :m AND "
                                "is_default", m=schema.MODEL)
            plan = _provenance(conn, schema.PLAN)
            actuals = _provenance(conn, schema.STATISTICS)
            counties = _frame(conn, """
                SELECT c.county_id, c.name, c.name_zh, c.prefecture, c.bus, c.x, c.y
                FROM taixin_county c JOIN run r ON c.run_id = r.id WHERE r.is_default""")
    except sa.exc.SQLAlchemyError as err:
        raise StoreError(f"cannot read results store {redact(url)}: {first_line(err)}") from None
    return StoreData(runs, iamc, plan, actuals, counties)


def grid(url: str, run_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Buses and branches of one run (empty frames when the run has no map)."""
    with make_engine(open_store(url, create=False)).connect() as conn:
        buses = _frame(conn, "SELECT bus, carrier, location, x, y, v_nom FROM taixin_bus "
                             "WHERE run_id = :r", r=int(run_id))
        branches = _frame(conn, "SELECT branch, kind, carrier, bus0, bus1, s_nom, s_nom_opt, "
                                "expanded, mean_loading, max_loading FROM taixin_branch "
                                "WHERE run_id = :r", r=int(run_id))
    return buses, branches


def run_tables(url: str, run_id: int) -> dict[str, pd.DataFrame]:
    """The per-run ``taixin_*`` tables of one run (inputs behind it, factor ranking).

    Returns
    -------
    dict of str to DataFrame
        Table name (:data:`energy.store.schema.RUN_TABLES`) -> its rows of ``run_id``, without
        the ``id`` and ``run_id`` columns (empty frames when the run has none).
    """
    out = {}
    with make_engine(open_store(url, create=False)).connect() as conn:
        for name, table in schema.RUN_TABLES.items():
            columns = [c for c in table.c if c.name not in ("id", "run_id")]
            result = conn.execute(sa.select(*columns).where(table.c.run_id == int(run_id))
                                  .order_by(table.c.id))
            out[name] = pd.DataFrame(result.fetchall(), columns=[c.name for c in columns])
    return out
