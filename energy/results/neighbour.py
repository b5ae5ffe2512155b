"""The rest of Shanxi in the results: exchange with the zone, its balance, boundary prices.

Computed from the solved network alone. Flows into the zone are taken on the lines between a
zone bus and a boundary bus (:func:`energy.network.regions.cross_border_lines`); the zone
buys and sells at the marginal price of the line's neighbour end, so congestion rent on
those lines stays with the zone. Energies are annual (weighted by
``snapshot_weightings.generators``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.carriers import renewable_carriers, shedding_carrier
from energy.network.export import CORRIDOR
from energy.network.neighbour import LINK_CARRIER, OUTBOUND
from energy.network.regions import neighbour_regions, trade_lines, zone_accounts

#: price below which an hour counts as a surplus hour (renewables at the margin) [CNY/MWh]
SURPLUS_PRICE = 1.0


def _weights(n: pypsa.Network) -> pd.Series:
    return n.snapshot_weightings.generators


def zone_inflow(n: pypsa.Network) -> pd.DataFrame:
    """Flow into the zone on each line to the rest of Shanxi, per snapshot [MW] (+ = import)."""
    sign = trade_lines(n)
    if sign.empty:
        return pd.DataFrame(index=n.snapshots)
    return -n.lines_t.p0[sign.index].mul(sign, axis=1)


def neighbour_end(n: pypsa.Network) -> pd.Series:
    """The neighbour-side bus of each cross-border line."""
    sign = trade_lines(n)
    lines = n.lines.loc[sign.index]
    return lines.bus1.where(sign > 0, lines.bus0)


def exchange(n: pypsa.Network) -> dict[str, float]:
    """Zone's imports, exports (netted per snapshot) and trade value with the rest of Shanxi.

    Returns
    -------
    dict
        ``imports_mwh``, ``exports_mwh`` [MWh/a]; ``import_cost_cny``, ``export_revenue_cny``
        [CNY/a] at the neighbour-end prices (per line and snapshot); ``corridor_sent_mwh``
        (to Xiong'an) [MWh/a].
    """
    w = _weights(n)
    inflow = zone_inflow(n)
    out = {"imports_mwh": 0.0, "exports_mwh": 0.0, "import_cost_cny": 0.0,
           "export_revenue_cny": 0.0}
    if not inflow.empty:
        net = inflow.sum(axis=1)
        out["imports_mwh"] = float((net.clip(lower=0) * w).sum())
        out["exports_mwh"] = float((-net.clip(upper=0) * w).sum())
        price = n.buses_t.marginal_price[neighbour_end(n)].set_axis(inflow.columns, axis=1)
        value = (inflow * price).mul(w, axis=0)
        out["import_cost_cny"] = float(value.where(inflow > 0, 0.0).sum().sum())
        out["export_revenue_cny"] = float(-value.where(inflow < 0, 0.0).sum().sum())
    corridors = n.links.index[n.links.carrier == CORRIDOR]
    out["corridor_sent_mwh"] = float(n.links_t.p0[corridors].sum(axis=1).mul(w).sum()) \
        if len(corridors) else 0.0
    return out


def trade_cost_rows(n: pypsa.Network) -> pd.DataFrame:
    """Cost-table rows of the zone's trade with the rest of Shanxi [CNY/a] (opex)."""
    x = exchange(n)
    rows = [("Line", "import", "opex", x["import_cost_cny"]),
            ("Line", "export", "opex", -x["export_revenue_cny"])]
    frame = pd.DataFrame(rows, columns=["component", "carrier", "cost_type", "value_cny_per_a"])
    return frame[frame.value_cny_per_a.abs() > 0]


def trade_balance_rows(n: pypsa.Network) -> pd.DataFrame:
    """Energy-balance rows of the zone's trade with the rest of Shanxi [MWh/a]."""
    x = exchange(n)
    rows = [("Line", "import", "AC", x["imports_mwh"]), ("Line", "export", "AC",
                                                          -x["exports_mwh"])]
    frame = pd.DataFrame(rows, columns=["component", "carrier", "bus_carrier",
                                        "value_mwh_per_a"])
    return frame[frame.value_mwh_per_a.abs() > 0]


def neighbour_balance_table(n: pypsa.Network) -> pd.DataFrame:
    """Annual energy balance of each neighbour region by component, carrier and bus carrier.

    Returns
    -------
    pandas.DataFrame
        Columns ``location``, ``component``, ``carrier``, ``bus_carrier``, ``value_mwh_per_a``
        (+ supply, − withdrawal) [MWh/a]; empty without a modelled neighbour. Lines appear at
        the boundary buses with the flow from/to the zone.
    """
    columns = ["location", "component", "carrier", "bus_carrier", "value_mwh_per_a"]
    regions = neighbour_regions(n)
    if not regions:
        return pd.DataFrame(columns=columns)
    eb = n.statistics.energy_balance(groupby=["location", "carrier", "bus_carrier"],
                                     nice_names=False)
    frame = eb.rename("value_mwh_per_a").reset_index()
    frame = frame[frame.location.isin(regions)][columns]
    return frame[frame.value_mwh_per_a.abs() > 1e-6].reset_index(drop=True)


def boundary_prices_table(n: pypsa.Network) -> pd.DataFrame:
    """Marginal price at each neighbour AC bus (regions and boundary buses) per snapshot.

    Returns
    -------
    pandas.DataFrame
        Columns ``snapshot``, ``weight_h`` [h], ``bus``, ``location``, ``price_cny_per_mwh``
        [CNY/MWh]; empty without a modelled neighbour.
    """
    columns = ["snapshot", "weight_h", "bus", "location", "price_cny_per_mwh"]
    regions = neighbour_regions(n)
    buses = n.buses.index[(n.buses.carrier == "AC") & n.buses.location.isin(regions)]
    if buses.empty or n.buses_t.marginal_price.empty:
        return pd.DataFrame(columns=columns)
    price = n.buses_t.marginal_price[buses]
    frame = price.rename_axis(index="snapshot", columns="bus").stack()
    frame = frame.rename("price_cny_per_mwh").reset_index()
    weights = n.snapshot_weightings.objective
    frame["weight_h"] = frame.snapshot.map(weights).to_numpy()
    frame["location"] = frame.bus.map(n.buses.location)
    return frame[columns]


def price_stats(price: pd.Series, weight: pd.Series) -> dict[str, float]:
    """Weighted statistics of a price series [CNY/MWh] (weights = hours)."""
    w = weight.to_numpy(dtype=float)
    p = price.to_numpy(dtype=float)
    order = np.argsort(p)
    cum = np.cumsum(w[order]) / w.sum()

    def pct(q: float) -> float:
        return float(p[order][min(np.searchsorted(cum, q), len(p) - 1)])

    mean = float(np.average(p, weights=w))
    return {"mean": round(mean, 2), "std": round(float(np.sqrt(np.average((p - mean) ** 2,
                                                                           weights=w))), 2),
            "min": round(float(p.min()), 2), "p10": round(pct(0.10), 2),
            "median": round(pct(0.5), 2), "p90": round(pct(0.90), 2),
            "max": round(float(p.max()), 2),
            "surplus_hours": round(float(w[p <= SURPLUS_PRICE].sum()), 1)}


def _co2(n: pypsa.Network, mask: pd.Series) -> float:
    g = n.generators[mask]
    intensity = g.carrier.map(n.carriers.co2_emissions).fillna(0.0)
    p = n.generators_t.p[g.index].mul(_weights(n), axis=0).sum()
    return float((p * intensity).sum())


def neighbour_summary(n: pypsa.Network, balance: pd.DataFrame,
                      prices: pd.DataFrame) -> dict[str, Any]:
    """The ``neighbour`` block of ``summary.json``; empty without a modelled neighbour.

    Generation by carrier [TWh/a] (AC supply of plants, storage discharge net of charging as
    ``storage_net``), load and outbound [TWh/a], exchange with the zone [TWh/a], CO2 [t/a] and
    intensity [t/MWh], wind/solar curtailment [p.u.], and boundary price statistics per bus
    [CNY/MWh] (weighted by hours).
    """
    if balance.empty:
        return {}
    ac = balance[balance.bus_carrier == "AC"]
    plants = ac[(ac.component.isin(["Generator", "Link"])) & (ac.value_mwh_per_a > 0)
                & ~ac.carrier.isin([LINK_CARRIER, OUTBOUND, shedding_carrier()])]
    generation = plants.groupby("carrier").value_mwh_per_a.sum() / 1e6
    storage = ac[ac.component == "StorageUnit"].value_mwh_per_a.sum() / 1e6
    loads = ac[(ac.component == "Load") & (ac.carrier != OUTBOUND)].value_mwh_per_a.sum()
    outbound = -ac[ac.carrier == OUTBOUND].value_mwh_per_a.sum()
    shed = ac[ac.carrier == shedding_carrier()].value_mwh_per_a.sum()
    x = exchange(n)
    mask = ~zone_accounts(n, "Generator")
    co2 = _co2(n, mask)
    gen_total = float(generation.sum()) * 1e6
    g = n.generators[mask & n.generators.carrier.isin(renewable_carriers())]
    avail = (n.get_switchable_as_dense("Generator", "p_max_pu")[g.index] * g.p_nom_opt)
    w = _weights(n)
    possible = float(avail.mul(w, axis=0).sum().sum())
    used = float(n.generators_t.p[g.index].mul(w, axis=0).sum().sum())
    stats = {}
    if not prices.empty:
        for bus, grp in prices.groupby("bus"):
            stats[str(bus)] = price_stats(grp.price_cny_per_mwh, grp.weight_h)
    return {
        "regions": neighbour_regions(n),
        "generation_twh": {k: round(float(v), 4) for k, v in generation.items()},
        "generation_total_twh": round(gen_total / 1e6, 4),
        "storage_net_twh": round(float(storage), 4),
        "load_twh": round(float(-loads) / 1e6, 4),
        "outbound_twh": round(float(outbound) / 1e6, 4),
        "unserved_energy_mwh": round(float(shed), 3),
        "exchange_with_zone_twh": {
            "zone_imports": round(x["imports_mwh"] / 1e6, 4),
            "zone_exports": round(x["exports_mwh"] / 1e6, 4),
            "zone_net_imports": round((x["imports_mwh"] - x["exports_mwh"]) / 1e6, 4),
        },
        "zone_trade_cny_per_a": {"import_cost": round(x["import_cost_cny"], 0),
                                 "export_revenue": round(x["export_revenue_cny"], 0)},
        "co2_t": round(co2, 0),
        "co2_intensity_t_per_mwh": round(co2 / gen_total, 4) if gen_total > 0 else None,
        "curtailment_share": round(1.0 - used / possible, 4) if possible > 0 else None,
        "boundary_prices_cny_per_mwh": stats,
    }
