"""Checks across rows and files: references, bounds between columns, units."""

from __future__ import annotations

import pandas as pd

from energy.config import MILESTONE_YEARS
from energy.inputs.errors import input_error as _fail
from energy.inputs.schema import COST_UNITS, COVERS, FLEXIBILITY_UNITS, GAS_UNITS, SCHEMAS, YEARLY


def check_refs(tables: dict[str, pd.DataFrame]) -> None:
    """Every ``ref`` column holds a value of the file and column it refers to.

    With ``ref_where`` the referenced row must also have the declared role (a county on a
    zone bus, the export corridor ending at the export bus ...).
    """
    for file, (_, schema) in SCHEMAS.items():
        df = tables[file]
        for name, col in schema.items():
            if col.ref is None:
                continue
            ref_file, ref_col = col.ref.split(".")
            target = tables[f"{ref_file}.csv"]
            known = set(target[ref_col])
            role = None
            if col.ref_where is not None:
                role = dict(zip(target[ref_col], target[col.ref_where[0]], strict=True))
            for i, value in enumerate(df[name], start=1):
                if value is None:
                    continue
                if value not in known:
                    raise _fail(
                        file, i, name, f"expected a {ref_col} from {ref_file}.csv, got {value!r}"
                    )
                if role is not None and role[value] not in col.ref_where[1]:
                    what, allowed = col.ref_where
                    raise _fail(
                        file, i, name,
                        f"expected a {ref_col} with {what} {' or '.join(allowed)} in "
                        f"{ref_file}.csv, got {value!r} ({what} {role[value]})",
                    )


def check_years(tables: dict[str, pd.DataFrame]) -> None:
    """Every yearly table holds the same keys in every year, milestone years included.

    :data:`energy.inputs.schema.YEARLY` declares the keys; :data:`COVERS` declares keys that
    must cover another table's (every county has a demand row each year).
    """
    for file, keys in YEARLY.items():
        df = tables[file]
        rows = {y: set(map(tuple, g[list(keys)].to_numpy().tolist()))
                for y, g in df.groupby("year")}
        every = set().union(*rows.values())
        cover = COVERS.get(f"{file}.{keys[0]}") if len(keys) == 1 else None
        if cover is not None:
            ref_file, ref_col = cover.rsplit(".", 1)
            every |= {(v,) for v in tables[ref_file][ref_col]}
        for year in sorted(set(rows) | set(MILESTONE_YEARS)):
            missing = sorted(every - rows.get(year, set()))
            if not missing:
                continue
            shown = ", ".join("/".join(map(str, m)) for m in missing[:4])
            more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
            if year not in rows:
                raise _fail(file, None, "year", f"no rows for milestone year {year}")
            first = int((df.year == year).to_numpy().nonzero()[0][0]) + 1
            raise _fail(file, first, "year",
                        f"year {year} lacks rows for {'/'.join(keys)} {shown}{more} (every "
                        f"year needs the same {'/'.join(keys)} as the others)")


