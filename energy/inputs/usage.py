"""Which input rows a build used, recorded as the builders read them (provenance).

Every :class:`energy.inputs.Inputs` carries a :class:`Usage`. The accessors
(:meth:`~energy.inputs.Inputs.cost`, :meth:`~energy.inputs.Inputs.fuel`) record the row they
return; the network builders record the entity rows they add components from
(:meth:`~energy.inputs.Inputs.use`). A row is identified by its file and primary key (the key
columns of :data:`energy.inputs.SCHEMAS`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from energy.inputs.schema import SCHEMAS

#: separator of the key values in a row id (``solar/2035/investment``)
KEY_SEPARATOR = "/"


def row_id(key: tuple) -> str:
    """Readable id of a row from its primary-key values (``"onwind_TYB500"``, ``"coal/2035"``)."""
    return KEY_SEPARATOR.join(str(v) for v in key)


def key_frame(file: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The primary-key columns of ``frame`` (rows of ``file``), also when a key is the index."""
    keys = list(SCHEMAS[file][0])
    if all(k in frame.columns for k in keys):
        return frame[keys]
    flat = frame.reset_index()
    missing = [k for k in keys if k not in flat.columns]
    if missing:
        raise KeyError(f"{file}: rows lack the key column(s) {missing}")
    return flat[keys]


class Usage:
    """The set of input rows used, per file (insertion-ordered)."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[tuple, None]] = {}

    def add(self, file: str, keys: Iterable[tuple]) -> None:
        """Record rows of ``file`` by their primary-key tuples."""
        bucket = self._rows.setdefault(file, {})
        for key in keys:
            bucket[tuple(key)] = None

    def add_frame(self, file: str, frame: pd.DataFrame) -> None:
        """Record every row of ``frame`` (a selection of ``file``'s table)."""
        self.add(file, key_frame(file, frame).itertuples(index=False, name=None))

    def rows(self) -> dict[str, list[tuple]]:
        """Recorded primary keys per file."""
        return {f: list(keys) for f, keys in self._rows.items() if keys}

    def __contains__(self, item: tuple[str, tuple]) -> bool:
        file, key = item
        return tuple(key) in self._rows.get(file, {})
