"""The unit of every input column (``provenance.csv``, the data package of a run).

Column names mostly end in their unit (``p_nom_max_mw``, ``price_cny_per_mwh_th``); the rest are
listed in :data:`COLUMN_UNITS`. Long tables (``costs.csv``, ``gas.csv``) carry the unit of their
``value`` in a ``unit`` column of the row.
"""

from __future__ import annotations

#: columns whose unit is not in their name
COLUMN_UNITS: dict[str, str] = {
    "x_lon": "deg", "y_lat": "deg", "efficiency": "p.u.", "efficiency_round_trip": "p.u.",
    "circuits": "-", "max_hours": "h", "full_load_hours_target": "h/a", "area_share": "p.u.",
    "year": "a", "build_year": "a", "earliest_year": "a", "c_b": "p.u.", "c_v": "p.u.",
    "route_factor": "p.u.", "terminal_loss": "p.u.", "loss_per_1000km": "p.u./1000 km",
    "ultra_low_emission": "-",
}

#: name suffix -> unit, most specific first
SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_cny_per_mw_km", "CNY/(MW*km)"), ("_cny_per_mwh_th", "CNY/MWh_th"),
    ("_cny_per_mwh", "CNY/MWh"), ("_cny_per_mw", "CNY/MW"), ("_cny_per_m3", "CNY/m3"),
    ("_t_per_mwh_th", "t CO2/MWh_th"), ("_t_per_mwh", "t CO2/MWh"), ("_ohm_per_km", "ohm/km"),
    ("_pct_per_km", "%/km"), ("_pct_per_a", "%/a"), ("_w_per_m2", "W/m2"), ("_mm2", "Mm2"),
    ("_mw_th", "MW_th"), ("_mwh", "MWh/a"), ("_mw", "MW"), ("_kv", "kV"), ("_km", "km"),
    ("_years", "a"),
)


def input_unit(column: str, row_unit: str | None = None) -> str:
    """Unit of an input column [text]; ``row_unit`` is the row's ``unit`` cell (long tables).

    Parameters
    ----------
    column : str
        Column name of a ``network_data`` CSV.
    row_unit : str, optional
        The row's own ``unit`` (``costs.csv``, ``gas.csv``): used for their ``value`` column.

    Returns
    -------
    str
        The unit, ``"-"`` for ids and categories.
    """
    if column == "value" and row_unit:
        return row_unit
    if column in COLUMN_UNITS:
        return COLUMN_UNITS[column]
    return next((unit for suffix, unit in SUFFIX_UNITS if column.endswith(suffix)), "-")
