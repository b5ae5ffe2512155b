"""Build the rest-of-Shanxi (neighbour), vintage and validation tables of network_data.

Usage (from the repository root)::

    .venv/bin/python network_data/build_neighbour.py

Writes ``neighbour_regions.csv``, ``neighbour_links.csv``, ``neighbour_demand.csv``,
``neighbour_fleet.csv``, ``neighbour_outbound.csv``, ``renewable_vintages.csv`` and
``validation.csv``. Unlike ``build_from_facts.py`` it does not read the fact base: the
provincial statistics it uses were found in stored public pages (sources S106-S118 in
README.md) and are written below as literals, each with its source id; every derived number
is computed here from them, and every judgement is a named literal marked ``estimate``.
The zone's own fleet (``plants.csv``, ``renewable_vintages.csv``, ``storage_sites.csv``) is
subtracted from the provincial totals, so zone + neighbour = Shanxi.

These CSVs are hand-maintained through this script: change a literal here and re-run it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
YEARS = (2023, 2025, 2030, 2035)  # 2023: latest year with complete statistics (validate)
HEATING = "heating"  # must-run season keyword (1 Nov - 31 Mar, S42 + fact-base estimate)

# ----------------------------------------------------------------- provincial statistics
# Shanxi Statistics Bureau, 2023 power statistics (S106): end-2023 capacity [MW], growth
# 2022->2023 [p.u.], and 2023 generation [TWh].
CAP_2023_END = {"total": 133041, "thermal": 80107, "coal": 72063, "wind": 24997,
                "solar": 24905, "hydro": 2251}
GROWTH_2023 = {"thermal": 0.022, "coal": 0.014, "wind": 0.078, "solar": 0.469, "hydro": 0.003}
GEN_2023_TWH = {"total": 446.10, "thermal": 360.53, "coal": 333.62, "wind": 54.24,
                "solar": 27.49, "hydro": 3.82, "renewable": 89.21}
CONSUMPTION_2023_TWH = 288.5  # S66 (State Grid Shanxi)
OUTBOUND_2023_TWH = 157.6  # S72, S107: net outbound, 35.3 % of generation
OUTBOUND_CAPACITY_2022_MW = 30620  # S112 (2022); S113: "more than 30 GW" (2024)


def year_average(key: str) -> float:
    """2023 year-average capacity [MW]: mean of end-2022 and end-2023 (S106, derived)."""
    end = CAP_2023_END[key]
    return (end + end / (1.0 + GROWTH_2023[key])) / 2.0


# provincial capacity by carrier and model year [MW]; 2023 = year average (derived, medium);
# later years: statistics where published, plans, else estimates (see SOURCES below)
PROVINCE_MW = {
    "coal": {2023: year_average("coal"), 2025: 73700, 2030: 77000, 2035: 77000},
    "onwind": {2023: year_average("wind"), 2025: 27800, 2030: 55000, 2035: 75000},
    "solar": {2023: year_average("solar"), 2025: 38500, 2030: 108000, 2035: 145000},
    "thermal_other": {y: year_average("thermal") - year_average("coal") for y in YEARS},
    "PHS_neighbour": {2023: 0.0, 2025: 0.0, 2030: 3900.0, 2035: 7900.0},
    "battery": {2023: 1000.0, 2025: 4000.0, 2030: 10000.0, 2035: 20000.0},
}
SOURCES = {
    ("coal", 2023): ("S106", "medium", "year average of end-2022 and end-2023 coal capacity "
                     "(72,063 MW, +1.4 %; S106)"),
    ("coal", 2025): ("S109", "low", "thermal 82,020 MW in April 2025 (S109) minus ~8.3 GW "
                     "non-coal thermal (2023 level, S106; estimate)"),
    ("coal", 2030): ("estimate", "low", "2025 level + supporting coal of the outbound bases "
                     "(4 GW for Datong-Tianjin South, S32; 2 GW Jinbei, S33) - retirements "
                     "~3 GW; the 14th FYP range 83-90 GW (S115) was not reached"),
    ("coal", 2035): ("estimate", "low", "held at the 2030 level: retirements by age replaced "
                     "(coal as the 'bottom-line guarantee' of the 15th FYP proposals, S111)"),
    ("onwind", 2023): ("S106", "medium", "year average of end-2022 and end-2023 wind "
                       "(24,997 MW, +7.8 %; S106)"),
    ("onwind", 2025): ("S108;S109;S110", "low", "year average of end-2024 (~26.5 GW) and end-2025"
                       " (~29 GW) wind: 25.03 GW Jan 2024 (S108), 27.51 GW Apr 2025 (S109), "
                       "+16.9 GW wind+solar in 2025 (S110); split estimated"),
    ("onwind", 2030): ("S111", "low", "15th FYP: +100 GW renewables 2026-2030 (S111) on ~75 GW "
                       "wind+solar end-2025 (S110); year average 2030 ~163 GW split 1/3 wind, "
                       "2/3 solar (estimate)"),
    ("onwind", 2035): ("estimate", "low", "2030 + ~4 GW/a (estimate)"),
    ("solar", 2023): ("S106", "medium", "year average of end-2022 and end-2023 solar "
                      "(24,905 MW, +46.9 %; S106)"),
    ("solar", 2025): ("S108;S109;S110", "low", "year average of end-2024 (~31 GW) and end-2025 "
                      "(~46 GW) solar: 40.22 GW Apr 2025 (S109), +16.9 GW wind+solar in 2025 "
                      "(S110); split estimated"),
    ("solar", 2030): ("S111", "low", "see onwind 2030: 2/3 of the ~163 GW wind+solar "
                      "(estimate)"),
    ("solar", 2035): ("estimate", "low", "2030 + ~7 GW/a (estimate)"),
    ("battery", 2023): ("estimate", "low", "new-type storage in Shanxi, no figure found"),
    ("battery", 2025): ("estimate", "low", "new-type storage in Shanxi, no figure found"),
    ("battery", 2030): ("S116", "low", "Shanxi plan: 10 GW of storage (S116; year of the target "
                        "ambiguous between 2025 and 2030)"),
    ("battery", 2035): ("estimate", "low", "doubling after 2030 (estimate)"),
}

# ------------------------------------------------------------------------ judgements
REGIONS = pd.DataFrame([
    {"region_id": "SXN", "name": "North Shanxi", "name_zh": "晋北",
     "x_lon": 113.0, "y_lat": 39.8, "load_share": 0.20,
     "note": "Datong, Shuozhou and the Xinzhou counties outside the zone. load_share = "
             "estimate (~16 % of the population, coal mining and aluminium)."},
    {"region_id": "SXC", "name": "Central and south Shanxi", "name_zh": "晋中南",
     "x_lon": 112.6, "y_lat": 36.6, "load_share": 0.80,
     "note": "Taiyuan outside the zone, Jinzhong, Yangquan, Lüliang, Changzhi, Jincheng, "
             "Linfen and Yuncheng. load_share = estimate (most of the industry)."},
])
SHARE = {  # regional share of the neighbour's capacity by carrier (estimate)
    "coal": {"SXN": 0.35, "SXC": 0.65},
    "onwind": {"SXN": 0.60, "SXC": 0.40},
    "solar": {"SXN": 0.45, "SXC": 0.55},
    "hydro": {"SXN": 1.0, "SXC": 0.0},
    "CCGT": {"SXN": 0.0, "SXC": 1.0},
    "other thermal": {"SXN": 0.2, "SXC": 0.8},
    "battery": {"SXN": 0.4, "SXC": 0.6},
    "outbound": {"SXN": 0.45, "SXC": 0.55},
}
COAL_TRANCHES = [  # unit_id, carrier, share of coal MW, efficiency, must-run, season,
    # minimum stable output of the capacity committed for the day
    ("coal_chp", "coal CHP", 0.40, 0.355, 0.50, HEATING, 0.65),
    ("coal_large", "coal", 0.35, 0.390, 0.0, "all", 0.60),
    ("coal_sub", "coal", 0.25, 0.335, 0.0, "all", 0.60),
]
COAL_AVAILABILITY = 0.90  # planned maintenance and forced outages (estimate)
# CHP in the heating season: power output reduced by c_v x heat extracted; c_v = 0.15
# (costs.csv coal CHP, S08) at a heat-to-power ratio ~1.2 (estimate): 0.90 x (1 - 0.18)
CHP_HEATING_AVAILABILITY = 0.74
NEIGHBOUR_GAS_MW = {2023: 1500.0, 2025: 1500.0, 2030: 2500.0, 2035: 2500.0}
HYDRO_CONVENTIONAL_MW = CAP_2023_END["hydro"] - 1200.0  # stats hydro incl. Xilongchi PHS
HYDRO_TWH = GEN_2023_TWH["hydro"] - 0.8  # minus Xilongchi's output (~0.7-0.9 TWh, S114)
WIND_FLH = 2300.0  # available full-load hours, calibrated to 2023 (see fleet note)
SOLAR_FLH = 1330.0
OTHER_THERMAL_CO2 = 0.45  # t/MWh_el: coke-oven gas and CMM emit, waste heat and biomass not
OTHER_THERMAL_CF = 0.43  # by-product fuels: flat output [p.u.], calibrated to 2023
PROVINCE_TWH = {2023: CONSUMPTION_2023_TWH, 2025: 318.1, 2030: 377.8, 2035: 438.0}
OUTBOUND = {2023: (OUTBOUND_2023_TWH, OUTBOUND_CAPACITY_2022_MW), 2025: (170.0, 32000.0),
            2030: (210.0, 40000.0), 2035: (240.0, 45000.0)}
FIRM_SHARE = 0.94  # share of the outbound energy delivered as a flat contract band (estimate)
OUTBOUND_PRICE = 320.0  # CNY/MWh paid for flexible outbound energy (estimate)
NEIGHBOUR_LOAD_FACTOR = 0.80  # estimate: 74 % of consumption is secondary industry (S66)
PHS_PROJECTS = [  # name, region, MW, hours, first year in the model, source
    ("Yuanqu I", "SXC", 1200.0, 6.0, 2030, "S17"),
    ("Yuanqu II", "SXC", 1200.0, 6.0, 2030, "S16"),
    ("Hunyuan", "SXN", 1500.0, 6.0, 2030, "S18"),
    ("Daixian Zhenghuaneng", "SXN", 1400.0, 6.0, 2035, "S117"),
    ("Houma", "SXC", 1200.0, 6.0, 2035, "S19"),
    ("Yuxian Shangshe", "SXC", 1400.0, 6.0, 2035, "S21"),
]

# zone wind/solar vintages: site -> [(build_year, MW, source, confidence, note)]
WIND_VINTAGES = {
    "onwind_TYB500": [(2018, 200.0, "S06", "medium", "Yangqu, operating in GEM May 2023; "
                       "commissioning year estimated")],
    "onwind_GJ500": [(2017, 116.0, "S06", "medium", "Gujiao, operating in GEM May 2023; "
                      "commissioning year estimated"),
                     (2024, 200.0, "S06", "medium", "Gujiao, under construction in GEM May "
                      "2023; online 2024 assumed")],
    "onwind_XZ500": [(2015, 51.0, "S06", "medium", "Dingxiang, operating in GEM May 2023; "
                      "commissioning year estimated")],
    "onwind_XZB500": [(2015, 1315.0, "S06", "medium", "Daixian 196 + Fanshi 799 + Yuanping 320 "
                       "MW, operating in GEM May 2023; commissioning year estimated (Shanxi's "
                       "wind fleet grew from 3.2 GW in 2013 to 19.7 GW in 2020, S69/S13)")],
    "onwind_XLC500": [(2016, 214.0, "S06", "medium", "Wutai, operating in GEM May 2023; "
                       "commissioning year estimated"),
                      (2024, 99.5, "S06", "medium", "Wutai, under construction in GEM May 2023;"
                       " online 2024 assumed")],
}
SOLAR_BY_2023 = 1400.0 / 2500.0  # share of the zone's 2025 PV existing by end-2023 (estimate)


def _row(**kw: object) -> dict:
    return kw


def regions() -> pd.DataFrame:
    """Neighbour regions with their load shares."""
    out = REGIONS.assign(source="estimate", confidence="low")
    return out[["region_id", "name", "name_zh", "x_lon", "y_lat", "load_share", "source",
                "confidence", "note"]]


def links() -> pd.DataFrame:
    """Links from the boundary buses into the regions and between regions."""
    rows = [
        ("JZ1000_SXC", "JZ1000", "SXC", 10000.0,
         "Jinzhong UHV 500 kV side into the central-south grid. Rating = estimate chosen not to "
         "bind (the zone's lines into JZ1000 limit the exchange)."),
        ("YQ500_SXC", "YQ500", "SXC", 10000.0,
         "Yangquan 500 kV into the central-south grid (S24 for the station). Rating = estimate, "
         "not binding."),
        ("PC500_SXN", "PC500", "SXN", 10000.0,
         "Pingcheng (Datong) 500 kV into the north grid (S24 for the station). Rating = estimate, "
         "not binding."),
        ("SXN_SXC", "SXN", "SXC", 8000.0,
         "North-to-south 500 kV sections of Shanxi outside the zone ('north power to the "
         "south'); ~3 double-circuit 500 kV corridors x 2 x 1,200 MW + margin (estimate)."),
    ]
    return pd.DataFrame([
        _row(link_id=i, bus0=b0, bus1=b1, p_nom_mw=p, source="estimate", confidence="low",
             note=note) for i, b0, b1, p, note in rows])


def zone_totals(plants: pd.DataFrame, vintages: pd.DataFrame, year: int) -> dict[str, float]:
    """The zone's capacity in a year [MW] by neighbour carrier group."""
    live = plants[(plants.build_year <= year) & (plants.build_year + plants.lifetime_years > year)]
    vin = vintages[vintages.build_year <= year]
    return {
        "coal": float(live[live.carrier.isin(["coal", "coal CHP"])].p_nom_mw.sum()),
        "thermal_other": float(live[live.carrier.isin(["gas CHP", "CMM"])].p_nom_mw.sum()),
        "onwind": float(vin[vin.carrier == "onwind"].p_nom_mw.sum()),
        "solar": float(vin[vin.carrier == "solar"].p_nom_mw.sum()),
    }


