"""One CSV column's schema (:class:`Column`), the provenance columns every table has."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONFIDENCE = ("high", "medium", "low")


@dataclass(frozen=True)
class Column:
    """Schema of one CSV column.

    Parameters
    ----------
    kind : str
        ``"str"``, ``"float"``, ``"int"`` or ``"bool"``.
    required : bool
        Whether empty cells are errors.
    min : float, optional
        Smallest allowed value (numbers).
    max : float, optional
        Largest allowed value (numbers): a physical limit or the plausible range of the unit
        (declared for every number, so that a value in kW where MW is expected, or a value
        1000 times too large, is caught; a test checks every numeric column has one).
    choices : tuple of str, optional
        Allowed values (strings).
    ref : str, optional
        ``"file.column"`` the value must exist in.
    unit : str, optional
        Unit of the number, shown in error messages.
    ref_where : tuple, optional
        ``(column, allowed)``: the referenced row's ``column`` must be one of ``allowed``
        (e.g. ``("role", ("zone",))``: a county sits on a zone bus, not on the export bus).
    ranges_by : str, optional
        Column of the same row whose value picks the allowed ``(min, max)`` from ``ranges``
        (e.g. costs.csv ``value`` by its ``unit``); rows whose key is not in ``ranges`` get
        ``min``/``max`` only.
    ranges : mapping, optional
        Key -> ``(min, max)`` for ``ranges_by``.
    """

    kind: str = "str"
    required: bool = True
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    ref: str | None = None
    unit: str | None = None
    ref_where: tuple[str, tuple[str, ...]] | None = None
    ranges_by: str | None = None
    ranges: Mapping[str, tuple[float, float]] | None = None


def _num(min: float | None = 0.0, max: float | None = None, required: bool = True,  # noqa: A002
         unit: str | None = None) -> Column:
    return Column("float", required=required, min=min, max=max, unit=unit)


def _year(required: bool = True) -> Column:
    return Column("int", required=required, min=1950, max=2100)


_PROVENANCE = {
    "source": Column("str"),
    "confidence": Column("str", choices=CONFIDENCE),
    "note": Column("str", required=False),
}
