"""Schemas of the base-year tables: the rest of Shanxi, renewable vintages, statistics."""

from __future__ import annotations

from energy.inputs.columns import Column, _num, _year

#: carriers of the rest-of-Shanxi fleet (neighbour_fleet.csv; = model carriers)
NEIGHBOUR_CARRIERS = ("coal", "coal CHP", "CCGT", "other thermal", "onwind", "solar", "hydro",
                      "PHS", "battery")

#: what a row of validation.csv compares (see energy.results.validation)
VALIDATION_METRICS = ("generation", "share", "consumption", "net_outbound", "curtailment",
                      "co2_intensity", "storage_output", "full_load_hours", "heat_delivered")
#: plausible (min, max) of a validation figure by its unit
VALIDATION_RANGES = {"TWh": (0.0, 2000.0), "h": (0.0, 8760.0), "p.u.": (0.0, 1.0),
                     "t/MWh": (0.0, 2.0), "unit": (0.0, 1e4)}


#: file -> (primary key columns, column schemas), merged into :data:`energy.inputs.schema.SCHEMAS`
SHANXI_SCHEMAS: dict[str, tuple[tuple[str, ...], dict[str, Column]]] = {
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