def vintages(sites: pd.DataFrame) -> pd.DataFrame:
    """The zone's existing wind and solar by site and build year."""
    rows = []
    for site, items in WIND_VINTAGES.items():
        for build_year, mw, src, conf, note in items:
            rows.append(_row(site_id=site, carrier="onwind", build_year=build_year, p_nom_mw=mw,
                             lifetime_years=25.0, source=src, confidence=conf,
                             note=note + "; lifetime 25 a (costs.csv onwind)"))
    for site in sites[sites.carrier == "solar"].itertuples():
        if site.p_nom_existing_mw <= 0:
            continue
        early = round(site.p_nom_existing_mw * SOLAR_BY_2023, 1)
        for build_year, mw, when in ((2020, early, "by end-2023"),
                                     (2024, round(site.p_nom_existing_mw - early, 1),
                                      "in 2024-2025")):
            rows.append(_row(
                site_id=site.site_id, carrier="solar", build_year=build_year, p_nom_mw=mw,
                lifetime_years=25.0, source="estimate", confidence="low",
                note=f"Part of the site's 2025 PV estimate ({site.p_nom_existing_mw:g} MW, "
                     f"renewable_sites.csv) built {when}: {SOLAR_BY_2023:.0%} by end-2023, "
                     "following Shanxi's PV growth (16.95 GW end-2022, 24.9 GW end-2023, "
                     "~46 GW end-2025; S106, S110); build year = estimate; lifetime 25 a"))
    out = pd.DataFrame(rows)
    check = out[out.build_year <= 2025].groupby("site_id").p_nom_mw.sum()
    existing = sites.set_index("site_id").p_nom_existing_mw
    diff = (check - existing.reindex(check.index)).abs()
    assert (diff < 0.05).all(), f"vintages do not add up to renewable_sites: {diff[diff > 0]}"
    return out


