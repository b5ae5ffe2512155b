"""Uncertain inputs as data: ``network_data/uncertainty.csv``, read and checked.

One row per factor: a multiplier on ``column`` of the ``rows`` of an input ``file``, drawn
from ``distribution`` between ``low`` and ``high`` [p.u. of the value in the file]. The range
follows from the row's confidence and source (``note``: why). Columns:

``factor_id``, ``file``, ``rows`` (filter ``col=v1|v2;col2=v``, empty = all rows), ``column``
(``a|b``: several columns share the multiplier), ``distribution`` (``uniform`` or ``triangular``
with its mode at 1), ``low``, ``high``, ``source``, ``confidence``, ``note``.

Every error is one line naming ``uncertainty.csv``, the row and the column: an unknown file, row
or column, a range that does not contain 1, or one whose ends take a value outside its physical
bounds (negative demand or cost, an efficiency above 1) or break a rule across columns (a
heat-supply cap below the existing units): each end is applied to the inputs and checked
before any sample runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from energy.config import InputScaling
from energy.inputs import InputError, Inputs
from energy.inputs.columns import CONFIDENCE
from energy.inputs.errors import input_error
from energy.inputs.scaling import check_bounds, check_columns, scale_inputs, select_rows
from energy.inputs.schema import SCHEMAS

FILE = "uncertainty.csv"
COLUMNS = ("factor_id", "file", "rows", "column", "distribution", "low", "high", "source",
           "confidence", "note")
DISTRIBUTIONS = ("uniform", "triangular")


@dataclass(frozen=True)
class Factor:
    """One uncertain input: a multiplier on some values of an input file.

    Attributes
    ----------
    factor_id : str
        Name (a column of the design and of the influence tables).
    file, rows, column : str
        Input file, row filter and column(s) (see :mod:`energy.inputs.scaling`).
    distribution : str
        ``uniform`` or ``triangular`` (mode 1).
    low, high : float
        Range of the multiplier [p.u.]; ``low <= 1 <= high``.
    source, confidence, note : str
        Why this range.
    """

    factor_id: str
    file: str
    rows: str
    column: str
    distribution: str
    low: float
    high: float
    source: str = ""
    confidence: str = ""
    note: str = ""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Multipliers [p.u.] at the quantiles ``u`` in [0, 1] of the factor's distribution."""
        u = np.asarray(u, dtype=float)
        width = self.high - self.low
        if width <= 0:
            return np.full_like(u, self.low)
        if self.distribution == "uniform":
            return self.low + u * width
        return stats.triang(c=(1.0 - self.low) / width, loc=self.low, scale=width).ppf(u)


def _fail(row: int | None, column: str | None, message: str, file: str = FILE) -> InputError:
    return input_error(file, row, column, message)


def _number(text: str, row: int, column: str, file: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _fail(row, column, f"expected a number, got {text!r}", file) from None
    if not np.isfinite(value):
        raise _fail(row, column, f"expected a finite number, got {text!r}", file)
    return value


def read_factors(path: Path, inputs: Inputs) -> list[Factor]:
    """Read and check the factors of ``path`` against the input tables.

    Parameters
    ----------
    path : Path
        The factors CSV (default ``network_data/uncertainty.csv``).
    inputs : Inputs
        Validated inputs: files, rows and columns the factors name must exist in them.

    Returns
    -------
    list of Factor

    Raises
    ------
    InputError
        One line naming the file, row and column of the first problem.
    """
    path = Path(path)
    name = path.name
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise input_error(path.name, None, None, "file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise input_error(path.name, None, None, f"not a readable UTF-8 CSV ({err})") from None
    for column in COLUMNS:
        if column not in raw.columns:
            raise _fail(None, column, "missing column", name)
    if raw.empty:
        raise _fail(None, None, "no factors", name)
    factors: list[Factor] = []
    for i, rec in enumerate(raw.to_dict(orient="records"), start=1):
        rec = {k: str(v).strip() for k, v in rec.items()}
        if not rec["factor_id"]:
            raise _fail(i, "factor_id", "expected a name, got an empty cell", name)
        if rec["factor_id"] in {f.factor_id for f in factors}:
            raise _fail(i, "factor_id",
                        f"expected a unique name, got {rec['factor_id']!r} again", name)
        if rec["distribution"] not in DISTRIBUTIONS:
            raise _fail(i, "distribution", f"expected one of {list(DISTRIBUTIONS)}, "
                        f"got {rec['distribution']!r}", name)
        if rec["confidence"] not in CONFIDENCE:
            raise _fail(i, "confidence", f"expected one of {list(CONFIDENCE)}, "
                        f"got {rec['confidence']!r}", name)
        if not rec["source"]:
            raise _fail(i, "source", "expected source ids or 'estimate', got an empty cell", name)
        low, high = _number(rec["low"], i, "low", name), _number(rec["high"], i, "high", name)
        if low < 0:
            raise _fail(i, "low", f"expected a multiplier >= 0, got {low:g} (negative values)",
                        name)
        if not low <= 1.0 <= high or low == high:
            raise _fail(i, "high" if high < 1.0 else "low",
                        f"expected low <= 1 <= high with low < high, got [{low:g}, {high:g}]", name)
        factor = Factor(rec["factor_id"], rec["file"], rec["rows"], rec["column"],
                        rec["distribution"], low, high, rec["source"], rec["confidence"],
                        rec["note"])
        _check_against_inputs(factor, inputs, i, name)
        factors.append(factor)
    return factors


def _check_against_inputs(factor: Factor, inputs: Inputs, row: int, name: str) -> None:
    if factor.file not in SCHEMAS:
        raise _fail(row, "file", f"unknown input file {factor.file!r} "
                    f"(known: {', '.join(SCHEMAS)})", name)
    columns = [c.strip() for c in factor.column.split("|") if c.strip()]
    try:
        check_columns(factor.file, columns)
    except InputError as err:
        raise _fail(row, "column", str(err), name) from None
    table = getattr(inputs, factor.file.removesuffix(".csv"))
    try:
        mask = select_rows(table, factor.file, factor.rows)
    except InputError as err:
        raise _fail(row, "rows", str(err), name) from None
    for end, multiplier in (("low", factor.low), ("high", factor.high)):
        what = f"the {end} end {multiplier:g} of the range"
        try:
            for column in columns:
                check_bounds(factor.file, column, table.loc[mask, column].astype(float),
                             multiplier, multiplier, what)
            scale_inputs(inputs, [InputScaling(file=factor.file, rows=factor.rows,
                                               column=factor.column, factor=multiplier)])
        except InputError as err:
            raise _fail(row, end, f"{what}: {err}", name) from None


def factor_table(factors: list[Factor]) -> pd.DataFrame:
    """The factors as a table (columns :data:`COLUMNS`)."""
    return pd.DataFrame([{c: getattr(f, c) for c in COLUMNS} for f in factors],
                        columns=list(COLUMNS))
