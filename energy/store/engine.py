"""Where the store is and how it is opened: URLs, engines, schema checks, one transaction per run.

A store URL is a SQLAlchemy URL: ``sqlite:///results/store.sqlite3`` (the default, created on
first use) or ``postgresql://user@host:5432/db`` (a shared store; the psycopg 3 driver is used).
A plain file path means a SQLite file. ``none`` switches recording off.

Writes go through :func:`transaction`: one database transaction per recorded run, with ixmp4's
session joined to it through savepoints (SQLAlchemy's ``join_transaction_mode=
"create_savepoint"``), so ixmp4's own per-call commits only release savepoints and nothing is
visible until the whole run is in. Concurrent writers that collide (SQLite's lock, a unique key
taken by the other writer in PostgreSQL) roll back and retry.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, orm

from energy.store import schema

T = TypeVar("T")

#: environment variable naming the store (below --store, above the config key)
ENV_VAR = "TAIXIN_STORE"
#: file name of the default embedded store under the results folder
DEFAULT_FILE = "store.sqlite3"
#: values of --store / TAIXIN_STORE / store that switch recording off
OFF = ("none", "off", "false", "no")
#: attempts of a write transaction that collided with another writer
ATTEMPTS = 12
_PG_LOCK = 73_150_018  # advisory lock id serialising the initialisation of a PostgreSQL store


class StoreError(RuntimeError):
    """A store that cannot be opened, has another schema version, or refused a write."""


def first_line(err: BaseException) -> str:
    """The first line of an exception's text (database drivers write several)."""
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return text[0] if text else type(err).__name__


def default_url(results: Path) -> str:
    """The embedded SQLite store of a results folder: ``sqlite:///<results>/store.sqlite3``."""
    return f"sqlite:///{(Path(results) / DEFAULT_FILE).resolve()}"


def resolve_url(cli: str | None, config: str | None, results: Path) -> str | None:
    """The store a command uses: ``--store``, else ``$TAIXIN_STORE``, else the config key.

    Parameters
    ----------
    cli : str, optional
        The ``--store`` option.
    config : str, optional
        The scenario's ``store`` key.
    results : Path
        The results folder (its ``store.sqlite3`` is the default).

    Returns
    -------
    str or None
        A normalised URL, or None when recording is switched off (``none``).
    """
    for value in (cli, os.environ.get(ENV_VAR), config):
        if value is not None and value.strip() != "":
            return None if value.strip().lower() in OFF else normalise(value.strip())
    return default_url(results)


def normalise(url: str) -> str:
    """A SQLAlchemy URL: a path becomes ``sqlite:///<abs path>``, ``postgresql://`` psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def redact(url: str) -> str:
    """The URL with its password masked (for messages)."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def is_sqlite(url: str) -> bool:
    """Whether the URL names a SQLite store."""
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for in-memory or other databases)."""
    database = sa.make_url(url).database if is_sqlite(url) else None
    return Path(database) if database and database != ":memory:" else None


@cache
def make_engine(url: str) -> sa.Engine:
    """An engine for the store (no pooling: each use opens and closes its connection).

    SQLite: write-ahead log (readers never block the writer), a 60 s busy timeout, and
    ``BEGIN IMMEDIATE`` for writers so two writers queue instead of deadlocking. PostgreSQL:
    psycopg 3 with a 5 s connect timeout.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as err:
        raise StoreError(f"results store {url!r}: not a database URL ({err})") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"results store {redact(url)}: expected a sqlite:// or postgresql:// "
                         "URL")
    if is_sqlite(url):
        engine = sa.create_engine(url, poolclass=sa.NullPool, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN (savepoints work)
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("writer") else "BEGIN")

        return engine
    return sa.create_engine(url, poolclass=sa.NullPool, max_identifier_length=63,
                            connect_args={"connect_timeout": 5})


def _state(conn: sa.Connection, url: str) -> str:
    """``ready`` (our schema, right version) or ``empty``; another version raises."""
    names = set(sa.inspect(conn).get_table_names())
    if schema.info.name not in names:
        return "empty"
    rows = dict(conn.execute(sa.select(schema.info.c.key, schema.info.c.value)).all())
    found = rows.get("schema_version")
    if found != schema.SCHEMA_VERSION:
        age = "an older" if (found or "0") < schema.SCHEMA_VERSION else "a newer"
        raise StoreError(
            f"results store {redact(url)} has {age} schema version ({found or 'none'}; this "
            f"code reads {schema.SCHEMA_VERSION}): rebuild it from the run folders with "
            "`python run.py --store NEW_URL store import results/*`")
    revision = rows.get("ixmp4_revision")
    if "alembic_version" in names and revision is not None:
        current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if current != revision:
            raise StoreError(f"results store {redact(url)}: ixmp4 tables at revision "
                             f"{current}, expected {revision}; rebuild the store")
    return "ready"