def demand() -> pd.DataFrame:
    """Shanxi's consumption per model year."""
    src = {2023: ("S66", "high", "Shanxi whole-society consumption 2023: 288.5 TWh (+6.04 %)"),
           2025: ("estimate", "low", "2023 x 1.05^2 (growth ~5 %/a; 2023 +6.04 %, S66)"),
           2030: ("estimate", "low", "2025 x 1.035^5"),
           2035: ("estimate", "low", "2030 x 1.03^5")}
    rows = []
    for year, twh in PROVINCE_TWH.items():
        s, c, note = src[year]
        rows.append(_row(year=year, shanxi_consumption_mwh=round(twh * 1e6, 0),
                         load_factor=NEIGHBOUR_LOAD_FACTOR, source=s, confidence=c,
                         note=note + ". The neighbour's load = this minus the zone's demand "
                         "(demand.csv; statistics years: extrapolated), split by "
                         "neighbour_regions.load_share. load_factor 0.80 = estimate (secondary "
                         "industry 74.45 % of consumption, S66)."))
    return pd.DataFrame(rows)


def outbound() -> pd.DataFrame:
    """Outbound transmission per region and year."""
    rows = []
    for year, (twh, cap) in OUTBOUND.items():
        if year == 2023:
            s, c = "S72;S107;S112", "medium"
            why = ("net outbound 157.6 TWh (S72, S107); transmission capacity 30.62 GW in 2022 "
                   "(S112), >30 GW in 2024 (S113)")
        else:
            s, c = "estimate", "low"
            why = {2025: "2023 + ~4 %/a (Q1 2024 +8.8 %, S113); capacity +1.4 GW",
                   2030: "new UHV channels (Datong-Tianjin South, S32) and growth",
                   2035: "continued growth"}[year]
        for region, share in SHARE["outbound"].items():
            rows.append(_row(
                region_id=region, year=year, capacity_mw=round(cap * share, 0),
                annual_mwh=round(twh * 1e6 * share, 0), firm_share=FIRM_SHARE,
                price_cny_per_mwh=OUTBOUND_PRICE, source=s, confidence=c,
                note=f"{why}. Regional share {share:.2f} (estimate: the Yanhuai UHVDC and the "
                     "lines to Beijing leave from the north). firm_share 0.94 of the energy is a "
                     "contract band shaped like the region's load (S108: 9.6 of the "
                     "157.6 TWh were new-energy sales, ~6 %); the rest is sold when the "
                     "neighbour's price is below 320 CNY/MWh (estimate, near the 332 CNY/MWh "
                     "coal benchmark), at most the annual energy and the capacity."))
    return pd.DataFrame(rows)


