"""Build the network_data/*.csv inputs from the cited fact base.

Usage (from the repository root)::

    .venv/bin/python network_data/build_from_facts.py [FACTS_DIR]

FACTS_DIR defaults to ``../shared/data/facts`` relative to the repository root (or the
environment variable ``TX_FACTS_DIR``). The CSVs written next to this script are the source
of truth for the model; this script only documents how they were derived. Every modelling
judgement (bus mapping, shares, eligible areas ...) is written out below as a literal, so it
can be read and changed in one place. Sourced numbers (coordinates, plant units, wind by
county, PHS, fuel prices, recommended costs) are read from the fact base and checked.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EUR = 7.8  # CNY/EUR, fact base costs.csv "exchange rate" (estimate, low)
USD = 7.2  # CNY/USD, idem
YEARS = (2025, 2030, 2035)
ROUTE_FACTOR = 1.25  # same as the fact base M_* corridors
MW_PER_CIRCUIT = 1200  # usable 500 kV circuit rating used by the fact base (lines.csv)
LOAD_FACTOR = 0.68  # demand.csv peak convention
COAL_MWH_PER_T = 5500 * 4.1868 / 3600  # 5,500 kcal/kg -> 6.396 MWh_th/t
GAS_KWH_PER_M3 = 9.9  # LHV, fuels_emissions.csv convention


def facts_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("TX_FACTS_DIR"):
        return Path(os.environ["TX_FACTS_DIR"])
    return ROOT.parent / "shared" / "data" / "facts"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def write(df: pd.DataFrame, name: str) -> None:
    df.to_csv(HERE / name, index=False, encoding="utf-8", lineterminator="\n")
    print(f"wrote {name}: {len(df)} rows")


# --------------------------------------------------------------------------- buses
def build_buses(F: Path) -> pd.DataFrame:
    sub = pd.read_csv(F / "substations.csv").set_index("id")
    ps = pd.read_csv(F / "pumped_storage.csv")
    xl = ps[ps.project_pinyin_en == "Xilongchi PHS phase I"].set_index("parameter")["value"]
    xlc_lat, xlc_lon = float(xl["lat"]), float(xl["lon"])

    # bus_id -> (substation id in facts or None, name, name_zh override, role, source, conf, note)
    spec = [
        ("TYB500", "TYB500", "Taiyuan North (Juewei)", None, "zone", "S23", "low",
         "In Jiancaoping (Baiban township); T-connected on the Houcun-Yundingshan line, 2nd circuit to "
         "Yundingshan (S23). Coordinates estimated from the township (facts coord_confidence low)."),
        ("LC500", "LC500", "Longcheng (Taiyuan South)", None, "zone", "S26", "low",
         "Approved c.2013 (S26); county unknown (south Taiyuan, probably just outside the zone) but "
         "kept as a zone node because it carries Taiyuan urban load and the link to Jinzhong UHV. "
         "Coordinates assumed (facts, low)."),
        ("HC500", "HC500", "Houcun", None, "zone", "S23", "low",
         "Existence inferred from the line name Houcun-Yundingshan (S23); location is a guess "
         "(south/east of Taiyuan), see substations.csv."),
        ("YDS500", "YDS500", "Yundingshan", None, "zone", "S23", "low",
         "Line end in S23; assumed north of Taiyuan North toward Xinzhou (Yangqu side). Location a guess."),
        ("GJ500", "GJ500", "Gujiao", None, "zone", "S25", "low",
         "Gujiao 500 kV substation approved 2007 (S25); the Gujiao Xingneng units connect nearby. "
         "Coordinates estimated (facts, low)."),
        ("XZ500", "XZ500_existing", "Xinzhou existing 500 kV hub (name unverified)", None, "zone",
         "estimate", "low",
         "PLACEHOLDER from the fact base (XZ500_existing): the hub that must serve Xinzhou city and the "
         "Guangyu CHP; name not found (candidate: Yundingshan). Coordinates = Xinfu (assumed)."),
        ("XZB500", "XZB500", "Xinzhou North", None, "zone", "S24;S22", "low",
         "2,000 MVA, 2.068 bn CNY, construction started 2024-06 (S24); in service ~2026 (assumed). "
         "Location (Daixian/Yuanping area) and coordinates assumed (facts coord_confidence low). "
         "In the model it also stands for the northern Xinzhou counties (Yuanping, Daixian, Fanshi)."),
        ("XLC500", None, "Xilongchi PHS switchyard", "西龙池抽水蓄能电站500千伏开关站", "zone", "S14",
         "medium",
         "Model node for the Xilongchi PHS switchyard (Wutai county); coordinates of the PHS from S14 "
         "(high). That the station connects at 500 kV is an assumption (not stated in the sources)."),
        ("NW500", "NW500", "Ningwu RE collector", None, "zone", "S24;S22", "low",
         "Ningwu 500 kV new-energy collector station under construction (S24/S22); in Ningwu county, "
         "just OUTSIDE the zone, but kept as role=zone because it is the wind/PV collector for the "
         "zone's north-west (western Yuanping). MVA and coordinates assumed."),
        ("JZ1000", "JZ1000", "Jinzhong UHV (500 kV side)", None, "boundary", "S29;S28;S30", "low",
         "Jinzhong 1000 kV station (Mengxi-Jinzhong UHV end, Yushe 500 kV line lands here). Modelled "
         "as its 500 kV busbar (v_nom 500 kV) so that 500 kV lines connect without a transformer. "
         "Location (Pingyao, Hongshan?) unverified."),
        ("YQ500", "YQ500", "Yangquan", None, "boundary", "S24", "low",
         "Southern terminal of the Xinzhou North 'east vertical' link (S24, existence high); coordinates "
         "assumed (low)."),
        ("PC500", "PC500", "Pingcheng (Datong)", None, "boundary", "S24", "low",
         "Northern terminal of the Xinzhou North link (S24, existence high); coordinates assumed (low)."),
        ("XD500", "XD500", "Xiongdong (Xiong'an)", None, "export", "S38", "low",
         "Xiong'an receiving node, 2 x 1,000 MVA (S38, high). Not connected by any line here; the export "
         "corridor module adds the link. Coordinates assumed (low)."),
    ]
    rows = []
    for bus_id, sid, name, zh, role, src, conf, note in spec:
        if sid is None:
            lat, lon, name_zh = xlc_lat, xlc_lon, zh
        else:
            s = sub.loc[sid]
            lat, lon, name_zh = float(s.lat), float(s.lon), s.name_zh
        rows.append(dict(bus_id=bus_id, name=name, name_zh=name_zh, v_nom_kv=500, x_lon=lon, y_lat=lat,
                         role=role, source=src, confidence=conf, note=note))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- lines
R_OHM_KM = 0.018  # per circuit, 500 kV 4 x LGJ-400 (estimate)
X_OHM_KM = 0.27


def build_lines(buses: pd.DataFrame) -> pd.DataFrame:
    b = buses.set_index("bus_id")

    def dist(a: str, c: str) -> float:
        return haversine_km(b.at[a, "y_lat"], b.at[a, "x_lon"], b.at[c, "y_lat"], b.at[c, "x_lon"])

    common = (f"r/x = {R_OHM_KM}/{X_OHM_KM} ohm/km per circuit (500 kV 4-bundle ACSR, engineering typical "
              "value, estimate). s_nom_max = s_nom + 2 circuits x 1,200 MW (estimate). capex = 2,500 "
              "CNY/(MW*km) (fact base costs.csv recommendation, low).")
    # line_id, bus0, bus1, length (None = from coords x route factor), circuits, build_year, status,
    # source, confidence, note
    spec = [
        ("L_HC_TYB", "HC500", "TYB500", 40.0, 1, 2021, "operating", "S23", "low",
         "Facts L_HC_TYB: Houcun-Yundingshan line T-connected into Taiyuan North (S23). Length 40 km and "
         "1,200 MW usable are fact-base estimates; build_year 2021 from 'c.2021'."),
        ("L_TYB_YDS", "TYB500", "YDS500", 45.0, 2, 2021, "operating", "S23", "low",
         "Facts L_TYB_YDS: 1st circuit = part of former Houcun-Yundingshan line, 2nd circuit new (S23). "
         "Length 45 km / 2,400 MW are fact-base estimates. This line also stands for the fact-base model "
         "corridor M_Taiyuan_Xinzhou/Yundingshan (TYB500-YDS500, 59.3 km), which is NOT added again to "
         "avoid double counting."),
        ("L_XZB_PC", "XZB500", "PC500", 170.0, 2, 2026, "under_construction", "S24", "low",
         "Facts L_XZB_PC: Xinzhou North-Pingcheng, 'east vertical' corridor, construction from 2024 (S24); "
         "length = straight distance x1.3, 2 circuits and 2,400 MW assumed (facts). build_year 2026 = "
         "assumed commissioning with Xinzhou North."),
        ("L_XZB_YQ", "XZB500", "YQ500", 185.0, 2, 2026, "under_construction", "S24", "low",
         "Facts L_XZB_YQ: Xinzhou North-Yangquan via Wutai/Yuxian (S24); length, circuits and rating "
         "estimated (facts). build_year 2026 = assumed commissioning with Xinzhou North."),
        ("M_GJ_TYB", "GJ500", "TYB500", 31.8, 2, 2008, "model_corridor", "estimate", "low",
         "Facts M_Gujiao_Taiyuan (straight 25.4 km x1.25). 2 x 1,200 MW assumed. build_year 2008 = Gujiao "
         "500 kV (approved 2007, S25) + 1 yr; estimate. NOTE: Gujiao Xingneng (3,120 MW) + Gujiao load sit "
         "behind this 2,400 MW corridor; the real Gujiao/Liulin outlets (278.5 km, S25) toward the west "
         "are not modelled."),
        ("M_TYB_LC", "TYB500", "LC500", 37.8, 2, 2015, "model_corridor", "estimate", "low",
         "Facts M_Taiyuan_Longcheng (straight 30.2 km x1.25). 2 x 1,200 MW assumed. build_year 2015 = "
         "Longcheng approved 2013 (S26) + 2 yr; estimate."),
        ("M_YDS_XZ", "YDS500", "XZ500", None, 2, 2005, "model_corridor", "estimate", "low",
         "Short link between Yundingshan and the Xinzhou hub placeholder, added because the fact-base "
         "corridors treat 'YDS500/XZ500' as one node. Length = haversine between bus coordinates x1.25 "
         "route factor. 2 x 1,200 MW assumed. build_year 2005 estimate (existing before 2025)."),
        ("M_XZ_XZB", "XZ500", "XZB500", None, 2, 2010, "model_corridor", "estimate", "low",
         "Facts M_Xinzhou/Yundingshan_Xinzhou (87.1 km from the YDS/XZ midpoint) re-anchored at XZ500; "
         "length = haversine XZ500-XZB500 x1.25. 2 x 1,200 MW assumed. Treated as EXISTING (build_year 2010, "
         "estimate): it stands for today's 220/500 kV path from the Xinzhou basin to the northern counties "
         "(Yuanping, Daixian, Fanshi) whose wind and the Tonghua Xuangang plant are mapped to XZB500."),
        ("M_XZ_XLC", "XZ500", "XLC500", None, 2, 2008, "model_corridor", "estimate", "low",
         "Facts M_Xinzhou/Yundingshan_Xilongchi (70.5 km from the YDS/XZ midpoint) re-anchored at XZ500; "
         "length = haversine x1.25. 2 x 1,200 MW assumed. build_year 2008 = Xilongchi PHS in service (S14)."),
        ("M_XZB_XLC", "XZB500", "XLC500", 70.2, 2, 2026, "model_corridor", "estimate", "low",
         "Facts M_Xinzhou_Xilongchi (straight 56.2 km x1.25). 2 x 1,200 MW assumed. build_year 2026 tied to "
         "Xinzhou North commissioning (estimate)."),
        ("M_LC_JZ", "LC500", "JZ1000", 69.4, 2, 2020, "model_corridor", "estimate", "low",
         "Facts M_Longcheng_Jinzhong (straight 55.5 km x1.25) to the 500 kV side of Jinzhong UHV. "
         "2 x 1,200 MW assumed. build_year 2020 = Mengxi-Jinzhong UHV in service (S30); estimate."),
        ("M_GJ_JZ", "GJ500", "JZ1000", None, 2, 2008, "model_corridor", "S25", "low",
         "Stands for the Gujiao substation / Liulin plant outgoing 500 kV lines to the Shanxi main grid "
         "(S25: 278.5 km of new 500 kV line approved 2007; individual line ends not given). Modelled as "
         "one 2-circuit corridor to the rest of Shanxi at the Jinzhong node so that Gujiao Xingneng "
         "(3,120 MW) is not bottled up behind the 2,400 MW Gujiao-Taiyuan corridor. Existence S25; "
         "routing, length (haversine x1.25), circuits and rating are estimates."),
        ("M_XZB_NW", "XZB500", "NW500", 64.9, 2, 2026, "model_corridor", "estimate", "low",
         "Facts M_Xinzhou_Ningwu (straight 51.9 km x1.25). 2 x 1,200 MW assumed. build_year 2026 = Ningwu "
         "collector and Xinzhou North under construction in 2024 (S24); estimate."),
    ]
    rows = []
    for lid, b0, b1, length, circ, by, status, src, conf, note in spec:
        if length is None:
            straight = dist(b0, b1)
            length = round(straight * ROUTE_FACTOR, 1)
            note = note + f" Straight line {straight:.1f} km."
        s_nom = circ * MW_PER_CIRCUIT
        rows.append(dict(line_id=lid, bus0=b0, bus1=b1, length_km=length, circuits=circ, s_nom_mw=s_nom,
                         r_ohm_per_km=R_OHM_KM, x_ohm_per_km=X_OHM_KM,
                         s_nom_max_mw=s_nom + 2 * MW_PER_CIRCUIT, capex_cny_per_mw_km=2500,
                         build_year=by, status=status, source=src, confidence=conf,
                         note=note + " " + common))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- counties
# county_id: (facts region label, name, name_zh, prefecture, bus, area_km2 [general knowledge, low])
COUNTIES = {
    "jiancaoping": ("尖草坪区 Jiancaoping", "Jiancaoping", "尖草坪区", "Taiyuan", "TYB500", 286),
    "xinghualing": ("杏花岭区 Xinghualing", "Xinghualing", "杏花岭区", "Taiyuan", "TYB500", 146),
    "yingze": ("迎泽区 Yingze", "Yingze", "迎泽区", "Taiyuan", "HC500", 105),
    "wanbailin": ("万柏林区 Wanbailin", "Wanbailin", "万柏林区", "Taiyuan", "TYB500", 305),
    "gujiao": ("古交市 Gujiao", "Gujiao", "古交市", "Taiyuan", "GJ500", 1541),
    "yangqu": ("阳曲县 Yangqu", "Yangqu", "阳曲县", "Taiyuan", "TYB500", 2062),
    "xinfu": ("忻府区 Xinfu", "Xinfu", "忻府区", "Xinzhou", "XZ500", 1982),
    "dingxiang": ("定襄县 Dingxiang", "Dingxiang", "定襄县", "Xinzhou", "XZ500", 865),
    "yuanping": ("原平市 Yuanping", "Yuanping", "原平市", "Xinzhou", "XZB500", 2560),
    "fanshi": ("繁峙县 Fanshi", "Fanshi", "繁峙县", "Xinzhou", "XZB500", 2368),
    "daixian": ("代县 Daixian", "Daixian", "代县", "Xinzhou", "XZB500", 1729),
    "wutai": ("五台县 Wutai", "Wutai", "五台县", "Xinzhou", "XLC500", 2865),
}
BUS_REASON = {
    "jiancaoping": "TYB500 lies in Jiancaoping (S23); nearest bus.",
    "xinghualing": "nearest bus TYB500 (~14 km) vs HC500 (~16 km): close call, kept nearest.",
    "yingze": "nearest bus HC500 (~13 km) vs TYB500 (~16 km), LC500 (~18 km).",
    "wanbailin": "nearest bus TYB500 (~12 km) vs LC500 (~18 km).",
    "gujiao": "GJ500 in Gujiao (S25).",
    "yangqu": "nearest bus TYB500 (~22 km) vs YDS500 (~27 km).",
    "xinfu": "XZ500 placeholder hub is in Xinfu.",
    "dingxiang": "nearest bus XZ500 (~22 km) vs XLC500 (~28 km).",
    "yuanping": "nearest bus XZB500 (~30 km) vs XZ500 (~35 km), NW500 (~43 km).",
    "fanshi": "nearest bus XZB500 (~41 km).",
    "daixian": "nearest bus XZB500 (~14 km).",
    "wutai": "nearest bus XLC500 (~22 km, Xilongchi is in Wutai).",
}


def build_counties(F: Path) -> pd.DataFrame:
    zu = pd.read_csv(F / "zone_units.csv")
    total_area = sum(v[5] for v in COUNTIES.values())
    assert abs(total_area - 16800) < 50, total_area  # S02: 16,800 km2
    rows = []
    for cid, (label, name, zh, pref, bus, area) in COUNTIES.items():
        z = zu[zu.region == label].set_index("item")["value"]
        lat = float(z["seat (town centre) latitude"])
        lon = float(z["seat (town centre) longitude"])
        rows.append(dict(county_id=cid, name=name, name_zh=zh, prefecture=pref, bus=bus, y_lat=lat,
                         x_lon=lon, area_share=round(area / total_area, 4), source="estimate",
                         confidence="low",
                         note=(f"Seat coordinates from zone_units.csv (estimate, low). Bus: {BUS_REASON[cid]} "
                               f"area_share = {area} km2 / {total_area} km2 (county areas from general "
                               "knowledge, not in the fact base; their sum matches the 16,800 km2 of S02).")))
    df = pd.DataFrame(rows)
    # make shares sum to exactly 1 (residual on the largest)
    df.loc[df.area_share.idxmax(), "area_share"] += round(1 - df.area_share.sum(), 4)
    df["area_share"] = df.area_share.round(4)
    return df


# --------------------------------------------------------------------------- demand
TAIYUAN_PART = 22 / 31  # demand.csv facts: Taiyuan part ~22 TWh of ~31 TWh (2023)
# within-part shares (estimate, low) and reasons
SHARE_TY = {
    "jiancaoping": (0.40, "TISCO stainless-steel works (captive 600 MW CHP, S04) + Taiyuan No.2 plant area + "
                          "~0.5 M people; heavy industry dominates"),
    "xinghualing": (0.15, "~0.7 M people, dense urban/commercial (old city centre, east)"),
    "yingze": (0.14, "~0.7 M people, dense urban/commercial (city centre)"),
    "wanbailin": (0.18, "~0.85 M people (largest district) + Xishan coal-mining/coking area (S53)"),
    "gujiao": (0.09, "~0.2 M people; coal mining, washing and coking (Xishan mines, S53)"),
    "yangqu": (0.04, "~0.15 M people, mostly rural; some new industrial parks"),
}
SHARE_XZ = {
    "xinfu": (0.32, "Xinzhou city (~0.6 M people), Guangyu CHP area, Xinzhou development zone"),
    "yuanping": (0.30, "~0.45 M people; industry (Shanxi Aluminium site, Xuangang coal mines, S04); the fact "
                       "base names 'Yuanping industry' explicitly"),
    "dingxiang": (0.10, "~0.2 M people; forging/flange industry"),
    "daixian": (0.10, "~0.2 M people; iron-ore mining and beneficiation"),
    "fanshi": (0.09, "~0.23 M people; iron-ore mining"),
    "wutai": (0.09, "~0.25 M people; mining, Wutaishan tourism"),
}


def build_demand(F: Path) -> pd.DataFrame:
    d = pd.read_csv(F / "demand.csv")
    zone = d[(d.region == "Zone (12 units)") & (d.item == "total consumption (projection)")]
    totals = {int(r.year): float(r.value) * 1000 for r in zone.itertuples()}  # GWh -> MWh
    assert set(totals) == set(YEARS), totals
    assert abs(sum(v[0] for v in SHARE_TY.values()) - 1) < 1e-9
    assert abs(sum(v[0] for v in SHARE_XZ.values()) - 1) < 1e-9
    rows = []
    for year in YEARS:
        total = totals[year]
        shares = {c: TAIYUAN_PART * s for c, (s, _) in SHARE_TY.items()}
        shares |= {c: (1 - TAIYUAN_PART) * s for c, (s, _) in SHARE_XZ.items()}
        annual = {c: round(total * s) for c, s in shares.items()}
        big = max(annual, key=annual.get)
        annual[big] += int(round(total)) - sum(annual.values())
        zone_peak = round(total / (8760 * LOAD_FACTOR), 1)
        peak = {c: round(a / (8760 * LOAD_FACTOR), 1) for c, a in annual.items()}
        peak[big] = round(peak[big] + zone_peak - sum(peak.values()), 1)
        for c in COUNTIES:
            part, (s, why) = ("Taiyuan", SHARE_TY[c]) if c in SHARE_TY else ("Xinzhou", SHARE_XZ[c])
            part_share = TAIYUAN_PART if part == "Taiyuan" else 1 - TAIYUAN_PART
            rows.append(dict(
                county_id=c, year=year, annual_mwh=annual[c], peak_mw=peak[c], source="estimate",
                confidence="low",
                note=(f"Zone total {total / 1e6:.0f} TWh ({year}) from fact base demand.csv (estimate, low, "
                      f"+-30%) x {part} part {part_share:.4f} ({'22/31' if part == 'Taiyuan' else '9/31'}, "
                      f"facts: Taiyuan part ~22 TWh incl. TISCO of ~31 TWh in 2023) x within-part share "
                      f"{s:.2f} ({why}; populations approximate, general knowledge). Shares held constant "
                      f"over years. peak = annual / (8760 h x {LOAD_FACTOR}) as in the facts (county peaks "
                      f"assumed coincident; sums to zone peak {zone_peak} MW)."
                      + (" Rounding residual placed on this county." if c == big else ""))))
    df = pd.DataFrame(rows)
    for year in YEARS:
        assert df[df.year == year].annual_mwh.sum() == round(totals[year])
    return df


# --------------------------------------------------------------------------- plants
# facts plant_name_en -> (id stem, short name, carrier, bus, heat_note, extra sources)
PLANT_MAP = {
    "Xishan Gujiao power station": (
        "gujiao_xingneng", "Gujiao Xingneng (Xishan Gujiao)", "coal CHP", "GJ500",
        "Gujiao-Taiyuan long-distance DH (37.8 km, 4xDN1400): 3,488 MW_th from the whole plant "
        "(1,965 extraction + 1,693 exhaust heat), 4,240 MW_th to Taiyuan with gas peaking (S41)", "S41"),
    "Taiyuan-2 power station": (
        "taiyuan2", "Datang Taiyuan No.2 CHP", "coal CHP", "TYB500",
        "Taiyuan urban DH (Taier); waste-heat recovery project 2013 (S42)", "S42"),
    "Taiyuan Steel Mill power station": (
        "tisco", "TISCO captive CHP", "coal CHP", "TYB500",
        "captive CHP of TISCO; waste heat to Taiyuan DH (S42); output partly tied to steel works", "S42"),
    "Xishan Cogen power station": (
        "xishan_cogen", "Xishan Cogeneration", "coal CHP", "TYB500",
        "GCPT CHP flag; local DH in Wanbailin/Xishan (heat capacity unknown)", ""),
    "Gujiao Riyue Cogen power station": (
        "gujiao_riyue", "Gujiao Riyue Cogeneration", "coal CHP", "GJ500",
        "GCPT CHP flag; Gujiao town DH (heat capacity unknown)", ""),
    "Xinzhou Guangyu power station": (
        "xinzhou_guangyu", "Huadian Xinzhou Guangyu CHP", "coal CHP", "XZ500",
        "Xinzhou urban DH; phase II (2x350 MW) adds 12.8 Mm2 (S46)", "S46"),
    "Tonghua Xuangang power station": (
        "tonghua_xuangang", "Tonghua Xuangang", "coal", "XZB500",
        "none (not flagged as CHP in GCPT)", ""),
}
BUS_NOTE = {
    "GJ500": "bus GJ500: nearest bus (Gujiao)",
    "TYB500": "bus TYB500: nearest bus",
    "XZ500": "bus XZ500: nearest bus (Xinzhou city)",
    "XZB500": ("bus XZB500: nearest modelled node is NW500 (~16 km) but that is a new RE collector (2026) "
               "and the plant feeds the existing Xinzhou grid; assigned to the Yuanping-area node XZB500 "
               "(~37 km), judgement, low"),
    "HC500": "bus HC500: nearest bus (~16 km; TYB500 ~21 km)",
}


def build_plants(F: Path) -> pd.DataFrame:
    p = pd.read_csv(F / "plants.csv")
    op = p[(p.in_zone == "yes") & (p.status == "operating")]
    rows = []
    coal = op[op.fuel.str.startswith("coal (") | (op.fuel == "coal")]
    for (plant, year), g in coal.groupby(["plant_name_en", "start_year"], sort=False):
        stem, name, carrier, bus, heat, extra = PLANT_MAP[plant]
        year = int(float(year))
        mw = g.value.astype(float)
        eff = float((mw * g.implied_el_efficiency.astype(float)).sum() / mw.sum())
        units = " + ".join(f"{u} {v:g} MW" for u, v in zip(g.unit, mw))
        src = ";".join(x for x in ("S04", extra, "S08") if x)
        rows.append(dict(
            plant_id=f"{stem}_{year}", name=name, name_zh=g.plant_name_zh.iloc[0], bus=bus, carrier=carrier,
            technology=";".join(sorted(set(g.technology))), p_nom_mw=float(mw.sum()), efficiency=round(eff, 3),
            build_year=year, lifetime_years=40, chp=carrier.endswith("CHP"), heat_note=heat,
            y_lat=round(float(g.lat.astype(float).mean()), 5), x_lon=round(float(g.lon.astype(float).mean()), 5),
            source=src, confidence="medium",
            note=(f"GEM GCPT July 2023 (S04) operating units: {units}; fuel '{g.fuel.iloc[0]}'. efficiency = "
                  f"capacity-weighted implied_el_efficiency from GEM heat rates ({', '.join(sorted(set(g.heat_rate_btu_per_kwh.astype(int).astype(str))))} "
                  f"Btu/kWh; GEM class estimates, net electrical, condensing). lifetime 40 a = coal lifetime "
                  f"in S08 (applied also to coal CHP; S08's DEA-based central coal CHP row says 25 a). "
                  f"{BUS_NOTE[bus]}.")))
    # gas CHP (Huaneng Dongshan)
    gas = op[op.fuel == "natural gas"]
    for (plant, year), g in gas.groupby(["plant_name_en", "start_year"], sort=False):
        year = int(float(year))
        mw = g.value.astype(float)
        rows.append(dict(
            plant_id=f"taiyuan_dongshan_gas_{year}", name="Huaneng Taiyuan Dongshan gas CHP",
            name_zh=g.plant_name_zh.iloc[0], bus="HC500", carrier="gas CHP", technology="CCGT",
            p_nom_mw=float(mw.sum()), efficiency=0.57, build_year=year, lifetime_years=25, chp=True,
            heat_note="gas CHP for Taiyuan DH; dedicated gas supply line (S43)",
            y_lat=float(g.lat.iloc[0]), x_lon=float(g.lon.iloc[0]), source="S05;S43;S08", confidence="medium",
            note=(f"GEM GGPT Feb 2023 (S05): {len(g)} x {mw.iloc[0]:g} MW CCGT, CHP flag Y. GEM gives no heat "
                  "rate: efficiency 0.57 = S08 CCGT 2025 electrical efficiency applied to this F-class unit "
                  "(mapping judgement). lifetime 25 a = S08 CCGT/gas CHP. " + BUS_NOTE["HC500"] + ". "
                  "Jiajie gas CHP (860 MW, Xiaodian) is outside the zone and excluded.")))
    # CMM gas engines (Xishan)
    cmm = op[op.fuel == "coal mine methane"].iloc[0]
    zu = pd.read_csv(F / "zone_units.csv")
    gz = zu[zu.region == "古交市 Gujiao"].set_index("item")["value"]
    rows.append(dict(
        plant_id="xishan_cmm_2010", name="Xishan CMM power plants (Duerping, Malan, Tunlan)",
        name_zh=cmm.plant_name_zh, bus="GJ500", carrier="CMM", technology="gas engines",
        p_nom_mw=float(cmm.value), efficiency=0.38, build_year=2010, lifetime_years=20, chp=False,
        heat_note="none known (mine-site use of engine heat possible, not modelled)",
        y_lat=float(gz["seat (town centre) latitude"]), x_lon=float(gz["seat (town centre) longitude"]),
        source="estimate", confidence="low",
        note=("Capacity 45 MW is the fact-base ESTIMATE: ~210 GWh/yr generation (S53) / ~4,700 full-load h. "
              "Three sites (Duerping in Wanbailin; Malan, Tunlan in Gujiao) aggregated at GJ500 (2 of 3 in "
              "Gujiao); coordinates = Gujiao seat (zone_units.csv, low). build_year 2010 = middle of "
              "'2008-2011 (approx.)'. efficiency 0.38 = gas-engine value used in gas.csv (estimate). "
              "lifetime 20 a estimate for gas engines.")))
    df = pd.DataFrame(rows)
    coal_total = df[df.carrier.isin(["coal", "coal CHP"])].p_nom_mw.sum()
    assert coal_total == 7470, coal_total
    df["chp"] = df.chp.map({True: "true", False: "false"})
    order = {"coal CHP": 0, "coal": 1, "gas CHP": 2, "CMM": 3}
    df = df.sort_values(["carrier", "plant_id"], key=lambda s: s.map(order) if s.name == "carrier" else s)
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- renewables
WIND_DENSITY = 3.0  # MW/km2, S10
SOLAR_DENSITY = 5.1 * 0.85  # MW/km2 x correction factor, S10
# county -> bus for existing wind (GEM county assignment)
WIND_COUNTY_BUS = {"Yangqu": "TYB500", "Gujiao": "GJ500", "Dingxiang": "XZ500", "Yuanping": "XZB500",
                   "Fanshi": "XZB500", "Daixian": "XZB500", "Wutai": "XLC500"}
# site spec: bus -> dict(carrier -> (lat, lon, station, eligible_km2, existing_solar_mw, area text))
SITES = {
    ("onwind", "TYB500"): (38.10, 112.85, "taiyuan", 550,
                           "Yangqu eastern/northern hills (2,062 km2); ~27% eligible; Juewei Mountain scenic area "
                           "(164.7 km2, S104) and the Xizhoushan ecological belt (S01) excluded"),
    ("onwind", "GJ500"): (37.95, 111.98, "taiyuan", 400,
                          "Gujiao western ridges (1,541 km2); ~26% eligible; forest and mining subsidence "
                          "screened"),
    ("onwind", "XZ500"): (38.45, 112.55, "yuanping", 750,
                          "Xinfu western hills (Yunzhongshan east flank) and Dingxiang hills (2,847 km2); ~26% "
                          "eligible; Hengshan-Yunzhongshan and Wutaishan-Xizhoushan belts (S01) excluded"),
    ("onwind", "XZB500"): (39.20, 113.10, "datong", 1500,
                           "Hengshan south slopes and Wutaishan north ridges of Fanshi/Daixian plus eastern "
                           "Yuanping (~5,377 km2); ~28% eligible; nature reserves/Wutaishan scenic area and the "
                           "ecological belts excluded. Datong station: ridge winds here resemble the north-"
                           "Shanxi plateau (S75 analogue) more than the Yuanping basin station"),
    ("onwind", "XLC500"): (38.65, 113.40, "yuanping", 600,
                           "Wutai county southern/eastern hills (2,865 km2); only ~21% eligible because the "
                           "Wutaishan scenic area, reserves and the Wutaishan-Xizhoushan belt are excluded"),
    ("onwind", "NW500"): (38.85, 112.40, "yuanping", 400,
                          "western Yuanping hills (Xuangang/Yunzhongshan north, ~1,280 km2 = half of Yuanping); "
                          "~31% eligible; collected at Ningwu 500 kV"),
    ("solar", "TYB500"): (38.02, 112.72, "taiyuan", 480,
                          "Yangqu basin-margin grass/shrub land with slope <=12% (450 km2) plus rooftop PV of "
                          "Jiancaoping/Xinghualing/Wanbailin expressed as ~30 km2 equivalent"),
    ("solar", "HC500"): (37.86, 112.58, "taiyuan", 25,
                         "urban rooftop/distributed PV of Yingze (and east Taiyuan), ~25 km2 equivalent"),
    ("solar", "GJ500"): (37.88, 112.10, "taiyuan", 350,
                         "Gujiao coal-mining subsidence and degraded land (PV + ecological restoration), 350 km2"),
    ("solar", "XZ500"): (38.40, 112.90, "yuanping", 700,
                         "Xinfu/Dingxiang basin margins and loess hills (non-cropland, slope <=12%), 700 km2"),
    ("solar", "XZB500"): (39.05, 113.05, "yuanping", 1300,
                          "Daixian/Fanshi/eastern Yuanping basin margins (non-cropland), 1,300 km2"),
    ("solar", "XLC500"): (38.72, 113.25, "yuanping", 500,
                          "Wutai county basin and low hills outside the Wutaishan scenic area, 500 km2"),
    ("solar", "NW500"): (38.80, 112.45, "yuanping", 350,
                         "western Yuanping gentle slopes / mining land, 350 km2"),
}
# existing solar split of the zone estimate 2,500 MW (renewables.csv, estimate low)
SOLAR_EXISTING = {"TYB500": 400, "HC500": 80, "GJ500": 220, "XZ500": 500, "XZB500": 1000, "XLC500": 300,
                  "NW500": 0}


def build_renewables(F: Path) -> pd.DataFrame:
    r = pd.read_csv(F / "renewables.csv")
    gem = r[r.item.isin(["wind operating (GEM tracker)", "wind construction (GEM tracker)"])
            & r.region.str.contains(r"\(zone\)")].copy()
    gem["value"] = gem.value.astype(float)
    gem["county"] = gem.region.str.split().str[0]
    gem["bus"] = gem.county.map(WIND_COUNTY_BUS)
    assert gem.bus.notna().all()
    zone_op = float(r[r.item.str.startswith("wind operating (GEM tracker, sum")].value.iloc[0])
    assert abs(gem[gem.item.str.startswith("wind operating")].value.sum() - zone_op) < 1e-6
    solar_zone = float(r[(r.region == "Zone (12 units)") & (r.item == "solar PV installed (estimate)")].value.iloc[0])
    assert sum(SOLAR_EXISTING.values()) == solar_zone
    rows = []
    for (carrier, bus), (lat, lon, station, area, text) in SITES.items():
        if carrier == "onwind":
            g = gem[gem.bus == bus]
            existing = float(g.value.sum())
            parts = "; ".join(f"{c} {it.split()[1]} {v:g}" for c, it, v in zip(g.county, g.item, g.value))
            pmax = round(area * WIND_DENSITY)
            ex_note = (f"Existing = GEM GWPT May 2023 (S06) zone-county wind mapped to {bus}: "
                       f"{parts or 'none'} MW (capacity under construction in May 2023 assumed online by "
                       "2025)." if existing else
                       "No existing zone wind mapped here (GEM county capacity of western Yuanping is "
                       "kept at XZB500, connected before Ningwu 500 kV exists).")
            dens = f"{WIND_DENSITY:g} MW/km2 (PyPSA-China-PIK onwind density, S10)"
            flh = 2100
            flh_note = ("FLH target 2,100 h (resource.csv recommendation, estimate low; analogue Yanggao "
                        "design 2,119 h, S75).")
        else:
            existing = float(SOLAR_EXISTING[bus])
            pmax = round(area * SOLAR_DENSITY)
            ex_note = (f"Existing {existing:g} MW = our split of the zone PV estimate 2,500 MW for 2025 "
                       "(renewables.csv, estimate low, +-40%): Taiyuan part 700 MW (mostly rooftop/distributed "
                       "+ Yangqu/Gujiao ground), Xinzhou part 1,800 MW weighted to the northern basins.")
            dens = "5.1 MW/km2 x 0.85 correction = 4.335 MW/km2 (PyPSA-China-PIK solar, S10)"
            flh = 1400
            flh_note = ("FLH target 1,400 h (resource.csv recommendation, estimate low; analogue Datong PV "
                        "base 1,475 h, S33).")
        assert pmax >= existing, (carrier, bus)
        rows.append(dict(
            site_id=f"{carrier}_{bus}", bus=bus, carrier=carrier, p_nom_existing_mw=existing,
            p_nom_max_mw=float(pmax), y_lat=lat, x_lon=lon, weather_station=station,
            full_load_hours_target=flh, source="estimate", confidence="low",
            note=(f"{ex_note} Potential = eligible area {area} km2 (our estimate: {text}) x {dens} = {pmax} MW. "
                  f"Site coordinates = centre of the resource area (estimate). {flh_note}")))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- storage
def build_storage(F: Path) -> pd.DataFrame:
    ps = pd.read_csv(F / "pumped_storage.csv")

    def par(project: str, p: str) -> float:
        return float(ps[(ps.project_pinyin_en == project) & (ps.parameter == p)].value.iloc[0])

    rows = [dict(
        site_id="PHS_Xilongchi_I", bus="XLC500", carrier="PHS",
        p_nom_existing_mw=par("Xilongchi PHS phase I", "installed_capacity"),
        p_nom_max_mw=par("Xilongchi PHS phase I", "installed_capacity"),
        max_hours=par("Xilongchi PHS phase I", "storage_hours"),
        efficiency_round_trip=par("Xilongchi PHS phase I", "round_trip_efficiency"),
        build_year=2008, earliest_year=2008, lifetime_years=50, source="S14;S07", confidence="medium",
        note=("Xilongchi phase I, Wutai: 4 x 300 MW, head 624 m, 1.8 TWh/yr, built 2001-2008 (S14). max_hours 5.5 h "
              "is a fact-base ESTIMATE (low) from ~6.6 GWh storage (reservoir volume in Wikipedia looks like a "
              "unit slip). Round-trip 0.75 = S07/S08 generic PHS. Not extendable (p_nom_max = existing). "
              "lifetime 50 a = fact-base recommendation (S87 50-yr hydro evaluation period; estimate)."))]
    cands = [
        ("PHS_Xilongchi_II", "Xilongchi PHS phase II", "XLC500", "S16",
         "Xilongchi phase II, Wutai, listed among Shanxi PHS projects (S16); at the phase-I site."),
        ("PHS_Daixian_Huangcaoyuan", "Daixian Huangcaoyuan PHS", "XZB500", "S16",
         "Daixian Huangcaoyuan, listed among Shanxi PHS projects (S16); Daixian maps to XZB500."),
        ("PHS_Taiyuan_Gujiao", "Taiyuan (Gujiao) PHS", "GJ500", "S20",
         "Taiyuan (Gujiao) PHS: preparatory group exists (S20); Gujiao maps to GJ500."),
    ]
    for sid, proj, bus, src, text in cands:
        rows.append(dict(
            site_id=sid, bus=bus, carrier="PHS", p_nom_existing_mw=0.0,
            p_nom_max_mw=par(proj, "installed_capacity"), max_hours=par(proj, "storage_hours"),
            efficiency_round_trip=0.75, build_year=None, earliest_year=int(par(proj, "earliest_commissioning")),
            lifetime_years=50, source="estimate", confidence="low",
            note=(f"{text} Existence sourced ({src}); 1,200 MW, 6 h and the earliest commissioning year are "
                  "fact-base ESTIMATES (not stated in sources; ~7-yr build). Round-trip 0.75 (S07/S08). "
                  "Candidate: build_year left empty (set by the investment period). lifetime 50 a estimate.")))
    df = pd.DataFrame(rows)
    df["build_year"] = df.build_year.astype("Int64")
    return df


# --------------------------------------------------------------------------- costs
def build_costs(F: Path) -> pd.DataFrame:
    c = pd.read_csv(F / "costs.csv")

    def fact(tech: str, param: str, year: int, src: str | None = None) -> float:
        h = c[(c.technology == tech) & (c.parameter == param) & (c.year == year)]
        if src:
            h = h[h.source_id == src]
        assert len(h) == 1, (tech, param, year, src, len(h))
        return float(h.value.iloc[0])

    rows = []

    def add(tech, param, year, value, unit, src, conf, note, ov=None, ou=None):
        rows.append(dict(technology=tech, year=year, parameter=param, value=value, unit=unit,
                         original_value=ov, original_unit=ou, source=src, confidence=conf, note=note))

    def eur(tech, param, unit_out, src_tech, src, conf, note, per=1.0, nd=3):
        for y in YEARS:
            v = fact(src_tech, param_src(param), y, src)
            add(tech, param, y, round(v * EUR * per, nd), unit_out, src, conf,
                f"{note} Converted at 7.8 CNY/EUR (fact-base assumption, low); currency year not adjusted.",
                v, eur_unit(src_tech, param, src))

    def param_src(p):
        return {"fom": "FOM", "vom": "VOM"}.get(p, p)

    def eur_unit(src_tech, param, src):
        h = c[(c.technology == src_tech) & (c.parameter == param_src(param)) & (c.source_id == src)]
        return h.unit.iloc[0]

    def same(tech, param, src_tech, src, unit, conf, note, scale=1.0, nd=4):
        for y in YEARS:
            v = fact(src_tech, param_src(param), y, src)
            add(tech, param, y, round(v * scale, nd), unit, src, conf, note)

    def flat(tech, param, value, unit, src, conf, note, ov=None, ou=None):
        for y in YEARS:
            add(tech, param, y, value, unit, src, conf, note, ov, ou)

    REC = "fact-base recommended China value (costs.csv section E)"
    # onwind
    for y, v in zip(YEARS, (4800, 4300, 4100)):
        add("onwind", "investment", y, v, "CNY/kW", "estimate", "low",
            f"{REC}: mountainous Xinzhou/Taiyuan sites; 2024 turbine+install 2.15-2.7 CNY/W (S77) + BOP; "
            "Zhu et al. 4,300 (2030), 3,900 (2040) (S09); 2035 interpolated.")
    flat("onwind", "fom", 2.0, "%/a", "estimate", "low",
         f"{REC} for 2025 (Chinese practice 1.5-2.5%; S07/S08 DEA 1.2% is European); carried forward.")
    eur("onwind", "vom", "CNY/MWh", "onwind", "S08", "medium", "PyPSA-China-PIK onwind VOM (S08), near zero.")
    flat("onwind", "lifetime", 25, "a", "estimate", "low",
         f"{REC} (S07 gives 28.5-30 a; Chinese design life 20-25 a); carried forward.")
    # solar
    for y, v in zip(YEARS, (3000, 2500, 2200)):
        add("solar", "investment", y, v, "CNY/kW", "estimate", "low",
            f"{REC} (solar-utility): 2021 4.15 CNY/W (S78) with module price decline since; Zhu 2,200 / "
            "Li 2,800 (2030) (S09).")
    flat("solar", "fom", 1.5, "%/a", "estimate", "low", f"{REC} (solar-utility, 2025); carried forward.")
    eur("solar", "vom", "CNY/MWh", "solar", "S08", "medium", "PyPSA-China-PIK solar VOM (S08), near zero.")
    flat("solar", "lifetime", 25, "a", "estimate", "low",
         f"{REC} (S07/S08 37.5-40 a; Chinese design life 25 a); carried forward.")
    # OCGT
    flat("OCGT", "investment", 2000, "CNY/kW", "estimate", "low",
         f"{REC} for 2025 (Zhu et al. 'gas' 2,000 CNY/kW flat 2020-2040, S09; PIK 444.6 EUR/kW, S08); "
         "carried forward flat like Zhu et al.")
    same("OCGT", "fom", "OCGT", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    eur("OCGT", "vom", "CNY/MWh", "OCGT", "S08", "medium", "PyPSA-China-PIK OCGT VOM (S08).")
    same("OCGT", "efficiency", "OCGT", "S08", "p.u.", "medium", "PyPSA-China-PIK (S08), electrical.")
    same("OCGT", "lifetime", "OCGT", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # CCGT
    flat("CCGT", "investment", 2800, "CNY/kW", "estimate", "low",
         f"{REC} 'CCGT / gas CHP (F-class)' for 2025 (between Zhu gas 2,000, S09, and DEA 855 EUR/kW, S08); "
         "carried forward flat (S08 shows only -4% to 2035).")
    same("CCGT", "fom", "CCGT", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    eur("CCGT", "vom", "CNY/MWh", "CCGT", "S08", "medium", "PyPSA-China-PIK CCGT VOM (S08).")
    same("CCGT", "efficiency", "CCGT", "S08", "p.u.", "medium", "PyPSA-China-PIK (S08; = S07 DEA), electrical.")
    same("CCGT", "lifetime", "CCGT", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # coal
    for y in YEARS:
        add("coal", "investment", y, 3500, "CNY/kW", "S09", "medium",
            "Zhu et al. (2025) coal 3,500 CNY/kW flat 2020-2040, via PyPSA-China-PIK literature review (S09). "
            "PIK default 505.3 EUR/kW (S08) looks too low, S07 4,812 EUR/kW is European.")
    same("coal", "fom", "coal", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    eur("coal", "vom", "CNY/MWh", "coal", "S08", "medium", "PyPSA-China-PIK coal VOM (S08).")
    same("coal", "efficiency", "coal", "S08", "p.u.", "medium",
         "PyPSA-China-PIK new coal (S08), electrical; existing units use plants.csv efficiencies.")
    same("coal", "lifetime", "coal", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # coal CHP
    flat("coal CHP", "investment", 4000, "CNY/kW", "estimate", "low",
         f"{REC} 'coal CHP (new, ultra-supercritical)' 2025 (Zhu coal 3,500, S09, + CHP extras); carried forward.")
    same("coal CHP", "fom", "central coal CHP", "S08", "%/a", "medium", "PyPSA-China-PIK central coal CHP (S08).")
    eur("coal CHP", "vom", "CNY/MWh", "central coal CHP", "S08", "medium",
        "PyPSA-China-PIK central coal CHP VOM (S08).")
    same("coal CHP", "efficiency", "central coal CHP", "S08", "p.u.", "medium",
         "PyPSA-China-PIK central coal CHP electrical efficiency (S08); heat ratios c_b/c_v are for the "
         "heating module.")
    flat("coal CHP", "lifetime", 40, "a", "estimate", "low",
         "S08 coal lifetime 40 a applied to new coal CHP (S08's DEA central coal CHP row: 25 a, a European "
         "economic life; Chinese CHP units run 30-40 a). Consistent with plants.csv.")
    # gas CHP
    flat("gas CHP", "investment", 2800, "CNY/kW", "estimate", "low",
         f"{REC} 'CCGT / gas CHP (F-class)' 2025; carried forward.")
    same("gas CHP", "fom", "CCGT", "S08", "%/a", "low",
         "S08 CCGT FOM used: new zone gas CHP assumed F-class extraction CCGT (like Dongshan), not DEA "
         "back-pressure 'central gas CHP' (mapping judgement).")
    eur("gas CHP", "vom", "CNY/MWh", "CCGT", "S08", "low", "S08 CCGT VOM (gas CHP = extraction CCGT, judgement).")
    same("gas CHP", "efficiency", "CCGT", "S08", "p.u.", "low",
         "S08 CCGT electrical efficiency in condensing mode (gas CHP = extraction CCGT, judgement; DEA "
         "'central gas CHP' 0.40-0.42 is a small back-pressure unit).")
    same("gas CHP", "lifetime", "CCGT", "S08", "a", "medium", "S08 CCGT/central gas CHP lifetime 25 a.")
    # CMM gas engines
    flat("CMM", "investment", 4000, "CNY/kW", "estimate", "low",
         "Estimate: Chinese CMM gas-engine gensets incl. gas pretreatment/safety systems; no source in the "
         "fact base.")
    flat("CMM", "fom", 3.0, "%/a", "estimate", "low", "Estimate for reciprocating gas-engine plants.")
    flat("CMM", "vom", 40.0, "CNY/MWh", "estimate", "low",
         "Estimate: engine overhauls and lube oil (gas engines carry high VOM).")
    flat("CMM", "efficiency", 0.38, "p.u.", "estimate", "low",
         "Gas-engine electrical efficiency ~38% (fact base gas.csv; estimate); Sihe CC 4.67 kWh/m3 (S55) is an "
         "upper bound.")
    flat("CMM", "lifetime", 20, "a", "estimate", "low", "Estimate for gas engines.")
    # PHS
    flat("PHS", "investment", 6500, "CNY/kW", "S09;S16;S17;S18;S19", "low",
         f"{REC}: power + reservoir for ~6 h, from Shanxi projects 5,949-7,840 CNY/kW (S16-S19, derived) and "
         "Zhu 5,250 (S09); 2025 row rated medium in the facts, 2030/2035 low.")
    same("PHS", "fom", "PHS", "S08", "%/a", "medium", "S07/S08 PHS FOM 1%/a.")
    same("PHS", "efficiency", "PHS", "S08", "p.u.", "medium",
         "ROUND-TRIP efficiency (S07/S08 PHS 0.75); storage_sites.csv carries the per-site value.")
    flat("PHS", "lifetime", 50, "a", "estimate", "low",
         f"{REC}: economic life (S87 50-yr hydro evaluation period; S07 80 a technical).")
    # battery storage (energy part)
    for y, v in zip(YEARS, (650, 480, 400)):
        add("battery storage", "investment", y, v, "CNY/kWh", "estimate", "low",
            f"{REC} (LFP energy part incl. EPC): 2025 system bids 0.42-0.47 CNY/Wh (S79, S80) + EPC/grid "
            "~0.2 CNY/Wh; LBNL 2030 310 CNY/kWh (S09) is a lower bound.")
    same("battery storage", "fom", "Lithium-Ion-LFP-store", "S07", "%/a", "medium",
         "S07 Lithium-Ion-LFP-store FOM.")
    flat("battery storage", "lifetime", 15, "a", "estimate", "low",
         f"{REC} (S07 LFP 16 a); carried forward.")
    # battery inverter
    flat("battery inverter", "investment", 350, "CNY/kW", "estimate", "low",
         f"{REC} 'battery inverter/PCS+grid' 2025 (DEA 215 EUR/kW, S08, is high for China); carried forward "
         "flat (conservative; S08 expects -40% by 2035).")
    same("battery inverter", "fom", "battery inverter", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    flat("battery inverter", "efficiency", round(math.sqrt(0.88), 4), "p.u.", "estimate", "low",
         "ONE-WAY efficiency = sqrt(0.88): fact-base recommended battery AC-AC round-trip 0.88 (estimate) "
         "applied to charging and discharging links alike.")
    same("battery inverter", "lifetime", "battery inverter", "S08", "a", "medium",
         "PyPSA-China-PIK (S08): PCS replaced after 10 a.")
    # AC line
    flat("AC line 500kV", "investment", 2500, "CNY/(MW*km)", "estimate", "low",
         f"{REC}: ~3 M CNY/km per circuit / 1,200 MW usable; PIK 182.97 EUR/(MW*km) (S08) = 1,427 CNY, DEA "
         "750 EUR/(MW*km) (S07) = 5,850 CNY.")
    same("AC line 500kV", "fom", "HVAC overhead", "S08", "%/a", "medium", "PyPSA-China-PIK HVAC overhead (S08).")
    same("AC line 500kV", "lifetime", "HVAC overhead", "S08", "a", "medium", "S07/S08 HVAC lifetime 40 a.")
    # ---- heating and gas (issue #4); heat quantities are MW_th / MWh_th
    # CHP operating region (two-link model): c_b = back-pressure power/heat ratio, c_v = power lost
    # per unit of heat extracted; existing plants carry their own values in chp.csv
    for chp_tech, src_tech in (("coal CHP", "central coal CHP"), ("gas CHP", "central gas CHP")):
        same(chp_tech, "c_b", src_tech, "S08", "p.u.", "medium",
             f"PyPSA-China-PIK {src_tech} c_b (S08, DEA): back-pressure ratio power/heat of a new plant.")
        same(chp_tech, "c_v", src_tech, "S08", "p.u.", "medium",
             f"PyPSA-China-PIK {src_tech} c_v (S08, DEA): electricity lost per unit of heat extracted.")
    # air-source heat pump (large, district scale)
    flat("ASHP", "investment", 3000, "CNY/kW_th", "estimate", "low",
         f"{REC} 'central air-sourced heat pump' 2025 (Chinese equipment cheaper than DEA 951 EUR/kW_th, "
         "S08); carried forward.")
    same("ASHP", "fom", "central air-sourced heat pump", "S08", "%/a", "medium",
         "PyPSA-China-PIK central air-sourced heat pump (S08).")
    eur("ASHP", "vom", "CNY/MWh_th", "central air-sourced heat pump", "S08", "medium",
        "PyPSA-China-PIK central air-sourced heat pump VOM per MWh_th (S08).")
    flat("ASHP", "efficiency", 2.5, "p.u.", "estimate", "low",
         f"{REC}: seasonal COP for Taiyuan winter (-10..+5 C air, 55-70 C supply). Used only as the "
         "rating COP that turns CNY/kW_th into cost per MW_el; dispatch uses the hourly COP profile.")
    same("ASHP", "lifetime", "central air-sourced heat pump", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # ground-source heat pump
    flat("GSHP", "investment", 4500, "CNY/kW_th", "estimate", "low",
         f"{REC} 'central ground-sourced heat pump' incl. boreholes, 2025; carried forward.")
    same("GSHP", "fom", "central ground-sourced heat pump", "S08", "%/a", "medium",
         "PyPSA-China-PIK central ground-sourced heat pump (S08).")
    eur("GSHP", "vom", "CNY/MWh_th", "central ground-sourced heat pump", "S08", "medium",
        "PyPSA-China-PIK central ground-sourced heat pump VOM per MWh_th (S08).")
    flat("GSHP", "efficiency", 3.5, "p.u.", "estimate", "low",
         f"{REC} COP; rating COP for the cost per MW_el only (dispatch uses the hourly COP profile).")
    same("GSHP", "lifetime", "central ground-sourced heat pump", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # electric boiler
    flat("electric boiler", "investment", 500, "CNY/kW_th", "estimate", "low",
         f"{REC} 'electric boiler (central resistive heater)' 2025 (DEA 65-87 EUR/kW_th, S07/S08); carried "
         "forward.")
    same("electric boiler", "fom", "central resistive heater", "S08", "%/a", "medium",
         "PyPSA-China-PIK central resistive heater (S08).")
    eur("electric boiler", "vom", "CNY/MWh_th", "central resistive heater", "S08", "medium",
        "PyPSA-China-PIK central resistive heater VOM (S08).")
    same("electric boiler", "efficiency", "central resistive heater", "S08", "p.u.", "high", "S07/S08 0.99.")
    same("electric boiler", "lifetime", "central resistive heater", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # gas boiler (heat-only, central)
    eur("gas boiler", "investment", "CNY/kW_th", "central gas boiler", "S08", "medium",
        "PyPSA-China-PIK central gas boiler (S08, DEA).")
    same("gas boiler", "fom", "central gas boiler", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    eur("gas boiler", "vom", "CNY/MWh_th", "central gas boiler", "S08", "medium",
        "PyPSA-China-PIK central gas boiler VOM (S08).")
    same("gas boiler", "efficiency", "central gas boiler", "S08", "p.u.", "medium",
         "PyPSA-China-PIK central gas boiler (S08, DEA): heat per fuel on a LHV basis (condensing, >1).")
    same("gas boiler", "lifetime", "central gas boiler", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # existing coal heat-only boilers (no new build; FOM is charged on the existing fleet)
    for y in YEARS:
        v = fact("central coal boiler", "investment", y, "S08")
        add("coal boiler", "investment", y, round(v * USD, 1), "CNY/kW_th", "S08", "medium",
            "PyPSA-China-PIK central coal boiler (S08, IRENA) in USD/kW_th, converted at 7.2 CNY/USD "
            "(fact-base assumption, low). Existing boilers pay only FOM on this.", v, "USD/kW_th")
    same("coal boiler", "fom", "central coal boiler", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    eur("coal boiler", "vom", "CNY/MWh_th", "central coal boiler", "S08", "medium",
        "PyPSA-China-PIK central coal boiler VOM (S08).")
    for y in YEARS:
        add("coal boiler", "efficiency", y, fact("central coal boiler", "hist_efficiency", y, "S08"), "p.u.",
            "S08", "medium", "PyPSA-China-PIK 'hist_efficiency' of brownfield coal boilers (S08, expert guess).")
    same("coal boiler", "lifetime", "central coal boiler", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    # mid-deep geothermal heat (doublets), resource-capped in heat_supply.csv
    flat("geothermal", "investment", 4000, "CNY/kW_th", "estimate", "low",
         f"{REC} 'mid-deep geothermal heat (doublet, direct/HP-assisted)' 2025 (~150-250 CNY/m2 at ~50 W/m2; "
         "DEA 3,680 EUR/kW, S07, not representative); carried forward.")
    same("geothermal", "fom", "central geothermal heat source", "S07", "%/a", "medium",
         "PyPSA technology-data central geothermal heat source (S07, DEA).")
    eur("geothermal", "vom", "CNY/MWh_th", "central geothermal heat source", "S07", "medium",
        "PyPSA technology-data central geothermal heat source VOM (S07, DEA; covers pumping).")
    same("geothermal", "lifetime", "central geothermal heat source", "S07", "a", "medium",
         "PyPSA technology-data (S07).")
    # large hot-water tank (district scale)
    flat("water tank", "investment", 30, "CNY/kWh_th", "estimate", "low",
         f"{REC} 'central water tank storage' 2025 (~3.8 EUR/kWh in S07; 0.56 EUR/kWh in S08 is "
         "pit-scale); carried forward.")
    same("water tank", "fom", "central water tank storage", "S08", "%/a", "medium", "PyPSA-China-PIK (S08).")
    same("water tank", "lifetime", "central water tank storage", "S08", "a", "medium", "PyPSA-China-PIK (S08).")
    flat("water tank", "standing_loss", 0.0077, "%/h", "S07", "high", "S07 (DEA) standing losses.")
    for y in YEARS:
        add("water tank", "max_hours", y, round(fact("central water tank storage", "energy to power ratio", y,
                                                     "S07"), 2),
            "h", "S07", "medium", "S07 (DEA) 'energy to power ratio' of a central water tank.")
    # long-distance heat main (transmission pipeline)
    flat("heat main", "investment", 38000, "CNY/(MW_th*km)", "S41", "medium",
         "Derived in the fact base from the Gujiao-Taiyuan main: 4,995.54 M CNY / (3,488 MW_th x 37.8 km) "
         "(S41; pipeline and pump stations only).")
    flat("heat main", "fom", 1.0, "%/a", "estimate", "low", "Estimate for buried/tunnel DH mains and pumping.")
    flat("heat main", "lifetime", 40, "a", "estimate", "low", "Estimate (DH steel pipe design life 30-50 a).")
    # gas peak-shaving storage (LNG tanks): volume, injection and withdrawal sized separately
    lng = round(20 / GAS_KWH_PER_M3, 4)
    flat("gas storage", "investment", lng, "CNY/kWh_th", "estimate", "low",
         "Fact-base 'LNG peak-shaving storage' 20 CNY per m3 of gas stored (derived from S63/S64 "
         "analogs 18.5-20; small stations up to 40, S65) / 9.9 kWh/m3 LHV. Covers tanks and station.",
         20, "CNY/m3")
    flat("gas storage", "fom", 2.0, "%/a", "estimate", "low", "Estimate for LNG storage stations.")
    flat("gas storage", "lifetime", 30, "a", "estimate", "low", "Estimate (LNG tank design life 30-40 a).")
    for part, what in (("injection", "unloading/filling"), ("withdrawal", "vaporisers and send-out")):
        flat(f"gas storage {part}", "investment", 100, "CNY/kW_th", "estimate", "low",
             f"Estimate: {what} equipment per kW_th beyond the station cost in 'gas storage' (no source).")
        flat(f"gas storage {part}", "fom", 2.0, "%/a", "estimate", "low", "Estimate.")
        flat(f"gas storage {part}", "lifetime", 30, "a", "estimate", "low", "Estimate.")
        flat(f"gas storage {part}", "efficiency", 1.0, "p.u.", "estimate", "low",
             "Boil-off and send-out energy neglected (estimate).")
    df = pd.DataFrame(rows)
    return df


# --------------------------------------------------------------------------- fuels
def build_fuels(F: Path) -> pd.DataFrame:
    fe = pd.read_csv(F / "fuels_emissions.csv")
    co2_coal = float(fe[fe.item == "coal (hard coal) CO2 intensity"].value.iloc[0])
    co2_gas = float(fe[fe.item == "natural gas / CBM CO2 intensity"].value.iloc[0])
    coal = fe[(fe.region == "Zone") & (fe.category == "coal price")
              & ~fe.item.str.contains("standard coal")].set_index("year").value.astype(float)
    gas = fe[(fe.region == "Zone") & (fe.category == "gas price")].set_index("year").value.astype(float)
    cbm = fe[(fe.region == "Zone") & (fe.category == "CBM price")].set_index("year").value.astype(float)
    rows = []
    for y in YEARS:
        ys = str(y)
        v = coal[ys]
        rows.append(dict(fuel="coal", year=y, price_cny_per_mwh_th=round(v / COAL_MWH_PER_T, 2),
                         co2_t_per_mwh_th=co2_coal, original_value=v, original_unit="CNY/t (5,500 kcal/kg)",
                         source="estimate", confidence="low",
                         note=(f"Fact-base recommended delivered price {v:g} CNY/t (QHD 620-700 minus Shanxi "
                               "pit-head discount, S82-S84; estimate, +-20-30%) / 6.396 MWh_th/t (5,500 kcal/kg "
                               "x 4.1868 kJ/kcal). CO2 0.3361 t/MWh_th = S07 hard coal (high).")))
        v = gas[ys]
        rows.append(dict(fuel="gas", year=y, price_cny_per_mwh_th=round(v / GAS_KWH_PER_M3 * 1000, 2),
                         co2_t_per_mwh_th=co2_gas, original_value=v, original_unit="CNY/m3",
                         source="estimate", confidence="low",
                         note=(f"Fact-base recommended city-gate+distribution price {v:g} CNY/m3 (no Taiyuan "
                               "tariff found; estimate) / 9.9 kWh/m3 LHV. CO2 0.198 t/MWh_th = S07 (high).")))
        v = cbm["2025"]
        rows.append(dict(fuel="CBM", year=y, price_cny_per_mwh_th=round(v / GAS_KWH_PER_M3 * 1000, 2),
                         co2_t_per_mwh_th=co2_gas, original_value=v, original_unit="CNY/m3",
                         source="estimate", confidence="low",
                         note=(f"Local coalbed methane (Gujiao CBM via Luocheng station, S56). Fact-base "
                               f"recommendation {v:g} CNY/m3 for 2025 (estimate)"
                               + (", carried forward" if y != 2025 else "")
                               + "; pipeline-quality CBM assumed 9.9 kWh/m3 like natural gas. CO2 0.198 "
                               "t/MWh_th = S07 methane (high).")))
        rows.append(dict(fuel="CMM", year=y, price_cny_per_mwh_th=round(0.3 / GAS_KWH_PER_M3 * 1000, 2),
                         co2_t_per_mwh_th=co2_gas, original_value=0.3, original_unit="CNY/m3 CH4",
                         source="estimate", confidence="low",
                         note=("Coal-mine methane for on-site gas engines: ~0 opportunity cost (facts); 0.3 CNY "
                               "per m3 of CH4 assumed for gathering/treatment (estimate), /9.9 kWh/m3. CO2 0.198 "
                               "t/MWh_th = combustion CO2 of methane (S07); avoided venting (CH4) not credited. "
                               "Availability is limited (Gujiao CMM/CBM utilisation ~200 Mm3/yr, gas.csv "
                               "estimate).")))
    order = {"coal": 0, "gas": 1, "CBM": 2, "CMM": 3}
    df = pd.DataFrame(rows)
    return df.sort_values(["fuel", "year"], key=lambda s: s.map(order) if s.name == "fuel" else s).reset_index(drop=True)


# --------------------------------------------------------------------------- export corridor
def build_export_corridor() -> pd.DataFrame:
    """Candidate corridor options to Xiong'an (XD500); length comes from the chosen start bus."""
    conv_cny_per_mw = round(162364.82 * EUR)  # S08 HVDC inverter pair, EUR/MW
    hvdc_all_in = 17.2e9 / (8000 * 700)  # S34: 17.2 bn CNY, 8 GW, ~700 km
    hvdc_line = round((17.2e9 - 8000 * conv_cny_per_mw) / (8000 * 700))
    rows = [
        dict(option_id="hvdc800", kind="DC", to_bus="XD500", route_factor=ROUTE_FACTOR,
             capex_cny_per_mw_km=hvdc_line, terminal_capex_cny_per_mw=conv_cny_per_mw,
             fom_pct_per_a=2.0, lifetime_years=40, loss_per_1000km=0.03, terminal_loss=0.015,
             unit_mw=2000.0, source="S34;S08", confidence="low",
             note=(f"+-800 kV UHVDC. Mengxi-Jingjinji: 17.2 bn CNY for 8 GW over ~700 km (S34) = "
                   f"{hvdc_all_in:.0f} CNY/(MW*km) all-in (medium). Split into a converter pair of "
                   f"162,365 EUR/MW (S08, PyPSA-China-PIK) x 7.8 CNY/EUR = {conv_cny_per_mw} CNY/MW and "
                   f"the rest as line cost {hvdc_line} CNY/(MW*km). FOM 2 %/a and lifetime 40 a from S08. "
                   "Losses 3 %/1,000 km on the line and 1.5 % for both converter stations: engineering "
                   "estimates (low). Length = haversine(start bus, XD500) x 1.25 route factor. "
                   "Module (unit_mw) 2,000 MW: one of the four valve groups of an 8 GW +-800 kV bipole "
                   "(Mengxi-Jingjinji 8 GW, S34), i.e. the zone contracts quarter shares of such a "
                   "project (the quarter split is our judgement, low).")),
        dict(option_id="uhvac1000", kind="AC", to_bus="XD500", route_factor=ROUTE_FACTOR,
             capex_cny_per_mw_km=1700, terminal_capex_cny_per_mw=600000,
             fom_pct_per_a=2.0, lifetime_years=40, loss_per_1000km=0.04, terminal_loss=0.005,
             unit_mw=5000.0, source="S31;S32", confidence="low",
             note=("1000 kV UHV AC. Line 1,700 CNY/(MW*km) derived in the fact base from Mengxi-Jinzhong "
                   "4.96 bn CNY / 304 km / ~10 GW (S31, low); cf. Datong-Huailai-Tianjin South 23 bn CNY "
                   "/ 770 km (S32, capacity not stated). Terminal transformation 2 x 300 CNY/kVA = "
                   "600,000 CNY/MW (500 kV substation recommendation in the fact base costs, low). FOM "
                   "2 %/a, lifetime 40 a as for HVDC (S08). Losses 4 %/1,000 km + 0.5 % transformation "
                   "(estimate, low). Modelled as a controllable link (an AC corridor to a remote grid "
                   "behaves as a point-to-point transfer here). Module (unit_mw) 5,000 MW: one circuit "
                   "of a 1000 kV double-circuit line, half of Mengxi-Jinzhong's ~10 GW (S31, low).")),
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- boundary
def build_boundary(lines: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for bus in ("JZ1000", "YQ500", "PC500"):
        ln = lines[(lines.bus0 == bus) | (lines.bus1 == bus)]
        cap = float(ln.s_nom_mw.sum())
        names = ", ".join(f"{r.line_id} ({r.s_nom_mw:g} MW, from {r.build_year})" for r in ln.itertuples())
        rows.append(dict(
            bus=bus, import_capacity_mw=cap, export_capacity_mw=cap, import_price_cny_per_mwh=332.0,
            export_price_cny_per_mwh=250.0, import_co2_t_per_mwh=0.7, source="estimate", confidence="low",
            note=(f"Exchange with the rest of Shanxi. Capacity = existing rating of the lines into this bus: "
                  f"{names}; only usable once those lines exist. Import price 332 CNY/MWh = Shanxi coal-fired "
                  "benchmark on-grid tariff (general knowledge, NOT in the fact base; estimate). Export price "
                  "250 CNY/MWh (estimate) kept below the import price so the zone cannot arbitrage. Import CO2 "
                  "0.7 t/MWh = Shanxi 2022 average grid factor '>0.7' (S85), lower bound taken.")))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- heating and gas (#4)
HEAT_LOSS = 0.10  # distribution losses on customer demand (default of the model's HeatConfig)
HEAT_RESERVE = 0.10  # reserve margin on the 2025 design peak used to size existing coal boilers
#: existing CHP -> heat area, and whether the units are ultra-low-emission (ULE) retrofitted
CHP_AREAS = {
    "gujiao_riyue_2011": ("gujiao", False), "gujiao_xingneng_2005": ("gujiao", True),
    "gujiao_xingneng_2011": ("gujiao", True), "gujiao_xingneng_2018": ("gujiao", True),
    "taiyuan2_2006": ("taiyuan_urban", True), "taiyuan2_2007": ("taiyuan_urban", True),
    "taiyuan2_2014": ("taiyuan_urban", True), "tisco_2010": ("taiyuan_urban", True),
    "xishan_cogen_2005": ("taiyuan_urban", False), "xishan_cogen_2008": ("taiyuan_urban", False),
    "xinzhou_guangyu_2007": ("xinzhou_urban", False), "xinzhou_guangyu_2016": ("xinzhou_urban", True),
    "taiyuan_dongshan_gas_2015": ("taiyuan_urban", True),
}
GUJIAO_HEAT_MW = 3488.0  # S41: heat from the Gujiao plant into the main
GUJIAO_MAIN_LOSS_MW = 170.0  # S41
GUJIAO_MAIN_KM = 37.8  # S41


def _chp_params(F: Path) -> dict[str, float]:
    c = pd.read_csv(F / "costs.csv")

    def v(tech: str, param: str) -> float:
        h = c[(c.technology == tech) & (c.parameter == param) & (c.year == 2025) & (c.source_id == "S08")]
        return float(h.value.iloc[0])

    return {"coal": (v("central coal CHP", "c_b"), v("central coal CHP", "c_v")),
            "gas": (v("central gas CHP", "c_b"), v("central gas CHP", "c_v"))}


def build_chp(F: Path, plants: pd.DataFrame) -> pd.DataFrame:
    """Operating region (c_b, c_v) of each existing CHP plant and its heat area."""
    par = _chp_params(F)
    p = plants.set_index("plant_id")
    gujiao = [k for k in CHP_AREAS if k.startswith("gujiao_xingneng")]
    p_gujiao = float(p.loc[gujiao, "p_nom_mw"].sum())
    rows = []
    for pid, (area, ule) in CHP_AREAS.items():
        fuel = "gas" if p.at[pid, "carrier"] == "gas CHP" else "coal"
        c_b, c_v = par[fuel]
        ule_note = ("ultra_low_emission = true: unit class >= 300 MW assumed ULE-retrofitted under the Shanxi "
                    "programme (estimate, not in the fact base)" if ule and fuel == "coal" else
                    "ultra_low_emission = false: small unit, not assumed ULE (estimate)" if fuel == "coal" else
                    "gas-fired (counts as clean under both definitions)")
        if pid in gujiao:
            c_b = round(p_gujiao / GUJIAO_HEAT_MW - c_v, 4)
            rows.append(dict(
                plant_id=pid, area_id=area, c_b=c_b, c_v=c_v, heat_max_mw_th=None, ultra_low_emission=ule,
                source="S41;S08", confidence="low",
                note=(f"c_v {c_v} = S08 central coal CHP. c_b calibrated so that the whole Xingneng plant "
                      f"({p_gujiao:g} MW_el) reaches the S41 heat output of {GUJIAO_HEAT_MW:g} MW_th at the "
                      f"corner of its region: c_b = {p_gujiao:g}/{GUJIAO_HEAT_MW:g} - c_v (incl. 1,693 MW_th "
                      f"exhaust-steam heat, S41). Heat goes to the Gujiao heat bus and on through the heat "
                      f"main. {ule_note}.")))
            continue
        rows.append(dict(
            plant_id=pid, area_id=area, c_b=c_b, c_v=c_v, heat_max_mw_th=None, ultra_low_emission=ule,
            source="S08", confidence="low",
            note=(f"c_b {c_b}, c_v {c_v} = S08 central {fuel} CHP 2025 (DEA). Max heat at the region corner "
                  f"P/(c_b + c_v) = {p.at[pid, 'p_nom_mw'] / (c_b + c_v):.0f} MW_th. Cross-checks: S98 2x300 MW "
                  "-> 10.6 Mm2 (~530 MW_th at 50 W/m2, ratio 0.88); S46 Guangyu phase II 700 MW -> 12.8 Mm2 "
                  f"(640 MW_th, ratio 0.91); model ratio 1/(c_b + c_v) = {1 / (c_b + c_v):.2f}. Area: "
                  f"{p.at[pid, 'heat_note']}. {ule_note}.")))
    return pd.DataFrame(rows)


def build_heat_supply(plants: pd.DataFrame, chp: pd.DataFrame) -> pd.DataFrame:
    """Existing and candidate heat supply per area and milestone year."""
    areas = pd.read_csv(HERE / "heat_areas.csv")
    p = plants.set_index("plant_id")
    chp_heat = (p.loc[chp.plant_id, "p_nom_mw"].to_numpy() / (chp.c_b + chp.c_v)).groupby(chp.area_id).sum()
    main_mw = GUJIAO_HEAT_MW - GUJIAO_MAIN_LOSS_MW
    # existing gas boilers: S41 terminal gas peak-load 752 MW_th + zone share (143.6/240) of S43 gas
    # communities (229 of 304 communities of 21.84 Mm2) x 50 W/m2
    gas_ty = 752 + (143.58 / 240) * (229 / 304) * 21.84 * 50
    geo_ty = 7.0 * 50 * 0.7  # S97: 7 Mm2 via energy islands, ~70 % geothermal, 50 W/m2 (S44)
    existing = {"taiyuan_urban": {"gas boiler": round(gas_ty, -1), "geothermal": round(geo_ty, -1)},
                "xinzhou_urban": {"gas boiler": 100.0}}
    # geothermal caps (total incl. existing): ~1,000 MW_th usable by 2035 (resource.csv, low), split
    # by the S90 priority sites; 2030 about half-way
    geo_cap = {2025: {"taiyuan_urban": round(geo_ty, -1)},
               2030: {"taiyuan_urban": 400, "xinzhou_urban": 125, "yuanping": 50, "county_towns": 50},
               2035: {"taiyuan_urban": 550, "xinzhou_urban": 250, "yuanping": 100, "county_towns": 100}}
    rows = []
    for area in areas.area_id.unique():
        a25 = areas[(areas.area_id == area) & (areas.year == 2025)].iloc[0]
        peak = a25.floor_area_mm2 * a25.design_load_w_per_m2 * (1 + HEAT_LOSS) * (1 + HEAT_RESERVE)
        other = chp_heat.get(area, 0.0) + sum(existing.get(area, {}).values())
        if area == "taiyuan_urban":
            other += main_mw
        if area == "gujiao":
            other -= chp_heat.get(area, 0.0)
            other += float(chp[chp.plant_id == "gujiao_riyue_2011"].pipe(
                lambda d: p.at["gujiao_riyue_2011", "p_nom_mw"] / (d.c_b + d.c_v)).iloc[0])
        coal = max(0.0, math.ceil((peak - other) / 10.0) * 10.0)
        coal_note = (f"Existing coal heat-only boilers, ESTIMATE by residual: 2025 design peak "
                     f"{a25.floor_area_mm2:g} Mm2 x {a25.design_load_w_per_m2:g} W/m2 x (1 + {HEAT_LOSS:g} losses) x "
                     f"(1 + {HEAT_RESERVE:g} reserve) = {peak:.0f} MW_th minus other existing supply "
                     f"{other:.0f} MW_th (CHP at its region corner, gas boilers, geothermal"
                     + (", Gujiao main 3,318 MW_th delivered (S41)" if area == "taiyuan_urban" else "")
                     + (", Gujiao Xingneng heat counted for the main, only Riyue locally" if area == "gujiao" else "")
                     + "); S43 names 6 heat-only plants in Taiyuan, S46 >500 small boilers replaced in Xinzhou.")
        for y in (2025, 2030, 2035):
            rows.append(dict(area_id=area, technology="coal boiler", year=y, p_nom_existing_mw_th=coal,
                             p_nom_max_mw_th=coal, source="estimate", confidence="low", note=coal_note))
            gb = existing.get(area, {}).get("gas boiler", 0.0)
            gb_note = ("Existing: S41 Gujiao-main terminal gas peak-load 752 MW_th + zone share 143.6/240 of "
                       "the S43 gas-heated communities (229 of 304 communities, 21.84 Mm2) x 50 W/m2 (S44); "
                       "new gas boilers unlimited" if area == "taiyuan_urban" else
                       "Existing 100 MW_th: estimate (no data); new gas boilers unlimited" if gb else
                       "No existing gas boilers known (estimate); new gas boilers unlimited")
            rows.append(dict(area_id=area, technology="gas boiler", year=y, p_nom_existing_mw_th=gb,
                             p_nom_max_mw_th=None, source="S41;S43" if area == "taiyuan_urban" else "estimate",
                             confidence="low", note=gb_note))
            for tech, what in (("ASHP", "air-source heat pumps"), ("GSHP", "ground-source heat pumps"),
                               ("electric boiler", "electric boilers"), ("water tank", "hot-water tanks")):
                rows.append(dict(area_id=area, technology=tech, year=y, p_nom_existing_mw_th=0.0,
                                 p_nom_max_mw_th=None, source="estimate", confidence="low",
                                 note=f"Candidate {what}, no existing district-scale units assumed, no cap."))
            cap = geo_cap[y].get(area)
            if cap is not None:
                ex = existing.get(area, {}).get("geothermal", 0.0)
                rows.append(dict(area_id=area, technology="geothermal", year=y, p_nom_existing_mw_th=ex,
                                 p_nom_max_mw_th=float(cap), source="S97;S90" if ex else "S90",
                                 confidence="low",
                                 note=("Mid-deep geothermal. Existing: S97 7 Mm2 of energy islands x ~70 % "
                                       "geothermal x 50 W/m2. " if ex else "Mid-deep geothermal. ")
                                 + "Cap (incl. existing): zone ~1,000 MW_th usable by 2035 (resource.csv "
                                 "estimate, low) split by the S90 priority sites (Taiyuan core; Qicun/Duncun/"
                                 "Hesuo in Xinfu; Daying in Yuanping; Fenghuangshan in Dingxiang), 2030 about "
                                 "half-way; the split is our estimate."))
            if area in ("taiyuan_urban", "xinzhou_urban"):
                rows.append(dict(area_id=area, technology="gas CHP", year=y, p_nom_existing_mw_th=0.0,
                                 p_nom_max_mw_th=None, source="S43;S99", confidence="low",
                                 note=("Candidate new extraction gas CHP (F-class CCGT) serving this area; "
                                       "S43/S99 name gas peak plants and a SE Taiyuan gas CHP for 10 Mm2. Sized "
                                       "by the model in MW_el; costs and c_b/c_v from costs.csv.")))
    return pd.DataFrame(rows)


def build_heat_links() -> pd.DataFrame:
    loss = round(GUJIAO_MAIN_LOSS_MW / GUJIAO_HEAT_MW * 100 / GUJIAO_MAIN_KM, 4)
    return pd.DataFrame([
        dict(link_id="HM_GJ_TY", bus0="gujiao", bus1="taiyuan_urban", length_km=GUJIAO_MAIN_KM,
             p_nom_mw_th=GUJIAO_HEAT_MW, p_nom_max_mw_th=GUJIAO_HEAT_MW, loss_pct_per_km=loss,
             build_year=2016, source="S41;S100", confidence="high",
             note=(f"Gujiao Xingneng-Taiyuan long-distance heat main, 4 x DN1400, 37.8 km (S41): "
                   f"{GUJIAO_HEAT_MW:g} MW_th sent, {GUJIAO_MAIN_LOSS_MW:g} MW_th losses -> "
                   f"{loss} %/km. In service c.2016 (S41/S100). Not extendable.")),
        dict(link_id="HM_YQ_TY", bus0="county_towns", bus1="taiyuan_urban", length_km=23.0,
             p_nom_mw_th=0.0, p_nom_max_mw_th=2000.0, loss_pct_per_km=loss, build_year=2030,
             source="estimate", confidence="low",
             note=("Candidate: S43 plans a large Yangqu heat plant with long-distance lines to Taiyuan's "
                   "North Middle Ring and Dayu. Yangqu sits in the county_towns area. Length = haversine "
                   "Yangqu seat (counties.csv) - north Taiyuan ~18.5 km x 1.25 route factor (estimate); "
                   "max 2,000 MW_th (estimate); losses per km as the Gujiao main (S41); cost 38,000 "
                   "CNY/(MW_th*km) ('heat main' in costs.csv, S41). Earliest 2030 (estimate).")),
    ])


def build_gas(plants: pd.DataFrame) -> pd.DataFrame:
    mw = GAS_KWH_PER_M3 / 24 * 1e6 / 1e3  # 1 Mm3/day -> MW_th
    cmm = 55.0  # gas.csv: CMM consumed for power (estimate) - the CMM engines have their own fuel
    engines = plants[plants.carrier == "CMM"]
    rows = []

    def add(param, year, value, unit, src, conf, note):
        rows.append(dict(parameter=param, year=year, value=value, unit=unit, source=src,
                         confidence=conf, note=note))

    for y, util in ((2025, 200.0), (2030, 350.0), (2035, 500.0)):
        add("cbm_cap", y, util, "Mm3/a", "estimate", "low",
            f"Gujiao CBM + CMM utilisation {util:g} Mm3/a (gas.csv: 200 in 2025, plan 500 in 2035, both "
            "estimates; 2030 interpolated). The model deducts cmm_engine_use while the Xishan CMM engines "
            "run; the rest reaches the gas grid.")
        add("cmm_engine_use", y, cmm, "Mm3/a", "estimate", "low",
            "CMM burnt in the Xishan engines (gas.csv: 210 GWh/a (S53) / ~3.8 kWh per m3, estimate). "
            "Deducted from cbm_cap only in years when the engines (carrier CMM in plants.csv: built "
            "2010, 20 a) are in service, i.e. not from 2030 on: retired by age, their CMM can go to the grid.")
        running = ((engines.build_year <= y) & (engines.build_year + engines.lifetime_years > y)).any()
        grid = util - cmm if running else util  # what reaches the grid (sizes the 2035 delivery)
        flow = 495.0 if y < 2035 else round(1.5 * grid * 1e6 * GAS_KWH_PER_M3 / 1e3 / 8760, -1)
        add("cbm_max_flow", y, flow, "MW_th", "S56" if y < 2035 else "estimate", "high" if y < 2035 else "low",
            "Luocheng regulator station 50,000 m3/h (S56) x 9.9 kWh/m3" if y < 2035 else
            "Estimate: delivery capacity expanded to 1.5 x the average flow of the 2035 CBM cap.")
        add("import_capacity", y, round(8.0 * mw, -1), "MW_th", "estimate", "low",
            "Pipeline import capacity into the zone: 8 Mm3/day = zone share (~60 %) of the Taiyuan winter "
            "peak day 13 Mm3/day (gas.csv estimate) x 9.9 kWh/m3 / 24 h. No pipeline capacity data found.")
        add("storage_existing", y, 25.0, "Mm3", "estimate", "low",
            "Existing LNG/CNG peak-shaving storage ~25 Mm3 gas-equivalent (gas.csv estimate: ~40,000 m3 LNG).")
        add("withdrawal_existing", y, round(2.5 * mw, -1), "MW_th", "estimate", "low",
            "Estimate: existing storage empties in ~10 days (2.5 Mm3/day).")
        add("injection_existing", y, round(25.0 / 30 * mw, -1), "MW_th", "estimate", "low",
            "Estimate: existing storage refills in ~30 days (trucked LNG).")
        add("other_demand", y, 1000.0, "Mm3/a", "estimate", "low",
            "Non-modelled gas use in the zone (residential, commercial, industry): Taiyuan ~2.5 bcm/a (gas.csv "
            "estimate) minus gas CHP (~0.7) and DH gas boilers (~0.3), x ~0.6 zone share, + ~0.1 Xinzhou; "
            "held flat (estimate).")
        add("other_demand_peak_day_ratio", y, 1.9, "p.u.", "estimate", "low",
            "Peak-day / average-day gas demand ~1.9 (gas.csv: Taiyuan winter peak day 13 Mm3/day vs 2.5 bcm/a).")
    return pd.DataFrame(rows)


def main() -> None:
    F = facts_dir()
    if not (F / "sources.md").exists():
        sys.exit(f"fact base not found at {F}")
    buses = build_buses(F)
    lines = build_lines(buses)
    write(buses, "buses.csv")
    write(lines, "lines.csv")
    write(build_counties(F), "counties.csv")
    write(build_demand(F), "demand.csv")
    write(build_plants(F), "plants.csv")
    write(build_renewables(F), "renewable_sites.csv")
    write(build_storage(F), "storage_sites.csv")
    write(build_costs(F), "costs.csv")
    write(build_fuels(F), "fuels.csv")
    write(build_boundary(lines), "boundary.csv")
    write(build_export_corridor(), "export_corridor.csv")
    plants = pd.read_csv(HERE / "plants.csv")
    chp = build_chp(F, plants)
    write(chp, "chp.csv")
    write(build_heat_supply(plants, chp), "heat_supply.csv")
    write(build_heat_links(), "heat_links.csv")
    write(build_gas(plants), "gas.csv")


if __name__ == "__main__":
    main()
