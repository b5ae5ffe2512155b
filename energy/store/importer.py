"""``store import``: rebuild (or top up) a store from run folders, one transaction per run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from energy.store.engine import StoreError, open_store
from energy.store.record import folder_digest, record_reference, record_run, recorded_digests


@dataclass
class ImportReport:
    """What an import did: folders recorded, already in the store, not run folders, failed."""

    recorded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    reference: bool = False


def import_folders(url: str, folders: Iterable[Path], network_data: Path | None = None,
                   progress: Callable[[str], None] | None = None) -> ImportReport:
    """Record every run folder not yet in the store.

    Parameters
    ----------
    url : str
        Store URL (created when missing).
    folders : iterable of Path
        Candidate folders (``results/*``); anything without ``summary.json`` (a run) or
        ``uncertainty.json`` (an uncertainty analysis) is skipped.
    network_data : Path, optional
        Also record ``targets.csv``, ``actuals.csv`` and the county seats of this folder.
    progress : callable, optional
        Called with each folder's name after it is handled.

    Returns
    -------
    ImportReport
        A folder whose ``summary.json`` (``uncertainty.json``) is already recorded under its
        name is not added twice; a folder that cannot be read is listed under ``failed`` and
        the others still go in.
    """
    url = open_store(url)
    report = ImportReport()
    if network_data is not None:
        report.reference = record_reference(url, network_data)
    seen = recorded_digests(url)
    for folder in sorted(Path(f) for f in folders):
        hidden = folder.name.startswith(".")  # temporary folders of a run being written
        key = folder_digest(folder) if folder.is_dir() and not hidden else None
        if key is None:
            report.skipped.append(folder.name)
        elif key in seen:
            report.present.append(folder.name)
        else:
            try:
                record_run(folder, url)
                report.recorded.append(folder.name)
                seen.add(key)
            except StoreError as err:
                report.failed.append((folder.name, str(err)))
        if progress is not None:
            progress(folder.name)
    return report