def fleet(plants: pd.DataFrame, vin: pd.DataFrame) -> pd.DataFrame:
    """The neighbour's fleet per region, year and unit (Shanxi minus the zone)."""
    rows = []
    for year in YEARS:
        zone = zone_totals(plants, vin, year)
        coal = PROVINCE_MW["coal"][year] - zone["coal"]
        src, conf, why = SOURCES[("coal", year)]
        for unit, carrier, share, eff, must, season, stable in COAL_TRANCHES:
            for region, rshare in SHARE["coal"].items():
                rows.append(_row(
                    region_id=region, year=year, unit_id=unit, carrier=carrier,
                    p_nom_mw=round(coal * share * rshare, 1), efficiency=eff,
                    availability=COAL_AVAILABILITY,
                    availability_heating=CHP_HEATING_AVAILABILITY if season == HEATING else None,
                    must_run=must, must_run_season=season,
                    min_stable=stable, full_load_hours=None, max_hours=None, profile_site=None,
                    vom_cny_per_mwh=22.386 if carrier == "coal CHP" else 27.3,
                    co2_t_per_mwh_el=None, source=src, confidence="low",
                    note=f"Shanxi coal {PROVINCE_MW['coal'][year]:,.0f} MW ({why}) minus the "
                         f"zone's {zone['coal']:,.0f} MW; share {share:.2f} of it in this "
                         f"tranche, {rshare:.2f} in the region (estimates). Efficiency "
                         f"{eff} (net): tranche weights give 0.362 (~339 gce/kWh), set so that "
                         "the 2023 CO2 intensity meets S85 (>0.7 t/MWh); availability 0.90 "
                         "(CHP in the heating season 0.74: c_v 0.15 of costs.csv (S08) x heat/"
                         "power ~1.2, estimate), "
                         f"must-run {must} ({season}, heat-led CHP) and the minimum stable "
                         f"output {stable} of the capacity committed for a day (daily unit "
                         "commitment, linear) are estimates, set so that 2023 curtailment "
                         "stays within S108 and Xilongchi's output within S114/S14; VOM from "
                         "costs.csv (S08)."))
        for carrier, key, profile, flh in (("onwind", "onwind", {"SXN": "onwind_XZB500",
                                                                 "SXC": "onwind_GJ500"},
                                            WIND_FLH),
                                           ("solar", "solar", {"SXN": "solar_XZB500",
                                                               "SXC": "solar_TYB500"},
                                            SOLAR_FLH)):
            total = PROVINCE_MW[key][year] - zone[key]
            src, conf, why = SOURCES[(key, year)]
            for region, rshare in SHARE[carrier].items():
                rows.append(_row(
                    region_id=region, year=year, unit_id=carrier, carrier=carrier,
                    p_nom_mw=round(total * rshare, 1), efficiency=None, availability=None,
                    must_run=0.0, must_run_season="all", full_load_hours=flh, max_hours=None,
                    profile_site=profile[region],
                    vom_cny_per_mwh=0.039 if carrier == "onwind" else 0.078,
                    co2_t_per_mwh_el=None, source=src, confidence="low",
                    note=f"Shanxi {carrier} {PROVINCE_MW[key][year]:,.0f} MW ({why}) minus the "
                         f"zone's {zone[key]:,.0f} MW (renewable_vintages.csv); regional share "
                         f"{rshare:.2f} (estimate). Hourly shape of zone site "
                         f"{profile[region]} scaled to {flh:g} available full-load hours: "
                         "2023 generation (S106) over the year-average capacity, plus ~2 % "
                         "curtailment (S108: utilisation >97 %)."))
        for region, rshare in SHARE["hydro"].items():
            if rshare == 0:
                continue
            rows.append(_row(
                region_id=region, year=year, unit_id="hydro", carrier="hydro",
                p_nom_mw=round(HYDRO_CONVENTIONAL_MW * rshare, 1), efficiency=None,
                availability=1.0, must_run=0.0, must_run_season="all",
                full_load_hours=round(HYDRO_TWH * 1e6 / HYDRO_CONVENTIONAL_MW, 0),
                max_hours=None, profile_site=None, vom_cny_per_mwh=0.0, co2_t_per_mwh_el=None,
                source="S106;S92", confidence="low",
                note="Conventional hydro (Wanjiazhai, S92; Longkou, Tianqiao) = Shanxi hydro "
                     "2,251 MW (S106) minus Xilongchi's 1,200 MW (assumption: the statistic "
                     "includes pumped storage). Annual energy 3.82 TWh (S106) minus ~0.8 TWh of "
                     "Xilongchi output (S114) as full_load_hours; dispatchable within it. Held "
                     "constant."))
        gas = NEIGHBOUR_GAS_MW[year]
        other = PROVINCE_MW["thermal_other"][year] - zone["thermal_other"] - gas
        for region, rshare in SHARE["CCGT"].items():
            if rshare == 0:
                continue
            rows.append(_row(
                region_id=region, year=year, unit_id="gas", carrier="CCGT",
                p_nom_mw=round(gas * rshare, 1), efficiency=0.55, availability=0.95,
                must_run=0.0, must_run_season="all", full_load_hours=None, max_hours=None,
                profile_site=None, vom_cny_per_mwh=33.54, co2_t_per_mwh_el=None,
                source="estimate", confidence="low",
                note="Gas-fired plants outside the zone: Jiajie 860 MW (Xiaodian, S05) plus "
                     "others (estimate); +1 GW by 2030 (estimate). Efficiency 0.55, VOM from "
                     "costs.csv CCGT (S08); gas at the fuels.csv price."))
        for region, rshare in SHARE["other thermal"].items():
            rows.append(_row(
                region_id=region, year=year, unit_id="other_thermal", carrier="other thermal",
                p_nom_mw=round(other * rshare, 1), efficiency=None,
                availability=OTHER_THERMAL_CF, must_run=OTHER_THERMAL_CF,
                must_run_season="all", full_load_hours=None, max_hours=None, profile_site=None,
                vom_cny_per_mwh=10.0, co2_t_per_mwh_el=OTHER_THERMAL_CO2, source="S106",
                confidence="low",
                note="Non-coal thermal (coke-oven gas, coal-mine methane, waste heat and "
                     "pressure, biomass) = Shanxi thermal minus coal, year average 2023 (S106: "
                     f"{PROVINCE_MW['thermal_other'][year]:,.0f} MW), minus the zone's gas CHP "
                     "and CMM and the neighbour's gas plants; held constant. By-product fuels: "
                     f"flat output {OTHER_THERMAL_CF} p.u. (must-run), calibrated to 2023 non-coal"
                     " thermal generation (26.9 TWh, S106); 0.45 t CO2/MWh_el (estimate: "
                     "coke-oven gas and CMM dominate in Shanxi and emit, waste heat and "
                     "biomass do not); VOM 10 CNY/MWh (estimate)."))
        phs = [p for p in PHS_PROJECTS if p[4] <= year]
        for region in SHARE["coal"]:
            mw = sum(p[2] for p in phs if p[1] == region)
            if mw > 0:
                names = ", ".join(f"{p[0]} {p[2]:g} MW ({p[5]})"
                                  for p in phs if p[1] == region)
                rows.append(_row(
                    region_id=region, year=year, unit_id="PHS", carrier="PHS", p_nom_mw=mw,
                    efficiency=0.75, availability=None, must_run=0.0, must_run_season="all",
                    full_load_hours=None, max_hours=6.0, profile_site=None, vom_cny_per_mwh=0.0,
                    co2_t_per_mwh_el=None, source=";".join(p[5] for p in phs if p[1] == region),
                    confidence="low",
                    note=f"Pumped storage outside the zone in service by {year}: {names}. "
                         "Commissioning years estimated from construction starts (S17: 2022, "
                         "75 months; S18: 2023-05; S117: 2025-06, 72 months; S118). 6 h and "
                         "0.75 round trip as the zone's candidates (estimates)."))
        bat = PROVINCE_MW["battery"][year]
        src, conf, why = SOURCES[("battery", year)]
        for region, rshare in SHARE["battery"].items():
            rows.append(_row(
                region_id=region, year=year, unit_id="battery", carrier="battery",
                p_nom_mw=round(bat * rshare, 1), efficiency=0.85, availability=None,
                must_run=0.0, must_run_season="all", full_load_hours=None, max_hours=2.4,
                profile_site=None, vom_cny_per_mwh=0.0, co2_t_per_mwh_el=None, source=src,
                confidence="low",
                note=f"New-type (battery) storage: {why}; regional share {rshare} (estimate); "
                     "2.4 h = China's average in 2024 (S81); round trip 0.85 (estimate)."))
    out = pd.DataFrame(rows)
    assert (out.p_nom_mw >= 0).all(), out[out.p_nom_mw < 0]
    return out


