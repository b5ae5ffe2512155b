"""The results store: every run appended as it is written, beside the plan and the statistics.

Backed by IIASA's `ixmp4 <https://docs.ece.iiasa.ac.at/ixmp4>`_ on an embedded SQLite file
(default ``results/store.sqlite3``, created on first use) or a shared PostgreSQL database.
Writers: :func:`record_run` (pipeline, sweep workers, ``validate``), :func:`record_failure`,
:func:`record_reference`, :func:`import_folders`. Readers: :func:`load` / :func:`grid` /
:func:`run_tables` (plain SQL on the ``taixin_*`` views and tables), or ``pyam.read_ixmp4``
through :func:`platform`.
"""

from __future__ import annotations

from typing import Any

from energy.store.engine import (
    ENV_VAR,
    StoreError,
    default_url,
    normalise,
    open_store,
    redact,
    resolve_url,
)
from energy.store.importer import ImportReport, import_folders
from energy.store.read import StoreData, grid, load, run_tables
from energy.store.record import StoredRun, record_failure, record_reference, record_run
from energy.store.schema import SCHEMA_VERSION

__all__ = ["ENV_VAR", "SCHEMA_VERSION", "ImportReport", "StoreData", "StoreError", "StoredRun",
           "default_url", "grid", "import_folders", "load", "normalise", "open_store",
           "platform", "record_failure", "record_reference", "record_run", "redact",
           "resolve_url", "run_tables"]


def platform(url: str) -> Any:
    """An ``ixmp4.Platform`` on the store (for ``pyam.read_ixmp4``)."""
    import ixmp4
    from ixmp4.transport import DirectTransport

    return ixmp4.Platform(DirectTransport.from_dsn(open_store(url, create=False)))
