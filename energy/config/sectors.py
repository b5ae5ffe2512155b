"""Sectors and policies: export, policies, pathway, heat, gas, flexibility, reserves."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from energy.carriers import registry, reserve_credits
from energy.config.base import _Strict


class ExportConfig(_Strict):
    """The clean-energy export corridor to Xiong'an and its obligation."""

    enabled: bool = False
    from_bus: str = Field("XZB500", description="Zone bus where the corridor starts.")
    options: list[str] = Field(
        default_factory=lambda: ["hvdc800", "uhvac1000"],
        description="Corridor options from export_corridor.csv that may be built.",
    )
    p_nom_min_mw: float = Field(0.0, ge=0, le=1e5, description="Minimum corridor capacity [MW].")
    p_nom_max_mw: float = Field(16000.0, ge=0, le=1e5,
                                description="Maximum corridor capacity [MW].")
    energy_twh: float | None = Field(
        None, ge=0, le=1e3,
        description="Annual energy delivered to Xiong'an [TWh/a]; null = the schedule of "
        "export_contract.csv for the model year (2025: 0, 2030: 5, 2035: 10).",
    )
    profile: Literal["flat", "xiongan", "free"] = Field(
        "flat",
        description="Delivery profile of the contract: 'flat' (the same every hour), 'xiongan' "
        "(hour-of-day shape of export_profile.csv) or 'free' (only the annual energy is fixed).",
    )
    sizing: Literal["continuous", "modular"] = Field(
        "continuous",
        description="Corridor capacity: 'continuous' (LP) or 'modular' (whole modules of "
        "unit_mw of export_corridor.csv, PyPSA p_nom_mod: a MIP).",
    )
    clean_share: float = Field(
        0.0, ge=0, le=1, description="Minimum clean (wind + solar) share of exported energy."
    )
    matching: Literal["annual", "hourly"] = Field(
        "annual", description="Clean share matched over the year or in every snapshot."
    )
    clean_sources: Literal["new", "all"] = Field(
        "new",
        description="Wind and solar that may be contracted to the corridor: 'new' = only "
        "capacity the model builds (additionality), 'all' = also the existing fleet. The "
        "contracted energy never counts toward policy.min_renewable_share.",
    )
    price_cny_per_mwh: float | None = Field(
        None, ge=0, le=5e3,
        description="Price received per MWh delivered to Xiong'an [CNY/MWh]; null = "
        "export_contract.csv for the model year.",
    )


class PolicyConfig(_Strict):
    """Policy constraints beyond CO2 (each inactive at its default)."""

    min_renewable_share: float | None = Field(
        None, ge=0, le=1,
        description="Wind + solar generation >= share x zone electricity consumption [p.u.].",
    )
    reserve_margin: float | None = Field(
        None, ge=0, le=5,
        description="Firm capacity >= (1 + margin) x peak electric demand (load, heat pumps, "
        "electric boilers, export corridor) in the peak window; null = off. Up to 5 (500 %) for "
        "sensitivities: the zone's fleet, built to sell to the rest of Shanxi, holds ~2.3 x "
        "its own peak.",
    )
    reserve_storage_hours: float = Field(
        4.0, gt=0, description="Storage counts fully when it can discharge this long [h]."
    )
    reserve_import_mw: float = Field(
        0.0, ge=0,
        description="Firm import contracted from the rest of Shanxi, credited in the reserve "
        "margin up to the transfer capacity of the lines in service that year [MW]; 0 = the "
        "zone covers its own peak.",
    )
    reserve_peak_snapshots: int = Field(
        12, ge=1,
        description="Reserve margin holds in the N snapshots with the highest zone electricity "
        "load and the N with the highest district-heat load.",
    )
    reserve_credit: dict[str, float] = Field(
        default_factory=reserve_credits,
        description="Capacity credit per carrier [p.u. of capacity] (estimates; defaults from "
        "the carrier registry, energy/data/carriers.csv).",
    )

    @field_validator("reserve_credit")
    @classmethod
    def _check_credit(cls, value: dict[str, float]) -> dict[str, float]:
        for carrier, credit in value.items():
            if carrier not in registry().index:
                known = ", ".join(reserve_credits())
                raise ValueError(f"unknown carrier {carrier!r} (e.g. {known})")
            if not 0.0 <= credit <= 1.0:
                raise ValueError(f"credit of {carrier!r} must be within 0..1, got {credit}")
        return value
    negative_list: bool = Field(
        True, description="Plan's negative list: no new coal power (overrides technologies)."
    )
    land_use_factor: float = Field(
        1.0, ge=0, le=1, description="Share of each site's land potential that may be used."
    )


