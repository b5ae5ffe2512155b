"""The error every input check raises: one line naming file, row and column."""

from __future__ import annotations


class InputError(ValueError):
    """An input CSV that does not match its schema."""


def input_error(file: str, row: int | None, column: str | None, message: str) -> InputError:
    """An :class:`InputError` whose message names file, row (1-based, and its line) and column."""
    where = file if row is None else f"{file}, row {row} (line {row + 1})"
    if column is not None:
        where += f", column '{column}'"
    return InputError(f"{where}: {message}")
