"""The schema of every ``network_data`` CSV: primary keys, column kinds, bounds and references."""

from __future__ import annotations

from energy.carriers import converters
from energy.inputs.columns import Column, _num, _year
from energy.inputs.schema_shanxi import SHANXI_SCHEMAS

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

#: unit of each parameter of thermal_flexibility.csv (minimum load, retrofit, start-up, must-run)
FLEXIBILITY_UNITS = {
    "p_min_pu": "p.u.",
    "p_min_pu_retrofit": "p.u.",
    "retrofit_investment": "CNY/kW",
    "retrofit_lifetime": "a",
    "start_up_cost": "CNY/MW",
    "must_run_heating": "p.u.",
}

#: plausible (min, max) of a thermal_flexibility.csv value by its unit
FLEXIBILITY_RANGES = {"p.u.": (0.0, 10.0),  # shares > 1: checks.check_flexibility
                      "CNY/kW": (0.0, 3000.0), "a": (1.0, 60.0),
                      "CNY/MW": (0.0, 20_000.0)}

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
            "value": Column("float", min=0.0, max=1e5, ranges_by="unit",
                            ranges=FLEXIBILITY_RANGES),
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
    **SHANXI_SCHEMAS,
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
