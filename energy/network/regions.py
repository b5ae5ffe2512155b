"""Where things are: the ``location`` of buses, and which components are the zone's.

Every bus carries PyPSA's standard ``location`` attribute (the contract between modules):

- ``"zone"``: everything of the zone (500 kV buses, heat, gas, fuel and battery buses);
- a neighbour region id (``neighbour_regions.csv``, e.g. ``"SXN"``): the rest of Shanxi, its
  region buses, fuel buses and the boundary buses that connect the zone to it;
- ``"xiongan"``: the export corridor's receiving end.

Zone KPIs (capacity, generation, CO2, cost) are taken over the zone's *accounts*: components
at a zone bus, branches with an end in the zone (the lines to the boundary, the corridor), the
Xiong'an offtake (the zone's sale) and, with ``boundary.mode = flat_price``, the import/export
generators that stand for the rest of Shanxi. Everything else is the neighbour's.
"""

from __future__ import annotations

import pandas as pd
import pypsa

ZONE = "zone"
XIONGAN = "xiongan"
#: locations whose components are the zone's accounts
ZONE_ACCOUNTS = (ZONE, XIONGAN)
#: carriers of the flat-price trade generators (boundary.csv): the zone's trade, although they
#: sit at boundary buses
FLAT_TRADE = ("import", "export")
ONE_PORT = ("Generator", "Load", "StorageUnit", "Store", "ShuntImpedance")
BRANCHES = ("Line", "Link", "Transformer")


def _locations(n: pypsa.Network) -> pd.Series:
    if "location" not in n.buses.columns:
        return pd.Series("", index=n.buses.index, dtype=object)
    return n.buses.location.fillna("").astype(str)


def has_locations(n: pypsa.Network) -> bool:
    """Whether any bus of the network carries a location."""
    return bool((_locations(n) != "").any())


def zone_buses(n: pypsa.Network) -> pd.Index:
    """Names of the zone's buses (``location == "zone"``).

    When no bus has a location (a network built before locations existed), every bus that is
    not the export corridor's receiving end (the bus of an ``export xiongan`` offtake).
    """
    loc = _locations(n)
    if (loc != "").any():
        return n.buses.index[loc == ZONE]
    offtake = n.generators.bus[n.generators.carrier == "export xiongan"]
    return n.buses.index.difference(pd.Index(offtake.unique()))


def neighbour_regions(n: pypsa.Network) -> list[str]:
    """Region ids of the rest of Shanxi present in the network (sorted)."""
    loc = _locations(n)
    return sorted(set(loc[(loc != "") & ~loc.isin(ZONE_ACCOUNTS)]))


def bus_location(n: pypsa.Network, buses: pd.Series) -> pd.Series:
    """Location of each bus named in ``buses`` (same index); ``""`` when unknown."""
    loc = _locations(n)
    return buses.map(loc).fillna("")


def zone_accounts(n: pypsa.Network, c: str, static: pd.DataFrame | None = None) -> pd.Series:
    """Whether each component of class ``c`` belongs to the zone's accounts (bool Series).

    One-port components: their bus is in the zone or at Xiong'an, or (flat price) they are
    an import/export generator. Branches: either end in the zone. Without locations, all.
    """
    static = n.components[c].static if static is None else static
    if not has_locations(n):
        return pd.Series(True, index=static.index)
    if c in BRANCHES:
        ends = [bus_location(n, static[col]).isin(ZONE_ACCOUNTS)
                for col in static.columns if col.startswith("bus") and col[3:].isdigit()]
        mask = ends[0]
        for end in ends[1:]:
            mask = mask | end
        return mask
    mask = bus_location(n, static.bus).isin(ZONE_ACCOUNTS)
    if c == "Generator":
        mask = mask | static.carrier.isin(FLAT_TRADE)
    return mask


def neighbour_accounts(n: pypsa.Network, c: str) -> pd.Series:
    """Whether each component of class ``c`` is the rest of Shanxi's (bool Series)."""
    return ~zone_accounts(n, c)


def cross_border_lines(n: pypsa.Network) -> pd.Series:
    """Lines between the zone and the rest of Shanxi: +1 if bus0 is the zone's end, −1 if bus1.

    Flow into the zone over line ``l`` is ``−sign × p0`` (``p0`` is the flow out of bus0).
    """
    if not has_locations(n) or n.lines.empty:
        return pd.Series(dtype=float)
    loc0 = bus_location(n, n.lines.bus0)
    loc1 = bus_location(n, n.lines.bus1)
    neighbour = set(neighbour_regions(n))
    out = pd.Series(0.0, index=n.lines.index)
    out[(loc0 == ZONE) & loc1.isin(neighbour)] = 1.0
    out[(loc1 == ZONE) & loc0.isin(neighbour)] = -1.0
    return out[out != 0]


def flat_trade(n: pypsa.Network) -> pd.Index:
    """The flat-price import/export generators (``boundary.mode = flat_price``)."""
    return n.generators.index[n.generators.carrier.isin(FLAT_TRADE)]


def trade_lines(n: pypsa.Network) -> pd.Series:
    """Cross-border lines that carry the trade with a *modelled* neighbour.

    Sign as :func:`cross_border_lines`; empty in flat-price mode, where the trade generators
    at the boundary buses are the counterparty.
    """
    if len(flat_trade(n)):
        return pd.Series(dtype=float)
    return cross_border_lines(n)


def fill_zone_locations(n: pypsa.Network) -> None:
    """Give every bus without a location the zone's (the zone's sector modules add them)."""
    if "location" not in n.buses.columns:
        n.buses["location"] = ""
    empty = n.buses.location.fillna("").astype(str) == ""
    n.buses.loc[empty, "location"] = ZONE
