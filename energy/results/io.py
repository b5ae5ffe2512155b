"""Run folders: written so they appear complete or not at all, read with one-line errors.

Writing goes through :func:`energy.atomic.replace_dir` (lock, recover, write aside, swap);
``summary.json`` is strict JSON (no ``NaN``/``Infinity``: a non-finite number is written as
``null``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from energy.atomic import OutputError, replace_dir

#: the file whose presence (valid, with a ``status``) marks a complete run folder
DONE_MARKER = "summary.json"

__all__ = ["DONE_MARKER", "OutputError", "RunError", "dumps_json", "finite_json",
           "read_summary", "write_atomically"]


class RunError(ValueError):
    """A saved run folder that is missing, incomplete or unreadable."""


def write_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    """Write a run folder into a temporary sibling, then swap it into place.

    A failure or a kill anywhere leaves ``target`` as it was; see :mod:`energy.atomic`.

    Parameters
    ----------
    target : Path
        Final folder, e.g. ``results/base``.
    write : callable
        Called with the temporary folder; writes every file.

    Returns
    -------
    Path
        ``target``.
    """
    return replace_dir(target, write)


def finite_json(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±inf) replaced by ``None``, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite_json(v) for v in value]
    if isinstance(value, np.generic):  # numpy scalars
        return finite_json(value.item())
    return value


def dumps_json(value: Any, indent: int | None = 2) -> str:
    """Strict JSON text of ``value`` (non-finite numbers as ``null``)."""
    return json.dumps(finite_json(value), indent=indent, allow_nan=False)


def read_summary(folder: Path) -> dict[str, Any]:
    """Read and check a run folder's ``summary.json``.

    Returns
    -------
    dict
        The summary (a JSON object with a ``status``).

    Raises
    ------
    RunError
        Missing, unreadable, not JSON, or not a run summary; the message names the file.
    """
    path = Path(folder) / DONE_MARKER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise RunError(f"{path}: missing (not a complete run folder)") from err
    except OSError as err:
        raise RunError(f"{path}: cannot read ({err.strerror or err})") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RunError(f"{path}: not valid JSON ({err})") from err
    if not isinstance(data, dict) or "status" not in data:
        raise RunError(f"{path}: not a run summary (expected a JSON object with 'status')")
    return data
