"""Where a run came from: resolved-config hash, input-data hash, code version, wall-clock times.

Written into ``summary.json`` under ``run_meta`` so a run folder carries its own provenance and
the results store can be rebuilt from the folders alone (``python run.py store import``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: settings that name or route a run but do not change the model (left out of the config hash)
NOT_MODEL = ("name", "description", "store")


def config_hash(config: dict[str, Any]) -> str:
    """Sha256 (first 16 hex digits) of a resolved scenario without its name and routing.

    Parameters
    ----------
    config : dict
        The resolved scenario as plain data (``Scenario.model_dump(mode="json")`` or the parsed
        ``config.yaml`` of a run folder).

    Returns
    -------
    str
        Two runs with the same model settings have the same hash, whatever they are called.
    """
    model = {k: v for k, v in config.items() if k not in NOT_MODEL}
    text = json.dumps(model, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_hash(network_data: Path, profiles: Path | None = None) -> str:
    """Sha256 (first 16 hex digits) over every input file a run read.

    Parameters
    ----------
    network_data : Path
        The input CSV folder (every ``*.csv`` counts, by name and content).
    profiles : Path, optional
        The profiles folder: the input hashes recorded in ``built/manifest.json`` (weather files
        and the station registry) count too.

    Returns
    -------
    str
        Changes when any input CSV or weather file changes.
    """
    h = hashlib.sha256()
    for path in sorted(Path(network_data).glob("*.csv")):
        h.update(path.name.encode())
        h.update(_sha256(path).encode())
    manifest = Path(profiles) / "built" / "manifest.json" if profiles is not None else None
    if manifest is not None and manifest.is_file():
        try:
            inputs = json.loads(manifest.read_text(encoding="utf-8")).get("inputs", {})
        except ValueError:
            inputs = {}
        for key in sorted(k for k in inputs if k.startswith("weather/")):
            h.update(f"{key}={inputs[key]}".encode())
    return h.hexdigest()[:16]


@cache
def code_version() -> str:
    """``git describe --always --dirty --tags`` of the checkout, or the package version.

    Returns
    -------
    str
        E.g. ``9301c28-dirty``; ``taixin-energy <version>`` outside a git checkout.
    """
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--tags"], cwd=ROOT,
                             capture_output=True, text=True, timeout=10, check=True)
        if out.stdout.strip():
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"taixin-energy {version('taixin-energy')}"
    except PackageNotFoundError:
        return "unknown"


def now_iso() -> str:
    """The current UTC time as ISO 8601 (seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def run_meta(config: dict[str, Any], network_data: Path, profiles: Path | None, kind: str,
             started_at: str, base: str | None = None) -> dict[str, Any]:
    """The ``run_meta`` entry of ``summary.json``.

    Parameters
    ----------
    config : dict
        The resolved scenario as plain data.
    network_data, profiles : Path
        Input folders of the run.
    kind : str
        ``solve``, ``sweep``, ``pathway`` or ``validate``.
    started_at : str
        ISO time the run started.
    base : str, optional
        Named scenario the run starts from (a sweep case's base), default the config's name.

    Returns
    -------
    dict
        ``kind``, ``base_scenario``, ``config_hash``, ``input_hash``, ``code_version``,
        ``network_data`` (folder), ``started_at``, ``finished_at`` (ISO, UTC).
    """
    return {
        "kind": kind,
        "base_scenario": base or str(config.get("name", "")),
        "config_hash": config_hash(config),
        "input_hash": input_hash(network_data, profiles),
        "code_version": code_version(),
        "network_data": str(Path(network_data).resolve()),
        "started_at": started_at,
        "finished_at": now_iso(),
    }
