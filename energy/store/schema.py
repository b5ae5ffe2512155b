"""The project's own tables and views beside ixmp4's in the results store.

ixmp4 holds the IAMC data points, the runs (model, scenario, version, default flag) and their
meta indicators. What ixmp4 has no place for lives in ``taixin_*`` tables keyed by ixmp4's
``run.id``: the network map of a run (buses, branches), the county seats, and the source and
confidence of every Plan and Statistics value, the inputs behind a run's headline figures
(``taixin_headline_source``, ``taixin_binding_input``, ``taixin_source``) and the factor ranking
of an uncertainty analysis (``taixin_influence``; its percentiles are IAMC rows). Two views
give third parties plain SQL: ``taixin_iamc`` (one row per data point, with model, scenario,
version and default flag) and ``taixin_meta`` (one row per run and meta indicator, the value
as text).

:data:`SCHEMA_VERSION` is stored in ``taixin_info``; a store written by another schema version
is refused with one line (see :func:`energy.store.engine.check_schema`).
"""

from __future__ import annotations

import sqlalchemy as sa

#: version of the store layout (taixin_* tables, views, meta keys, model names); bump the major
#: version when a reader of the old layout would misread the new one
SCHEMA_VERSION = "1.1"

#: ixmp4 model names of the runs the store holds besides the model's own
MODEL = "taixin-energy"
PLAN = "Plan"
STATISTICS = "Statistics"
PLAN_SCENARIO = "Targets"
STATISTICS_SCENARIO = "Reported"

metadata = sa.MetaData()

info = sa.Table(
    "taixin_info", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

provenance = sa.Table(
    "taixin_provenance", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("indicator_id", sa.String(128), nullable=False),
    sa.Column("indicator", sa.String(255), nullable=False),
    sa.Column("region", sa.String(128), nullable=False),
    sa.Column("variable", sa.String(255), nullable=False),
    sa.Column("unit", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("direction", sa.String(8)),
    sa.Column("document", sa.String(255)),
    sa.Column("source", sa.String(255), nullable=False),
    sa.Column("confidence", sa.String(16), nullable=False),
    sa.Column("note", sa.Text),
)

bus = sa.Table(
    "taixin_bus", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("bus", sa.String(128), nullable=False),
    sa.Column("carrier", sa.String(64)),
    sa.Column("location", sa.String(64)),
    sa.Column("x", sa.Float),
    sa.Column("y", sa.Float),
    sa.Column("v_nom", sa.Float),
)

branch = sa.Table(
    "taixin_branch", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("branch", sa.String(128), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("carrier", sa.String(64)),
    sa.Column("bus0", sa.String(128), nullable=False),
    sa.Column("bus1", sa.String(128), nullable=False),
    sa.Column("s_nom", sa.Float),
    sa.Column("s_nom_opt", sa.Float),
    sa.Column("expanded", sa.Float),
    sa.Column("mean_loading", sa.Float),
    sa.Column("max_loading", sa.Float),
)

county = sa.Table(
    "taixin_county", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("county_id", sa.String(64), nullable=False),
    sa.Column("name", sa.String(128)),
    sa.Column("name_zh", sa.String(128)),
    sa.Column("prefecture", sa.String(64)),
    sa.Column("bus", sa.String(128)),
    sa.Column("x", sa.Float),
    sa.Column("y", sa.Float),
)

headline_source = sa.Table(
    "taixin_headline_source", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("figure", sa.String(128), nullable=False),
    sa.Column("value", sa.String(64)),
    sa.Column("input_values", sa.Integer),
    sa.Column("input_rows", sa.Integer),
    sa.Column("low_share", sa.Float),
    sa.Column("medium_share", sa.Float),
    sa.Column("high_share", sa.Float),
    sa.Column("estimate_rows", sa.Integer),
    sa.Column("sources", sa.Text),
    sa.Column("files", sa.Text),
)

binding_input = sa.Table(
    "taixin_binding_input", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("kind", sa.String(16)),
    sa.Column("file", sa.String(128), nullable=False),
    sa.Column("row", sa.String(255), nullable=False),
    sa.Column("column", sa.String(128), nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("unit", sa.String(64)),
    sa.Column("source", sa.String(255)),
    sa.Column("confidence", sa.String(16)),
    sa.Column("component", sa.String(64)),
    sa.Column("name", sa.String(255)),
    sa.Column("dual", sa.Float),
    sa.Column("dual_unit", sa.String(64)),
)

source = sa.Table(
    "taixin_source", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("source", sa.String(32), nullable=False),
    sa.Column("title", sa.Text),
)

influence = sa.Table(
    "taixin_influence", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, nullable=False, index=True),
    sa.Column("rank", sa.Integer),
    sa.Column("factor", sa.String(128), nullable=False),
    sa.Column("strength", sa.Float),
    sa.Column("metric", sa.String(255)),
    sa.Column("value", sa.Float),
    sa.Column("p_value", sa.Float),
    sa.Column("significant", sa.Boolean),
)

#: per-run tables of :class:`energy.store.folder.RunRecord` ``extra`` (name -> table)
RUN_TABLES = {t.name: t for t in (headline_source, binding_input, source, influence)}

#: plain-SQL views over ixmp4's normalised tables (names as in ixmp4 0.16's migrations)
VIEWS = {
    "taixin_iamc": """
        SELECT m.name AS model, s.name AS scenario, r.version AS version,
               r.is_default AS is_default, r.id AS run_id, rg.name AS region,
               v.name AS variable, u.name AS unit, dp.step_year AS year, dp.value AS value
        FROM iamc_datapoint_universal dp
        JOIN iamc_timeseries ts ON dp.time_series__id = ts.id
        JOIN run r ON ts.run__id = r.id
        JOIN model m ON r.model__id = m.id
        JOIN scenario s ON r.scenario__id = s.id
        JOIN region rg ON ts.region__id = rg.id
        JOIN iamc_measurand ms ON ts.measurand__id = ms.id
        JOIN iamc_variable v ON ms.variable__id = v.id
        JOIN unit u ON ms.unit__id = u.id
    """,
    "taixin_meta": """
        SELECT r.id AS run_id, m.name AS model, s.name AS scenario, r.version AS version,
               r.is_default AS is_default, r.created_at AS created_at, e.key AS key,
               CASE e.dtype
                   WHEN 'INT' THEN CAST(e.value_int AS VARCHAR(64))
                   WHEN 'FLOAT' THEN CAST(e.value_float AS VARCHAR(64))
                   WHEN 'BOOL' THEN CAST(e.value_bool AS VARCHAR(8))
                   ELSE e.value_str END AS value
        FROM run r
        JOIN model m ON r.model__id = m.id
        JOIN scenario s ON r.scenario__id = s.id
        LEFT JOIN runmetaentry e ON e.run__id = r.id
    """,
}

#: our tables, for the checks that a store is complete
TABLES = tuple(metadata.tables)


def create(conn: sa.Connection) -> None:
    """Create the ``taixin_*`` tables and views and record :data:`SCHEMA_VERSION`.

    Parameters
    ----------
    conn : sqlalchemy.Connection
        A connection inside the initialising transaction (ixmp4's tables exist already).
    """
    metadata.create_all(conn, checkfirst=True)
    existing = set(sa.inspect(conn).get_view_names())
    for name, body in VIEWS.items():
        if name not in existing:
            conn.exec_driver_sql(f"CREATE VIEW {name} AS {body}")
    conn.execute(sa.delete(info).where(info.c.key == "schema_version"))
    conn.execute(sa.insert(info).values(key="schema_version", value=SCHEMA_VERSION))