def validation(plants: pd.DataFrame) -> pd.DataFrame:
    """Published figures the validate command compares with."""
    g = GEN_2023_TWH
    rows = [
        ("prov_generation", "province", "generation", "total", g["total"], "TWh", None, None,
         "S106", "high", "Shanxi generation 2023, 446.1 TWh."),
        ("prov_thermal", "province", "generation", "thermal", g["thermal"], "TWh", None, None,
         "S106", "high", "Thermal (coal, gas, waste heat/gas, biomass) 360.53 TWh."),
        ("prov_coal", "province", "generation", "coal", g["coal"], "TWh", None, None, "S106",
         "high", "Coal 333.62 TWh."),
        ("prov_wind", "province", "generation", "onwind", g["wind"], "TWh", None, None, "S106",
         "high", "Wind 54.24 TWh (the neighbour's wind hours are calibrated to it)."),
        ("prov_solar", "province", "generation", "solar", g["solar"], "TWh", None, None, "S106",
         "high", "Solar 27.49 TWh (the neighbour's solar hours are calibrated to it)."),
        ("prov_hydro", "province", "generation", "hydro", g["hydro"], "TWh", None, None,
         "S106", "medium", "Hydro 3.82 TWh (high), compared with conventional hydro + pumped-"
         "storage output: whether the statistic includes pumped storage is not stated, so "
         "medium (±15 %)."),
        ("prov_coal_share", "province", "share", "coal", 0.748, "p.u.", None, None, "S106",
         "high", "Coal's share of generation 74.8 % (stated); ±5 %."),
        ("prov_consumption", "province", "consumption", "total", CONSUMPTION_2023_TWH, "TWh",
         None, None, "S66", "high", "Whole-society consumption 288.5 TWh; checks the zone + "
         "neighbour loads (the neighbour's is this minus the zone's)."),
        ("prov_outbound", "province", "net_outbound", "total", OUTBOUND_2023_TWH, "TWh", None,
         None, "S72;S107", "high", "Net outbound 157.6 TWh (35.3 % of generation)."),
        ("prov_curtailment", "province", "curtailment", "wind+solar", 0.0, "p.u.", 0.0, 0.03,
         "S108", "high", "Wind and solar utilisation 'above 97 %' (2023-24): curtailment at "
         "most 3 %."),
        ("prov_co2_intensity", "province", "co2_intensity", "total", 0.70, "t/MWh", 0.70, 0.80,
         "S85", "medium", "MEE 2022 provincial factor for Shanxi 'above 0.7' kg/kWh (S85): the "
         "lower bound is sourced. The model gives production CO2 / generation of 2023; the "
         "MEE factor is consumption-based for 2022 (net exports deducted at the average), "
         "which for a net exporter equals the average. Upper bound 0.80 = estimate."),
        ("zone_xilongchi", "zone", "storage_output", "PHS", 0.7, "TWh", 0.7, 1.8,
         "S114;S14", "medium", "Xilongchi output: 'exceeded 700 million kWh in 2021' (S114) as "
         "the lower bound (more wind and solar since), the design 1.8 TWh/a (S14) as the upper."
         " A 2021 figure against a 2023 dispatch, hence medium."),
        ("zone_coal_hours", "zone", "full_load_hours", "coal CHP", 4630.0, "h", None, None,
         "S106", "low", "No zone figure: Shanxi's coal plants ran 333.62 TWh / 72.063 GW = "
         "4,630 h in 2023 (derived); the zone's coal CHP compared with the provincial average "
         "(±30 %)."),
        ("zone_heat", "zone", "heat_delivered", "heat", None, "TWh", None, None, "estimate",
         "low", "District heat delivered to customers: heated floor area of heat_areas.csv "
         "(2025 rows) x 0.4 GJ/m2/a (fact-base estimate). A consistency check of the heat-"
         "demand input, not an independent statistic."),
    ]
    areas = pd.read_csv(HERE / "heat_areas.csv")
    floor = areas[areas.year == 2025].floor_area_mm2.sum()
    frame = pd.DataFrame(rows, columns=["figure_id", "scope", "metric", "carrier", "value",
                                        "unit", "lower", "upper", "source", "confidence",
                                        "note"])
    frame.loc[frame.figure_id == "zone_heat", "value"] = round(floor * 0.4 / 3.6, 2)
    frame.insert(1, "year", 2023)
    return frame


def write(df: pd.DataFrame, name: str) -> None:
    """Write one CSV next to this script."""
    df.to_csv(HERE / name, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {name}: {len(df)} rows")


def main() -> None:
    """Write every table."""
    plants = pd.read_csv(HERE / "plants.csv")
    sites = pd.read_csv(HERE / "renewable_sites.csv")
    vin = vintages(sites)
    write(regions(), "neighbour_regions.csv")
    write(links(), "neighbour_links.csv")
    write(demand(), "neighbour_demand.csv")
    write(outbound(), "neighbour_outbound.csv")
    write(fleet(plants, vin), "neighbour_fleet.csv")
    write(vin, "renewable_vintages.csv")
    write(validation(plants), "validation.csv")


if __name__ == "__main__":
    main()
