"""The schema of every ``network_data`` CSV: primary keys, column kinds, bounds and references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from energy.carriers import converters

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


#: plausible (min, max) of a validation figure by its unit
VALIDATION_RANGES = {"TWh": (0.0, 2000.0), "h": (0.0, 8760.0), "p.u.": (0.0, 1.0),
                     "t/MWh": (0.0, 2.0), "unit": (0.0, 1e4)}

_PROVENANCE = {
    "source": Column("str"),
    "confidence": Column("str", choices=CONFIDENCE),
    "note": Column("str", required=False),
}
#: a bus of the zone (role "zone"): what consumes, generates or stores in the zone sits there
_ZONE_BUS = Column("str", ref="buses.bus_id", ref_where=("role", ("zone",)))
#: either end of a zone line: a zone bus or a boundary bus (never the export bus)
_LINE_BUS = Column("str", ref="buses.bus_id", ref_where=("role", ("zone", "boundary")))
#: the original figure as published, in any unit: only finite
_ORIGINAL = {"original_value": _num(-1e15, 1e15, required=False),
             "original_unit": Column(required=False)}

# Plausible ranges. Limits are physical (shares, efficiencies, coordinates of China) or an
# order of magnitude above the largest real object of the kind (the largest power plant in
# China, Tuoketuo, is 6.7 GW; no city uses 200 TWh/a; a 1000 kV AC double circuit carries
# ~10 GW), but always below 1000 times the data's own largest value, so a figure in the
# unit 1000 times smaller (kW for MW, kWh for MWh, CNY/MW for CNY/kW) is an error.
_MW_UNIT = 10_000.0      # one plant, site, storage or heat plant [MW]
_MW_LINE = 20_000.0      # one line or link [MW]
_PRICE = 5_000.0         # an energy price [CNY/MWh]: ~3x Shanxi spot market's 1,500 cap

#: plausible value of a costs.csv row by its unit
COST_RANGES: dict[str, tuple[float, float]] = {
    "CNY/kW": (1.0, 100_000.0),          # data 350-6,500; nuclear ~16,000
    "CNY/kW_th": (1.0, 50_000.0),        # data 100-4,500
    "CNY/kWh": (1.0, 20_000.0),          # data 400-650 (batteries)
    "CNY/kWh_th": (0.01, 5_000.0),       # data 2-30 (water tanks)
    "CNY/(MW*km)": (10.0, 200_000.0),    # data 2,500
    "CNY/(MW_th*km)": (10.0, 1_000_000.0),  # data 38,000
    "%/a": (0.0, 20.0),                  # fixed O&M
    "CNY/MWh": (0.0, 1_000.0),           # variable O&M
    "CNY/MWh_th": (0.0, 1_000.0),
    "a": (1.0, 100.0),                   # lifetime
    "p.u.": (0.0, 10.0),                 # efficiency (heat-pump COP up to ~6), c_b, c_v
    "%/h": (0.0, 10.0),                  # standing loss
    "h": (0.1, 10_000.0),                # energy-to-power ratio
}

#: plausible value of a gas.csv row by its parameter
GAS_RANGES: dict[str, tuple[float, float]] = {
    "cbm_cap": (0.0, 50_000.0),              # Mm3/a; data 200-500
    "cmm_engine_use": (0.0, 10_000.0),       # Mm3/a; data 55
    "cbm_max_flow": (0.0, 100_000.0),        # MW_th; data 495-750
    "import_capacity": (0.0, 100_000.0),     # MW_th; data 3,300
    "storage_existing": (0.0, 10_000.0),     # Mm3; data 25
    "injection_existing": (0.0, 100_000.0),  # MW_th; data 340
    "withdrawal_existing": (0.0, 100_000.0),  # MW_th; data 1,030
    "other_demand": (0.0, 100_000.0),        # Mm3/a; data 1,000
    "other_demand_peak_day_ratio": (1.0, 10.0),  # p.u.; data 1.9
}

#: canonical unit of each cost parameter (investment depends on what is sized; heat in _th)
COST_UNITS = {
    "investment": ("CNY/kW", "CNY/kWh", "CNY/(MW*km)", "CNY/kW_th", "CNY/kWh_th",
                   "CNY/(MW_th*km)"),
    "fom": ("%/a",),
    "vom": ("CNY/MWh", "CNY/MWh_th"),
    "lifetime": ("a",),
    "efficiency": ("p.u.",),
    "standing_loss": ("%/h",),
    "max_hours": ("h",),
    "c_b": ("p.u.",),
    "c_v": ("p.u.",),
}

#: district-heat supply technologies of heat_supply.csv (= model carriers)
HEAT_TECHNOLOGIES = ("coal boiler", "gas boiler", "ASHP", "GSHP", "electric boiler",
                     "geothermal", "water tank", "gas CHP")

#: unit of each gas-system parameter in gas.csv
GAS_UNITS = {
    "cbm_cap": "Mm3/a",
    "cmm_engine_use": "Mm3/a",
    "cbm_max_flow": "MW_th",
    "import_capacity": "MW_th",
    "storage_existing": "Mm3",
    "injection_existing": "MW_th",
    "withdrawal_existing": "MW_th",
    "other_demand": "Mm3/a",
    "other_demand_peak_day_ratio": "p.u.",
}

#: carriers of the rest-of-Shanxi fleet (neighbour_fleet.csv; = model carriers)
NEIGHBOUR_CARRIERS = ("coal", "coal CHP", "CCGT", "other thermal", "onwind", "solar", "hydro",
                      "PHS", "battery")

#: what a row of validation.csv compares (see energy.results.validation)
VALIDATION_METRICS = ("generation", "share", "consumption", "net_outbound", "curtailment",
                      "co2_intensity", "storage_output", "full_load_hours", "heat_delivered")
#: unit of each parameter of thermal_flexibility.csv (minimum load, retrofit, start-up, must-run)
FLEXIBILITY_UNITS = {
    "p_min_pu": "p.u.",
    "p_min_pu_retrofit": "p.u.",
    "retrofit_investment": "CNY/kW",
    "retrofit_lifetime": "a",
    "start_up_cost": "CNY/MW",
    "must_run_heating": "p.u.",
}

#: file -> (primary key columns, column schemas). Extra columns are allowed and ignored.
SCHEMAS: dict[str, tuple[tuple[str, ...], dict[str, Column]]] = {
    "buses.csv": (
        ("bus_id",),
        {
            "bus_id": Column(),
            "name": Column(),
            "name_zh": Column(required=False),
            "v_nom_kv": _num(1.0, 1_200.0, unit="kV"),
            "x_lon": _num(70.0, 140.0, unit="deg"),
            "y_lat": _num(15.0, 55.0, unit="deg"),
            "role": Column(choices=("zone", "boundary", "export")),
        },
    ),
    "lines.csv": (
        ("line_id",),
        {
            "line_id": Column(),
            "bus0": _LINE_BUS,
            "bus1": _LINE_BUS,
            "length_km": _num(0.1, 3_000.0, unit="km"),
            "circuits": Column("int", min=1, max=20),
            "s_nom_mw": _num(0.0, _MW_LINE, unit="MW"),
            "r_ohm_per_km": _num(0.0, 5.0, unit="ohm/km"),
            "x_ohm_per_km": _num(1e-6, 5.0, unit="ohm/km"),
            "s_nom_max_mw": _num(0.0, 5 * _MW_LINE, unit="MW"),
            "capex_cny_per_mw_km": _num(0.0, 200_000.0, unit="CNY/(MW*km)"),
            "build_year": _year(),
        },
    ),
    "counties.csv": (
        ("county_id",),
        {
            "county_id": Column(),
            "name": Column(),
            "bus": _ZONE_BUS,
            "y_lat": _num(15.0, 55.0, unit="deg"),
            "x_lon": _num(70.0, 140.0, unit="deg"),
        },
    ),
    "demand.csv": (
        ("county_id", "year"),
        {
            "county_id": Column(ref="counties.county_id"),
            "year": _year(),
            # a county: Beijing as a whole uses ~135 TWh/a
            "annual_mwh": _num(0.0, 2e8, unit="MWh/a"),
            "peak_mw": _num(0.0, 40_000.0, unit="MW"),
        },
    ),
    "plants.csv": (
        ("plant_id",),
        {
            "plant_id": Column(),
            "name": Column(),
            "bus": _ZONE_BUS,
            "carrier": Column(choices=("coal", "coal CHP", "gas CHP", "CMM")),
            "p_nom_mw": _num(0.0, _MW_UNIT, unit="MW"),
            "efficiency": _num(0.05, 1.0, unit="p.u."),
            "build_year": _year(),
            "lifetime_years": _num(1.0, 100.0, unit="a"),
        },
    ),
    "renewable_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _ZONE_BUS,
            "carrier": Column(choices=("onwind", "solar")),
            "p_nom_existing_mw": _num(0.0, 5 * _MW_UNIT, unit="MW"),
            "p_nom_max_mw": _num(0.0, 5 * _MW_UNIT, unit="MW"),
            "y_lat": _num(15.0, 55.0, unit="deg"),
            "x_lon": _num(70.0, 140.0, unit="deg"),
            "full_load_hours_target": _num(1.0, 8760.0, unit="h/a"),
        },
    ),
    "storage_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _ZONE_BUS,
            "carrier": Column(choices=("PHS",)),
            "p_nom_existing_mw": _num(0.0, _MW_UNIT, unit="MW"),
            "p_nom_max_mw": _num(0.0, _MW_UNIT, unit="MW"),
            "max_hours": _num(0.1, 1000.0, unit="h"),
            "efficiency_round_trip": _num(0.1, 1.0, unit="p.u."),
            "build_year": _year(required=False),
            "earliest_year": _year(),
            "lifetime_years": _num(1.0, 200.0, unit="a"),
        },
    ),
    "costs.csv": (
        ("technology", "year", "parameter"),
        {
            "technology": Column(),
            "year": _year(),
            "parameter": Column(choices=tuple(COST_UNITS)),
            "value": Column("float", min=0.0, max=1e7, ranges_by="unit", ranges=COST_RANGES),
            "unit": Column(),
            **_ORIGINAL,
        },
    ),
    "fuels.csv": (
        ("fuel", "year"),
        {
            "fuel": Column(),
            "year": _year(),
            "price_cny_per_mwh_th": _num(0.0, 2_000.0, unit="CNY/MWh_th"),
            "co2_t_per_mwh_th": _num(0.0, 1.0, unit="t/MWh_th"),
            **_ORIGINAL,
        },
    ),
    "boundary.csv": (
        ("bus",),
        {
            "bus": Column("str", ref="buses.bus_id", ref_where=("role", ("boundary",))),
            "import_capacity_mw": _num(0.0, 5 * _MW_LINE, unit="MW"),
            "export_capacity_mw": _num(0.0, 5 * _MW_LINE, unit="MW"),
            "import_price_cny_per_mwh": _num(0.0, _PRICE, unit="CNY/MWh"),
            "export_price_cny_per_mwh": _num(0.0, _PRICE, unit="CNY/MWh"),
            "import_co2_t_per_mwh": _num(0.0, 2.0, unit="t/MWh"),
        },
    ),
    "export_corridor.csv": (
        ("option_id",),
        {
            "option_id": Column(),
            "kind": Column(choices=("DC", "AC")),
            "to_bus": Column("str", ref="buses.bus_id", ref_where=("role", ("export",))),
            "route_factor": _num(1.0, 3.0, unit="p.u."),
            "capex_cny_per_mw_km": _num(0.0, 200_000.0, unit="CNY/(MW*km)"),
            "terminal_capex_cny_per_mw": _num(0.0, 1e7, unit="CNY/MW"),
            "fom_pct_per_a": _num(0.0, 100.0, unit="%/a"),
            "lifetime_years": _num(1.0, 100.0, unit="a"),
            "loss_per_1000km": _num(0.0, 0.5, unit="p.u."),
            "terminal_loss": _num(0.0, 0.5, unit="p.u."),
            "unit_mw": _num(1.0, 20_000.0, unit="MW"),
        },
    ),
    "export_contract.csv": (
        ("year",),
        {
            "year": _year(),
            "energy_twh": _num(0.0, 1_000.0, unit="TWh/a"),
            "price_cny_per_mwh": _num(0.0, 5_000.0, unit="CNY/MWh"),
        },
    ),
    "export_profile.csv": (
        ("hour",),
        {
            "hour": Column("int", min=0, max=23, unit="h"),
            "flat": _num(0.0, 10.0, unit="p.u."),
            "xiongan": _num(0.0, 10.0, unit="p.u."),
        },
    ),
    "heat_areas.csv": (
        ("area_id", "year"),
        {
            "area_id": Column(),
            "name": Column(),
            "bus": _ZONE_BUS,
            "year": _year(),
            # million m2 heated; Beijing as a whole heats ~900
            "floor_area_mm2": _num(0.0, 2_000.0, unit="Mm2"),
            "design_load_w_per_m2": _num(1.0, 500.0, unit="W/m2"),
            "hp_sink_c": _num(20.0, 150.0, unit="degC"),
            "coal_boiler_phaseout_year": _year(required=False),
        },
    ),
    "chp.csv": (
        ("plant_id",),
        {
            "plant_id": Column(ref="plants.plant_id"),
            "area_id": Column(ref="heat_areas.area_id"),
            "c_b": _num(0.05, 5.0, unit="p.u."),
            "c_v": _num(0.0, 1.0, unit="p.u."),
            "heat_max_mw_th": _num(0.0, _MW_UNIT, required=False, unit="MW_th"),
            "ultra_low_emission": Column("bool"),
        },
    ),
    "heat_supply.csv": (
        ("area_id", "technology", "year"),
        {
            "area_id": Column(ref="heat_areas.area_id"),
            "technology": Column(choices=HEAT_TECHNOLOGIES),
            "year": _year(),
            "p_nom_existing_mw_th": _num(0.0, 2 * _MW_UNIT, unit="MW_th"),
            "p_nom_max_mw_th": _num(0.0, 2 * _MW_UNIT, required=False, unit="MW_th"),
        },
    ),
    "heat_links.csv": (
        ("link_id",),
        {
            "link_id": Column(),
            "bus0": Column(ref="heat_areas.area_id"),
            "bus1": Column(ref="heat_areas.area_id"),
            "length_km": _num(0.1, 1_000.0, unit="km"),
            "p_nom_mw_th": _num(0.0, _MW_LINE, unit="MW_th"),
            "p_nom_max_mw_th": _num(0.0, _MW_LINE, unit="MW_th"),
            "loss_pct_per_km": _num(0.0, 1.0, unit="%/km"),
            "build_year": _year(),
        },
    ),
    "thermal_flexibility.csv": (
        ("carrier", "parameter"),
        {
            "carrier": Column(choices=converters("AC")),
            "parameter": Column(choices=tuple(FLEXIBILITY_UNITS)),
            "value": _num(),
            "unit": Column(),
        },
    ),
    "gas.csv": (
        ("parameter", "year"),
        {
            "parameter": Column(choices=tuple(GAS_UNITS)),
            "year": _year(),
            "value": Column("float", min=0.0, max=1e6, ranges_by="parameter", ranges=GAS_RANGES),
            "unit": Column(),
        },
    ),
    "neighbour_regions.csv": (
        ("region_id",),
        {
            "region_id": Column(),
            "name": Column(),
            "name_zh": Column(required=False),
            "x_lon": _num(70.0, 140.0),
            "y_lat": _num(15.0, 55.0),
            "load_share": _num(0.0, 1.0),
        },
    ),
    "neighbour_links.csv": (
        ("link_id",),
        {
            "link_id": Column(),
            "bus0": Column(),
            "bus1": Column(),
            "p_nom_mw": _num(0.0, 50_000.0, unit="MW"),
        },
    ),
    "neighbour_demand.csv": (
        ("year",),
        {
            "year": _year(),
            "shanxi_consumption_mwh": _num(1e7, 2e9, unit="MWh"),
            "load_factor": _num(0.05, 1.0),
        },
    ),
    "neighbour_outbound.csv": (
        ("region_id", "year"),
        {
            "region_id": Column(ref="neighbour_regions.region_id"),
            "year": _year(),
            "capacity_mw": _num(0.0, 100_000.0, unit="MW"),
            "annual_mwh": _num(0.0, 8.76e8, unit="MWh"),
            "firm_share": _num(0.0, 1.0),
            "price_cny_per_mwh": _num(0.0, 3000.0, unit="CNY/MWh"),
        },
    ),
    "neighbour_fleet.csv": (
        ("region_id", "year", "unit_id"),
        {
            "region_id": Column(ref="neighbour_regions.region_id"),
            "year": _year(),
            "unit_id": Column(),
            "carrier": Column(choices=NEIGHBOUR_CARRIERS),
            "p_nom_mw": _num(0.0, 300_000.0, unit="MW"),
            "efficiency": _num(0.05, 1.0, required=False),
            "availability": _num(0.0, 1.0, required=False),
            "availability_heating": _num(0.0, 1.0, required=False),
            "must_run": _num(0.0, 1.0),
            "must_run_season": Column(choices=("all", "heating")),
            "min_stable": _num(0.0, 1.0, required=False),
            "full_load_hours": _num(1.0, 8760.0, required=False),
            "max_hours": _num(0.1, 1000.0, required=False),
            "profile_site": Column(required=False, ref="renewable_sites.site_id"),
            "vom_cny_per_mwh": _num(0.0, 1000.0, unit="CNY/MWh"),
            "co2_t_per_mwh_el": _num(0.0, 2.0, required=False),
        },
    ),
    "renewable_vintages.csv": (
        ("site_id", "build_year"),
        {
            "site_id": Column(ref="renewable_sites.site_id"),
            "carrier": Column(choices=("onwind", "solar")),
            "build_year": _year(),
            "p_nom_mw": _num(0.0, 20_000.0, unit="MW"),
            "lifetime_years": _num(1.0, 100.0),
        },
    ),
    "validation.csv": (
        ("figure_id",),
        {
            "figure_id": Column(),
            "year": _year(),
            "scope": Column(choices=("province", "zone")),
            "metric": Column(choices=VALIDATION_METRICS),
            "carrier": Column(),
            "value": Column("float", min=0.0, max=1e4, ranges_by="unit", ranges=VALIDATION_RANGES),
            "unit": Column(),
            "lower": Column("float", required=False, min=0.0, max=1e4, ranges_by="unit",
                            ranges=VALIDATION_RANGES),
            "upper": Column("float", required=False, min=0.0, max=1e4, ranges_by="unit",
                            ranges=VALIDATION_RANGES),
        },
    ),
}

#: yearly tables: file -> the key columns every year of the table must hold in full (the same
#: set in every year, and every milestone year present), so a year's row cannot go missing
#: or be mistyped (a lone row for 2040 among 2035 rows)
YEARLY: dict[str, tuple[str, ...]] = {
    "demand.csv": ("county_id",),
    "costs.csv": ("technology", "parameter"),
    "fuels.csv": ("fuel",),
    "heat_areas.csv": ("area_id",),
    "gas.csv": ("parameter",),
}

#: file.column -> file.column it must cover in full (every county has a demand)
COVERS: dict[str, str] = {"demand.csv.county_id": "counties.csv.county_id"}
