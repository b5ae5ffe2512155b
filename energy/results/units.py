"""One unit vocabulary: the unit a result column or summary key carries, from its name's suffix.

Names end in their unit (``value_cny_per_a``, ``exported_twh``, ``corridor_mw``). The data
package's field descriptions and ``compare``'s unit column both read it here, so a column is
described with the same unit everywhere.
"""

from __future__ import annotations

#: name suffix -> unit, most specific first
SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_cny_per_mwh", "CNY/MWh"), ("_cny_per_t", "CNY/t CO2"), ("_cny_per_a", "CNY/a"),
    ("_mwh_th_per_a", "MWh_th/a"), ("_mwh_per_a", "MWh/a"), ("_twh_th_per_a", "TWh_th/a"),
    ("_twh_per_a", "TWh/a"), ("_t_per_a", "t CO2/a"), ("_mt_per_a", "Mt CO2/a"),
    ("_mm3_per_a", "Mm3/a"), ("_mwh_th", "MWh_th"), ("_twh_th", "TWh_th"), ("_mw_th", "MW_th"),
    ("_mwh", "MWh"), ("_twh", "TWh"), ("_mm3", "Mm3"), ("_mw_total", "MW"), ("_mw", "MW"),
    ("_gw", "GW"), ("_km", "km"), ("_s", "s"), ("_pu", "p.u."), ("share_annual", "p.u."),
    ("share_hourly_matched", "p.u."), ("_share", "p.u."), ("share", "p.u."),
    ("utilisation", "p.u."), ("_rel", "p.u."),
)


def unit_of(name: str) -> str | None:
    """The unit a column or key carries by its name's suffix, or None when it names none."""
    lower = name.lower()
    return next((unit for suffix, unit in SUFFIX_UNITS if lower.endswith(suffix)), None)