def open_store(url: str, create: bool = True) -> str:
    """Check a store before it is used; create it on first use.

    Parameters
    ----------
    url : str
        Store URL (normalised by :func:`normalise`).
    create : bool
        Create an empty store when there is none (False for readers such as the dashboard).

    Returns
    -------
    str
        The normalised URL.

    Raises
    ------
    StoreError
        Unreachable database, no store (``create=False``), another schema version.
    """
    url = normalise(url)
    engine = make_engine(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        if not create:
            raise StoreError(f"no results store at {path}: solve a run or "
                             "`python run.py store import results/*` first")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with engine.connect() as conn:
            if _state(conn, url) == "ready":
                return url
        if not create:
            raise StoreError(f"{redact(url)} is not a results store (no taixin_info table)")
        _initialise(engine, url)
    except sa.exc.SQLAlchemyError as err:
        raise StoreError(f"cannot open results store {redact(url)}: {first_line(err)}") from None
    return url


@cache
def ixmp4_head() -> str:
    """The newest migration revision of the installed ixmp4 (what its tables must be at)."""
    from ixmp4.db import get_alembic_controller

    head = get_alembic_controller("sqlite://").get_head_revision()
    return head[0] if isinstance(head, tuple) else str(head)


def _initialise(engine: sa.Engine, url: str) -> None:
    """Create ixmp4's tables (SQLite: metadata + stamp; PostgreSQL: its migrations) and ours."""
    from ixmp4.db import get_alembic_controller
    from ixmp4.db.models import get_metadata

    head = ixmp4_head()
    if is_sqlite(url):
        with engine.connect() as conn:
            conn.info["writer"] = True
            with conn.begin():  # BEGIN IMMEDIATE: a second initialiser waits, then sees ours
                if _state(conn, url) == "ready":
                    return
                get_metadata().create_all(conn, checkfirst=True)
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version "
                                     "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
                conn.exec_driver_sql("DELETE FROM alembic_version")
                conn.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": head})
                _create_ours(conn, head)
        return
    with engine.connect() as lock:
        lock.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_LOCK})")
        try:
            with engine.connect() as conn:
                if _state(conn, url) == "ready":
                    return
            get_alembic_controller(url).upgrade_database("head")  # versioning triggers too
            with engine.begin() as conn:
                _create_ours(conn, head)
        finally:
            lock.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_LOCK})")
            lock.commit()


def _create_ours(conn: sa.Connection, head: str) -> None:
    schema.create(conn)
    conn.execute(sa.delete(schema.info).where(schema.info.c.key == "ixmp4_revision"))
    conn.execute(sa.insert(schema.info).values(key="ixmp4_revision", value=head))


def _check_ixmp4(conn: sa.Connection, url: str) -> None:
    """The store's ixmp4 tables are at the installed ixmp4's revision."""
    stored = conn.execute(sa.select(schema.info.c.value)
                          .where(schema.info.c.key == "ixmp4_revision")).scalar()
    head = ixmp4_head()
    if stored != head:
        raise StoreError(f"results store {redact(url)} was made for another ixmp4 schema "
                         f"(revision {stored}, installed ixmp4 needs {head}): rebuild it with "
                         "`python run.py --store NEW_URL store import results/*`")


def _retryable(err: BaseException) -> bool:
    """A collision with another writer (lock, deadlock, serialisation, unique key)."""
    from ixmp4.base_exceptions import NotUnique

    if isinstance(err, sa.exc.IntegrityError | NotUnique):
        return True
    if isinstance(err, sa.exc.OperationalError | sa.exc.DBAPIError):
        text = str(err).lower()
        return any(k in text for k in ("locked", "deadlock", "serialize", "busy"))
    return False


def transaction(url: str, work: Callable[[Any, sa.Connection], T]) -> T:
    """Run ``work(platform, conn)`` in one transaction of the store; retry on collisions.

    Parameters
    ----------
    url : str
        A store checked by :func:`open_store`.
    work : callable
        Called with an ``ixmp4.Platform`` bound to the transaction and the SQLAlchemy
        connection (for the ``taixin_*`` tables). It must be repeatable: after a collision the
        transaction is rolled back and ``work`` runs again.

    Returns
    -------
    Any
        What ``work`` returned, once committed.

    Raises
    ------
    StoreError
        A database error that is not a collision, or collisions on every attempt; nothing of
        the run is stored then.
    """
    import ixmp4
    from ixmp4.transport import DirectTransport

    engine = make_engine(url)
    delay = 0.1
    for attempt in range(ATTEMPTS):
        try:
            with engine.connect() as conn:
                conn.info["writer"] = True
                with conn.begin():
                    if _state(conn, url) != "ready":
                        raise StoreError(f"{redact(url)} is not a results store")
                    _check_ixmp4(conn, url)
                    session = orm.Session(bind=conn, join_transaction_mode="create_savepoint",
                                          autoflush=False)
                    try:
                        transport = DirectTransport(session, ping_database=False,
                                                    check_alembic_version=False)
                        result = work(ixmp4.Platform(transport), conn)
                        # release the savepoint ixmp4's session may still hold (it also holds
                        # what ``work`` wrote through ``conn`` meanwhile); close() would roll
                        # it back
                        session.commit()
                    finally:
                        session.close()
            return result
        except StoreError:
            raise
        except Exception as err:  # noqa: BLE001 - classified below
            if _retryable(err) and attempt < ATTEMPTS - 1:
                time.sleep(delay * (1.0 + random.random()))
                delay = min(delay * 2.0, 3.0)
                continue
            if isinstance(err, sa.exc.SQLAlchemyError | ixmp4.Ixmp4Error):
                raise StoreError(f"results store {redact(url)}: write failed "
                                 f"({first_line(err)}); nothing of this run was stored") from err
            raise
    raise AssertionError("unreachable")  # pragma: no cover