def check_semantics(t: dict[str, pd.DataFrame]) -> None:
    """Rules across columns and rows: distinct line ends, maxima above existing, units."""
    lines = t["lines.csv"]
    for i, row in enumerate(lines.itertuples(), start=1):
        if row.bus0 == row.bus1:
            raise _fail("lines.csv", i, "bus1", f"expected a bus other than bus0, got {row.bus1!r}")
        if row.s_nom_max_mw < row.s_nom_mw:
            raise _fail("lines.csv", i, "s_nom_max_mw", "expected s_nom_max_mw >= s_nom_mw")
    for file in ("renewable_sites.csv", "storage_sites.csv"):
        df = t[file]
        for i, row in enumerate(df.itertuples(), start=1):
            if row.p_nom_max_mw < row.p_nom_existing_mw:
                raise _fail(file, i, "p_nom_max_mw", "expected p_nom_max_mw >= p_nom_existing_mw")
    costs = t["costs.csv"]
    for i, row in enumerate(costs.itertuples(), start=1):
        if row.unit not in COST_UNITS[row.parameter]:
            raise _fail(
                "costs.csv", i, "unit",
                f"expected {' or '.join(COST_UNITS[row.parameter])} for {row.parameter}, "
                f"got {row.unit!r}",
            )
    gas = t["gas.csv"]
    for i, row in enumerate(gas.itertuples(), start=1):
        if row.unit != GAS_UNITS[row.parameter]:
            raise _fail("gas.csv", i, "unit",
                        f"expected {GAS_UNITS[row.parameter]} for {row.parameter}, "
                        f"got {row.unit!r}")
    check_flexibility(t["thermal_flexibility.csv"])
    supply = t["heat_supply.csv"]
    for i, row in enumerate(supply.itertuples(), start=1):
        if row.p_nom_max_mw_th is not None and row.p_nom_max_mw_th == row.p_nom_max_mw_th \
                and row.p_nom_max_mw_th < row.p_nom_existing_mw_th:
            raise _fail("heat_supply.csv", i, "p_nom_max_mw_th",
                        "expected p_nom_max_mw_th >= p_nom_existing_mw_th (or empty)")
    links = t["heat_links.csv"]
    for i, row in enumerate(links.itertuples(), start=1):
        if row.bus0 == row.bus1:
            raise _fail("heat_links.csv", i, "bus1",
                        f"expected an area other than bus0, got {row.bus1!r}")
        if row.p_nom_max_mw_th < row.p_nom_mw_th:
            raise _fail("heat_links.csv", i, "p_nom_max_mw_th",
                        "expected p_nom_max_mw_th >= p_nom_mw_th")
    demand = t["demand.csv"]
    for i, row in enumerate(demand.itertuples(), start=1):
        if row.annual_mwh > 0 and row.peak_mw * 8760 <= row.annual_mwh:
            raise _fail("demand.csv", i, "peak_mw", "expected peak_mw > annual_mwh / 8760 "
                        f"= {row.annual_mwh / 8760:.1f} MW, got {row.peak_mw:g}")
        if row.annual_mwh == 0 and row.peak_mw > 0:
            raise _fail("demand.csv", i, "peak_mw",
                        f"expected 0 when annual_mwh is 0, got {row.peak_mw:g}")
    boundary = t["boundary.csv"]
    for i, row in enumerate(boundary.itertuples(), start=1):
        if row.export_price_cny_per_mwh > row.import_price_cny_per_mwh:
            raise _fail("boundary.csv", i, "export_price_cny_per_mwh",
                        f"expected at most import_price_cny_per_mwh "
                        f"({row.import_price_cny_per_mwh:g}; selling above the buying price "
                        f"would earn money by passing power through), got "
                        f"{row.export_price_cny_per_mwh:g}")
    check_neighbour(t)
    check_vintages(t)
    check_validation(t)


#: neighbour_fleet.csv columns each carrier needs (empty cells are errors for these)
FLEET_NEEDS = {
    "coal": ("efficiency", "availability"), "coal CHP": ("efficiency", "availability"),
    "CCGT": ("efficiency", "availability"),
    "other thermal": ("availability", "co2_t_per_mwh_el"),
    "onwind": ("full_load_hours", "profile_site"), "solar": ("full_load_hours", "profile_site"),
    "hydro": ("availability", "full_load_hours"),
    "PHS": ("efficiency", "max_hours"), "battery": ("efficiency", "max_hours"),
}


def _missing(value: object) -> bool:
    return value is None or value != value  # None or NaN


def check_neighbour(t: dict[str, pd.DataFrame]) -> None:
    """The rest-of-Shanxi tables: link ends, load shares, carrier needs, profile carriers."""
    regions = t["neighbour_regions.csv"]
    share = float(regions.load_share.sum())
    if abs(share - 1.0) > 1e-6:
        raise _fail("neighbour_regions.csv", None, "load_share",
                    f"expected shares summing to 1, got {share:g}")
    known = set(regions.region_id)
    buses = t["buses.csv"]
    boundary = set(buses[buses.role == "boundary"].bus_id)
    for i, row in enumerate(t["neighbour_links.csv"].itertuples(), start=1):
        for col in ("bus0", "bus1"):
            value = getattr(row, col)
            if value not in known | boundary:
                raise _fail("neighbour_links.csv", i, col,
                            f"expected a region_id or a boundary bus_id, got {value!r}")
        if row.bus0 not in known and row.bus1 not in known:
            raise _fail("neighbour_links.csv", i, "bus1", "expected at least one region end")
        if row.bus0 == row.bus1:
            raise _fail("neighbour_links.csv", i, "bus1", "expected an end other than bus0")
    sites = t["renewable_sites.csv"].set_index("site_id").carrier
    for i, row in enumerate(t["neighbour_fleet.csv"].itertuples(), start=1):
        for col in FLEET_NEEDS[row.carrier]:
            if _missing(getattr(row, col)):
                raise _fail("neighbour_fleet.csv", i, col,
                            f"expected a value for carrier {row.carrier!r}, got an empty cell")
        site = row.profile_site
        if not _missing(site) and sites.get(site) != row.carrier:
            raise _fail("neighbour_fleet.csv", i, "profile_site",
                        f"expected a {row.carrier} site, got {site!r}")
        if not _missing(row.availability) and row.must_run > row.availability + 1e-9:
            raise _fail("neighbour_fleet.csv", i, "must_run",
                        "expected must_run <= availability")


