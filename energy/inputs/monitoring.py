"""Plan and actual as data: ``targets.csv`` (published targets) and ``actuals.csv`` (reported).

Both are optional monitoring inputs (the model does not read them); they are validated like
every other ``network_data`` file (one-line errors naming file, row and column) and go into the
results store as the ixmp4 models ``Plan`` and ``Statistics``.

Columns of both: ``indicator_id`` (lower-case id), ``indicator`` (name), ``region`` (IAMC
region: ``Shanxi``, ``Taiyuan-Xinzhou`` ...), ``variable`` (IAMC variable), ``unit``, ``year``,
``value``, ``source`` (ids of the bibliography in ``network_data/README.md``, ``;``-separated,
or ``estimate``), ``confidence``, ``note``. ``targets.csv`` adds ``direction`` (``min``: reach
at least the value; ``max``: stay at or below it) and ``document`` (the plan the target is from).
An indicator in both files has the same region, variable and unit in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from energy.inputs.errors import input_error as _fail
from energy.inputs.read import read_table
from energy.inputs.schema import Column

TARGETS = "targets.csv"
ACTUALS = "actuals.csv"

_COMMON = {
    "indicator_id": Column("str"),
    "indicator": Column("str"),
    "region": Column("str"),
    "variable": Column("str"),
    "unit": Column("str"),
    "value": Column("float", min=None),
}

#: file -> (key columns, column schema), read with :func:`energy.inputs.read.read_table`
MONITORING_SCHEMAS: dict[str, tuple[tuple[str, ...], dict[str, Column]]] = {
    TARGETS: (("indicator_id", "year"), {
        **_COMMON,
        "year": Column("int", min=2015, max=2060),
        "direction": Column("str", choices=("min", "max")),
        "document": Column("str"),
    }),
    ACTUALS: (("indicator_id", "year"), {
        **_COMMON,
        "year": Column("int", min=2000, max=2100),
    }),
}

_ID = re.compile(r"^[a-z0-9_]+$")
_SOURCE = re.compile(r"^(S\d{2,3}|M\d{2})$")


@dataclass(frozen=True)
class Monitoring:
    """The validated plan targets and reported actuals (empty tables when a file is absent)."""

    targets: pd.DataFrame
    actuals: pd.DataFrame


def _check(file: str, df: pd.DataFrame) -> None:
    for i, row in enumerate(df.itertuples(), start=1):
        if not _ID.match(row.indicator_id):
            raise _fail(file, i, "indicator_id",
                        f"expected lower-case letters, digits and _, got {row.indicator_id!r}")
        parts = [p.strip() for p in str(row.source).split(";")]
        if parts != ["estimate"] and not all(_SOURCE.match(p) for p in parts):
            raise _fail(file, i, "source", "expected source ids (S12, M03; ';'-separated, see "
                        f"network_data/README.md) or 'estimate', got {row.source!r}")


def _consistent(targets: pd.DataFrame, actuals: pd.DataFrame) -> None:
    first = targets.drop_duplicates("indicator_id").set_index("indicator_id")
    for i, row in enumerate(actuals.itertuples(), start=1):
        if row.indicator_id not in first.index:
            continue
        target = first.loc[row.indicator_id]
        for column in ("region", "variable", "unit"):
            if getattr(row, column) != target[column]:
                raise _fail(ACTUALS, i, column,
                            f"expected {target[column]!r} as in targets.csv for indicator "
                            f"{row.indicator_id!r}, got {getattr(row, column)!r}")
    for file, df in ((TARGETS, targets), (ACTUALS, actuals)):
        per = df.groupby("indicator_id")[["region", "variable", "unit"]].nunique()
        bad = per[(per > 1).any(axis=1)]
        if len(bad):
            ind = bad.index[0]
            column = str(bad.columns[(bad.loc[ind] > 1).to_numpy()][0])
            row = int((df.indicator_id == ind).to_numpy().nonzero()[0][1]) + 1
            raise _fail(file, row, column,
                        f"expected one {column} per indicator {ind!r}, got several")


def load_monitoring(directory: Path) -> Monitoring:
    """Read and validate ``targets.csv`` and ``actuals.csv`` of a network_data folder.

    Parameters
    ----------
    directory : Path
        The network_data folder; a missing file gives an empty table.

    Returns
    -------
    Monitoring
        Typed tables.

    Raises
    ------
    InputError
        On the first problem, with a one-line message naming file, row and column.
    """
    tables = {}
    for file, (_, schema) in MONITORING_SCHEMAS.items():
        path = Path(directory) / file
        if not path.exists():
            tables[file] = pd.DataFrame(columns=[*schema, "source", "confidence", "note"])
            continue
        tables[file] = read_table(path, MONITORING_SCHEMAS)
        _check(file, tables[file])
    _consistent(tables[TARGETS], tables[ACTUALS])
    return Monitoring(targets=tables[TARGETS], actuals=tables[ACTUALS])
