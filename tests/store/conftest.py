"""Store backends for the store tests: every test runs against SQLite and a real PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from energy.store import open_store
from tests.store_helpers import admin_engine, new_database, postgres


@pytest.fixture(scope="session")
def pg(tmp_path_factory: pytest.TempPathFactory):
    """(admin engine, template database name) of a PostgreSQL store, or the skip reason."""
    with postgres() as (url, reason):
        if url is None:
            yield None, reason
            return
        admin = admin_engine(url)
        template = new_database(admin)
        open_store(template)  # ixmp4's migrations and our tables, once
        yield (admin, sa.make_url(template).database), None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly initialised SQLite store file, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    open_store(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """An empty results store of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    server, reason = request.getfixturevalue("pg")
    if server is None:
        pytest.skip(f"PostgreSQL half skipped: {reason}")
    admin, template = server
    return new_database(admin, template)