def check_vintages(t: dict[str, pd.DataFrame]) -> None:
    """Vintages match their site's carrier and add up to its 2025 existing capacity."""
    sites = t["renewable_sites.csv"].set_index("site_id")
    vintages = t["renewable_vintages.csv"]
    for i, row in enumerate(vintages.itertuples(), start=1):
        if sites.at[row.site_id, "carrier"] != row.carrier:
            raise _fail("renewable_vintages.csv", i, "carrier",
                        f"expected {sites.at[row.site_id, 'carrier']!r} (the site's carrier), "
                        f"got {row.carrier!r}")
    by_2025 = vintages[vintages.build_year <= 2025].groupby("site_id").p_nom_mw.sum()
    for i, (site, row) in enumerate(sites.iterrows(), start=1):
        total = float(by_2025.get(site, 0.0))
        if abs(total - row.p_nom_existing_mw) > 0.05:
            raise _fail("renewable_sites.csv", i, "p_nom_existing_mw",
                        f"expected the sum of renewable_vintages.csv rows built by 2025 "
                        f"({total:g} MW), got {row.p_nom_existing_mw:g}")


def check_validation(t: dict[str, pd.DataFrame]) -> None:
    """Reference bounds come in pairs and in order."""
    for i, row in enumerate(t["validation.csv"].itertuples(), start=1):
        if _missing(row.lower) != _missing(row.upper):
            raise _fail("validation.csv", i, "upper" if _missing(row.upper) else "lower",
                        "expected both lower and upper, or neither")
        if not _missing(row.lower) and row.lower > row.upper:
            raise _fail("validation.csv", i, "upper", "expected upper >= lower")
    profile = t["export_profile.csv"]
    if sorted(profile.hour) != list(range(24)):
        raise _fail("export_profile.csv", None, "hour", "expected one row for each hour 0..23")
    for column in ("flat", "xiongan"):
        if float(profile[column].sum()) <= 0:
            raise _fail("export_profile.csv", None, column, "expected a positive daily sum")


def check_flexibility(flex: pd.DataFrame) -> None:
    """Units of ``thermal_flexibility.csv``; shares within [0, 1]; a retrofit lowers the minimum."""
    file = "thermal_flexibility.csv"
    for i, row in enumerate(flex.itertuples(), start=1):
        if row.unit != FLEXIBILITY_UNITS[row.parameter]:
            raise _fail(file, i, "unit", f"expected {FLEXIBILITY_UNITS[row.parameter]} for "
                        f"{row.parameter}, got {row.unit!r}")
        if FLEXIBILITY_UNITS[row.parameter] == "p.u." and row.value > 1.0:
            raise _fail(file, i, "value", f"expected a share <= 1 for {row.parameter}, "
                        f"got {row.value:g}")
    table = flex.set_index(["carrier", "parameter"]).value
    for i, row in enumerate(flex.itertuples(), start=1):
        if row.parameter != "p_min_pu_retrofit":
            continue
        before = table.get((row.carrier, "p_min_pu"))
        if before is None or row.value >= before:
            raise _fail(file, i, "value", f"expected p_min_pu_retrofit below p_min_pu of "
                        f"{row.carrier!r}, got {row.value:g} (p_min_pu {before})")
        for needed in ("retrofit_investment", "retrofit_lifetime"):
            if (row.carrier, needed) not in table.index:
                raise _fail(file, i, "parameter", f"expected a {needed} row for "
                            f"{row.carrier!r} beside p_min_pu_retrofit")