class PathwayConfig(_Strict):
    """Several investment periods instead of one year."""

    mode: Literal["single", "perfect_foresight", "myopic"] = "single"
    years: list[Literal[2025, 2030, 2035]] = Field(default_factory=lambda: [2025, 2030, 2035])




class HeatConfig(_Strict):
    """District heating: heat buses per area, supply options and clean-heating policy."""

    enabled: bool = Field(
        True, description="Model district heat; off = CHP plants are power-only links."
    )
    distribution_loss: float = Field(
        0.10, ge=0, le=1,
        description="Distribution losses added to customer heat demand [p.u. of demand] "
        "(estimate: S41's 55.8 W/m2 incl. losses vs 50 W/m2 at customers, ~10 %).",
    )
    min_clean_share: float | None = Field(
        None, ge=0, le=1,
        description="Minimum clean share of district-heat production [p.u.]; null = off.",
    )
    clean_share_definition: Literal["non_coal", "policy"] = Field(
        "non_coal",
        description="'non_coal': heat from non-coal sources; 'policy': also counts heat of "
        "ultra-low-emission coal CHP (northern China clean-heating plan definition).",
    )
    coal_boiler_phaseout_year: int | None = Field(
        None, ge=2020, le=2100,
        description="From this year on, existing coal heat-only boilers are closed; null = each "
        "area's coal_boiler_phaseout_year of heat_areas.csv (empty there: never).",
    )
    new_gas_chp: bool = Field(True, description="Allow new extraction gas CHP in heat areas.")
    thermal_storage: bool = Field(
        True, description="Allow hot-water tanks (adds ~35 % IPM iterations at 3 h resolution)."
    )


class GasConfig(_Strict):
    """The zone gas system: Gujiao CBM, pipeline import, peak-shaving storage, other demand."""

    enabled: bool = Field(
        True, description="Model the gas system; off = unconstrained gas at the fuels.csv price."
    )
    cbm_cap_mm3: float | None = Field(
        None, ge=0, description="Annual cap on Gujiao CBM into the grid [Mm3/a]; null = gas.csv."
    )
    import_price_cny_per_m3: float | None = Field(
        None, ge=0, le=50, description="Pipeline gas price [CNY/m3]; null = fuels.csv price."
    )
    storage_expansion: bool = Field(
        True, description="Allow new peak-shaving storage volume, injection and withdrawal."
    )
    other_demand: bool = Field(
        True, description="Include non-modelled gas use (residential, commercial, industry)."
    )


class FlexibilityConfig(_Strict):
    """Unit commitment of the zone's coal and CHP (optimize.operations; thermal_flexibility.csv)."""

    min_load: bool = Field(True, description="Minimum stable load on committed capacity, "
                           "start-up cost, CHP committed in the heating season.")
    retrofit: bool = Field(False, description="Offer a flexibility retrofit (lower minimum load) "
                           "per existing coal and coal CHP plant; needs min_load.")


class ReservesConfig(_Strict):
    """The zone's operating reserve every snapshot, as PyPSA-Eur's (optimize.reserves)."""

    enabled: bool = Field(False, description="Hold an operating reserve every snapshot.")
    load_share: float = Field(0.02, ge=0, le=1, description="Per MW of zone load [p.u.].")
    vres_share: float = Field(0.02, ge=0, le=1,
                              description="Per MW of available wind and solar output [p.u.].")
    contingency_mw: float = Field(0.0, ge=0, description="Fixed part, e.g. largest unit [MW].")
    duration_h: float = Field(1.0, gt=0, description="Storage holds its reserve this long [h].")
    thermal: bool = Field(False, description="Committed coal and CHP headroom counts (spinning).")


