"""The schema of every ``network_data`` CSV: primary keys, column kinds, bounds and references."""

from __future__ import annotations

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
        Largest allowed value (numbers).
    choices : tuple of str, optional
        Allowed values (strings).
    ref : str, optional
        ``"file.column"`` the value must exist in.
    """

    kind: str = "str"
    required: bool = True
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    ref: str | None = None


def _num(min: float | None = 0.0, max: float | None = None, required: bool = True) -> Column:  # noqa: A002
    return Column("float", required=required, min=min, max=max)


def _year(required: bool = True) -> Column:
    return Column("int", required=required, min=1950, max=2100)


_PROVENANCE = {
    "source": Column("str"),
    "confidence": Column("str", choices=CONFIDENCE),
    "note": Column("str", required=False),
}
_BUS_REF = Column("str", ref="buses.bus_id")
_ORIGINAL = {"original_value": _num(None, required=False), "original_unit": Column(required=False)}

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

#: file -> (primary key columns, column schemas). Extra columns are allowed and ignored.
SCHEMAS: dict[str, tuple[tuple[str, ...], dict[str, Column]]] = {
    "buses.csv": (
        ("bus_id",),
        {
            "bus_id": Column(),
            "name": Column(),
            "name_zh": Column(required=False),
            "v_nom_kv": _num(1.0),
            "x_lon": _num(70.0, 140.0),
            "y_lat": _num(15.0, 55.0),
            "role": Column(choices=("zone", "boundary", "export")),
        },
    ),
    "lines.csv": (
        ("line_id",),
        {
            "line_id": Column(),
            "bus0": _BUS_REF,
            "bus1": _BUS_REF,
            "length_km": _num(0.1),
            "circuits": Column("int", min=1, max=20),
            "s_nom_mw": _num(),
            "r_ohm_per_km": _num(),
            "x_ohm_per_km": _num(1e-6),
            "s_nom_max_mw": _num(),
            "capex_cny_per_mw_km": _num(),
            "build_year": _year(),
        },
    ),
    "counties.csv": (
        ("county_id",),
        {
            "county_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "y_lat": _num(15.0, 55.0),
            "x_lon": _num(70.0, 140.0),
        },
    ),
    "demand.csv": (
        ("county_id", "year"),
        {
            "county_id": Column(ref="counties.county_id"),
            "year": _year(),
            "annual_mwh": _num(),
            "peak_mw": _num(),
        },
    ),
    "plants.csv": (
        ("plant_id",),
        {
            "plant_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("coal", "coal CHP", "gas CHP", "CMM")),
            "p_nom_mw": _num(),
            "efficiency": _num(0.05, 1.0),
            "build_year": _year(),
            "lifetime_years": _num(1.0, 100.0),
        },
    ),
    "renewable_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("onwind", "solar")),
            "p_nom_existing_mw": _num(),
            "p_nom_max_mw": _num(),
            "y_lat": _num(15.0, 55.0),
            "x_lon": _num(70.0, 140.0),
            "full_load_hours_target": _num(1.0, 8760.0),
        },
    ),
    "storage_sites.csv": (
        ("site_id",),
        {
            "site_id": Column(),
            "bus": _BUS_REF,
            "carrier": Column(choices=("PHS",)),
            "p_nom_existing_mw": _num(),
            "p_nom_max_mw": _num(),
            "max_hours": _num(0.1, 1000.0),
            "efficiency_round_trip": _num(0.1, 1.0),
            "build_year": _year(required=False),
            "earliest_year": _year(),
            "lifetime_years": _num(1.0, 200.0),
        },
    ),
    "costs.csv": (
        ("technology", "year", "parameter"),
        {
            "technology": Column(),
            "year": _year(),
            "parameter": Column(choices=tuple(COST_UNITS)),
            "value": _num(),
            "unit": Column(),
            **_ORIGINAL,
        },
    ),
    "fuels.csv": (
        ("fuel", "year"),
        {
            "fuel": Column(),
            "year": _year(),
            "price_cny_per_mwh_th": _num(),
            "co2_t_per_mwh_th": _num(0.0, 1.0),
            **_ORIGINAL,
        },
    ),
    "boundary.csv": (
        ("bus",),
        {
            "bus": _BUS_REF,
            "import_capacity_mw": _num(),
            "export_capacity_mw": _num(),
            "import_price_cny_per_mwh": _num(),
            "export_price_cny_per_mwh": _num(),
            "import_co2_t_per_mwh": _num(0.0, 2.0),
        },
    ),
    "export_corridor.csv": (
        ("option_id",),
        {
            "option_id": Column(),
            "kind": Column(choices=("DC", "AC")),
            "to_bus": _BUS_REF,
            "route_factor": _num(1.0, 3.0),
            "capex_cny_per_mw_km": _num(),
            "terminal_capex_cny_per_mw": _num(),
            "fom_pct_per_a": _num(0.0, 100.0),
            "lifetime_years": _num(1.0, 100.0),
            "loss_per_1000km": _num(0.0, 0.5),
            "terminal_loss": _num(0.0, 0.5),
        },
    ),
    "heat_areas.csv": (
        ("area_id", "year"),
        {
            "area_id": Column(),
            "name": Column(),
            "bus": _BUS_REF,
            "year": _year(),
            "floor_area_mm2": _num(),
            "design_load_w_per_m2": _num(1.0, 500.0),
        },
    ),
    "chp.csv": (
        ("plant_id",),
        {
            "plant_id": Column(ref="plants.plant_id"),
            "area_id": Column(ref="heat_areas.area_id"),
            "c_b": _num(0.05, 5.0),
            "c_v": _num(0.0, 1.0),
            "heat_max_mw_th": _num(required=False),
            "ultra_low_emission": Column("bool"),
        },
    ),
    "heat_supply.csv": (
        ("area_id", "technology", "year"),
        {
            "area_id": Column(ref="heat_areas.area_id"),
            "technology": Column(choices=HEAT_TECHNOLOGIES),
            "year": _year(),
            "p_nom_existing_mw_th": _num(),
            "p_nom_max_mw_th": _num(required=False),
        },
    ),
    "heat_links.csv": (
        ("link_id",),
        {
            "link_id": Column(),
            "bus0": Column(ref="heat_areas.area_id"),
            "bus1": Column(ref="heat_areas.area_id"),
            "length_km": _num(0.1),
            "p_nom_mw_th": _num(),
            "p_nom_max_mw_th": _num(),
            "loss_pct_per_km": _num(0.0, 1.0),
            "build_year": _year(),
        },
    ),
    "gas.csv": (
        ("parameter", "year"),
        {
            "parameter": Column(choices=tuple(GAS_UNITS)),
            "year": _year(),
            "value": _num(),
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
            "p_nom_mw": _num(),
        },
    ),
    "neighbour_demand.csv": (
        ("year",),
        {
            "year": _year(),
            "shanxi_consumption_mwh": _num(),
            "load_factor": _num(0.05, 1.0),
        },
    ),
    "neighbour_outbound.csv": (
        ("region_id", "year"),
        {
            "region_id": Column(ref="neighbour_regions.region_id"),
            "year": _year(),
            "capacity_mw": _num(),
            "annual_mwh": _num(),
            "firm_share": _num(0.0, 1.0),
            "price_cny_per_mwh": _num(None),
        },
    ),
    "neighbour_fleet.csv": (
        ("region_id", "year", "unit_id"),
        {
            "region_id": Column(ref="neighbour_regions.region_id"),
            "year": _year(),
            "unit_id": Column(),
            "carrier": Column(choices=NEIGHBOUR_CARRIERS),
            "p_nom_mw": _num(),
            "efficiency": _num(0.05, 1.0, required=False),
            "availability": _num(0.0, 1.0, required=False),
            "availability_heating": _num(0.0, 1.0, required=False),
            "must_run": _num(0.0, 1.0),
            "must_run_season": Column(choices=("all", "heating")),
            "min_stable": _num(0.0, 1.0, required=False),
            "full_load_hours": _num(1.0, 8760.0, required=False),
            "max_hours": _num(0.1, 1000.0, required=False),
            "profile_site": Column(required=False, ref="renewable_sites.site_id"),
            "vom_cny_per_mwh": _num(),
            "co2_t_per_mwh_el": _num(0.0, 2.0, required=False),
        },
    ),
    "renewable_vintages.csv": (
        ("site_id", "build_year"),
        {
            "site_id": Column(ref="renewable_sites.site_id"),
            "carrier": Column(choices=("onwind", "solar")),
            "build_year": _year(),
            "p_nom_mw": _num(),
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
            "value": _num(None),
            "unit": Column(),
            "lower": _num(None, required=False),
            "upper": _num(None, required=False),
        },
    ),
}
