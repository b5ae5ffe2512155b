"""Synthetic run folders and store backends (SQLite file, a real PostgreSQL) for store tests.

PostgreSQL: ``$TAIXIN_TEST_PG_URL`` (``.ci/run`` starts a cluster and exports it); without it,
a throw-away cluster is started from the installed binaries (as the ``postgres`` user when
running as root) for the test session; if neither works the PostgreSQL half is skipped with
the reason. Each test gets a fresh store: a copy of a template SQLite file, or a PostgreSQL
database created from a template database.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from energy.results.iamc import iamc_table
from energy.results.summary import SCHEMA_VERSION

PG_ENV = "TAIXIN_TEST_PG_URL"


def make_run(folder: Path, name: str, *, year: int = 2035, wind_mw: float = 1_000.0,
             cost_scale: float = 1.0, status: str = "optimal", kind: str = "solve") -> Path:
    """Write a small but complete run folder (tables, iamc.csv, grid, summary.json)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cols = ["component", "carrier", "bus_carrier", "unit", "installed", "optimal", "expanded"]
    capacity = pd.DataFrame([
        ("Generator", "onwind", "AC", "MW", 200.0, wind_mw, wind_mw - 200.0),
        ("Generator", "solar", "AC", "MW", 100.0, 500.0, 400.0),
        ("Link", "coal", "AC", "MW", 3_000.0, 3_000.0, 0.0),
        ("StorageUnit", "PHS", "AC", "MW", 1_200.0, 1_200.0, 0.0),
        ("StorageUnit", "PHS", "AC", "MWh", 6_600.0, 6_600.0, 0.0),
        ("Link", "export corridor", "AC", "MW", 0.0, 4_000.0, 4_000.0),
    ], columns=cols)
    costs = pd.DataFrame([("Generator", "onwind", "capex", 1.0e9 * cost_scale),
                          ("Link", "coal", "opex", 5.0e9 * cost_scale)],
                         columns=["component", "carrier", "cost_type", "value_cny_per_a"])
    emissions = pd.DataFrame([("coal", 30.0e6)], columns=["carrier", "co2_t_per_a"])
    balance = pd.DataFrame([("Generator", "onwind", "AC", 2.0e6),
                            ("Link", "coal", "AC", 18.0e6),
                            ("Generator", "export xiongan", "AC", -4.0e6),
                            ("Load", "AC", "AC", -16.0e6)],
                           columns=["component", "carrier", "bus_carrier", "value_mwh_per_a"])
    tables = {"capacity": capacity, "costs": costs, "emissions": emissions,
              "energy_balance": balance}
    for table_name, table in tables.items():
        table.to_csv(folder / f"{table_name}.csv", index=False)
    summary = {
        "schema_version": SCHEMA_VERSION, "scenario": name, "year": year, "status": status,
        "solver": {"preset": "hipo"}, "objective": 1.0,
        "system_cost": float(costs.value_cny_per_a.sum()), "co2_emissions": 30.0e6,
        "capacity_mw": {"onwind": wind_mw, "solar": 500.0, "coal": 3_000.0, "PHS": 1_200.0},
        "line_capacity_mw": {"installed": 1_000.0, "optimal": 1_500.0},
        "unserved_energy_mwh": 0.0, "resolution": "1h", "snapshots": 24, "hours": 8760.0,
        "heat": {"enabled": True, "clean_share_policy": 0.8},
        "gas": {"enabled": True, "supply_mm3": {"CBM": 300.0}},
        "timings": {"solve_s": 1.5, "total_s": 3.0},
        "near_optimal": {"slacks": [0.02], "ranges": {
            "onwind": {"label": "onshore wind [MW]", "optimum": wind_mw, "status": "ok",
                       "0.02": [0.8 * wind_mw, wind_mw]},
            "battery": {"label": "battery energy [MWh]", "optimum": 0.0, "status": "ok",
                        "0.02": [0.0, 900.0]}}},
        "provenance": {
            "sources": {"S04": "GEM Global Coal Plant Tracker", "S66": "Shanxi statistics"},
            "binding_low_confidence": [
                {"file": "renewable_sites.csv", "row": "wind_north", "column": "p_max_mw",
                 "value": 1_000.0, "unit": "MW", "source": "estimate", "confidence": "low",
                 "kind": "potential", "component": "Generator", "name": "wind_north onwind",
                 "dual": -95_000.0, "dual_unit": "CNY/(MW*a)"}]},
        "run_meta": {"kind": kind, "base_scenario": name, "config_hash": "c0ffee",
                     "input_hash": "beef", "code_version": "test",
                     "started_at": "2026-01-01T00:00:00+00:00",
                     "finished_at": "2026-01-01T00:00:03+00:00"},
    }
    iamc_table(tables, summary, name, year).to_csv(folder / "iamc.csv", index=False)
    pd.DataFrame({"bus": ["A", "B", "X"], "carrier": "AC", "location": ["zone", "zone", "xiongan"],
                  "x": [112.5, 112.7, 116.0], "y": [37.9, 38.4, 39.0], "v_nom": 500.0}
                 ).to_csv(folder / "grid_buses.csv", index=False)
    pd.DataFrame({"branch": ["L1", "corridor"], "kind": ["line", "corridor"],
                  "carrier": ["AC", "export corridor"], "bus0": ["A", "B"], "bus1": ["B", "X"],
                  "s_nom": [1_000.0, 0.0], "s_nom_opt": [1_500.0, 4_000.0],
                  "expanded": [500.0, 4_000.0], "mean_loading": [0.4, 0.7],
                  "max_loading": [1.0, 1.0]}).to_csv(folder / "grid_branches.csv", index=False)
    pd.DataFrame([("system cost", "6.000 bn CNY/a", 40, 12, 0.5, 0.25, 0.25, 3, "S04;S66",
                   "costs.csv;fuels.csv")],
                 columns=["figure", "value", "input_values", "input_rows", "low_share",
                          "medium_share", "high_share", "estimate_rows", "sources", "files"]
                 ).to_csv(folder / "headline_sources.csv", index=False)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def make_uncertainty(folder: Path, name: str, *, year: int = 2035) -> Path:
    """Write the outputs of a small uncertainty analysis (uncertainty.json, percentiles,
    ranking) as :func:`energy.uncertainty.summarise` does."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([
        ("system_cost", "CNY/a", 9.0e9, 6.0e9, 9.1e9, 12.0e9, 5.5e9, 9.0e9, 12.5e9, 4),
        ("capacity_mw:onwind", "MW", 12_600.0, 7_000.0, 11_800.0, 15_900.0, 7_000.0, 11_500.0,
         16_000.0, 4),
        ("capacity_mw:bus_a:onwind", "MW", 600.0, 500.0, 600.0, 700.0, 500.0, 600.0, 700.0, 4),
    ], columns=["metric", "unit", "base", "p5", "p50", "p95", "min", "mean", "max", "n"]
    ).to_csv(folder / "percentiles.csv", index=False)
    pd.DataFrame([(1, "demand_2035", 0.72, "system_cost", 0.72, 0.001, True),
                  (2, "wind_potential", 0.70, "capacity_mw:onwind", 0.70, 0.002, True)],
                 columns=["rank", "factor", "strength", "metric", "value", "p_value",
                          "significant"]).to_csv(folder / "what_matters.csv", index=False)
    info = {"name": folder.name, "scenario": "base", "year": year, "resolution": "seg182",
            "method": "lhs", "samples": 4, "factors": ["demand_2035", "wind_potential"],
            "runs": {"finished": 4, "failed": 0, "base": True}, "failed": [],
            "timings": {"total_s": 120.0, "per_sample_mean_s": 55.0}}
    (folder / "uncertainty.json").write_text(json.dumps(info), encoding="utf-8")
    return folder


# --- PostgreSQL -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """A throw-away PostgreSQL cluster on a loopback port (stopped by :meth:`stop`)."""

    def __init__(self, root: Path) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("no PostgreSQL binaries under /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        run = dict(check=True, capture_output=True, text=True, timeout=120)
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A",
                                     "trust", "-U", "postgres", "--no-sync"]), **run)
        subprocess.run(_as_postgres([
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(root / "log"), "-w",
            "-o", f"-p {self.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start"]), **run)
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the cluster (immediately; it is thrown away)."""
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                                     "immediate", "stop"]), capture_output=True, timeout=60)


def admin_engine(url: str) -> sa.Engine:
    """An autocommit engine on the cluster's ``postgres`` database (CREATE DATABASE ...)."""
    base = sa.make_url(url).set(database="postgres")
    return sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)


def new_database(admin: sa.Engine, template: str | None = None) -> str:
    """Create a database (optionally from a template); return its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        if template:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :d AND pid <> pg_backend_pid()"),
                         {"d": template})
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return admin.url.set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def postgres():
    """Yield a PostgreSQL URL (the environment's, or a cluster started here), or a reason.

    The cluster lives in its own directory under the system temp folder (the server runs as
    the ``postgres`` user, which cannot enter pytest's private temp folders).
    """
    if os.environ.get(PG_ENV):
        yield os.environ[PG_ENV], None
        return
    root = Path(tempfile.mkdtemp(prefix="taixin-pg-"))
    try:
        cluster = Cluster(root)
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        detail = getattr(err, "stderr", "") or str(err)
        shutil.rmtree(root, ignore_errors=True)
        yield None, f"no PostgreSQL ({PG_ENV} unset and no local cluster: {detail.strip()[:200]})"
        return
    try:
        yield cluster.url, None
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
