"""Tiny constructed networks for the unit-commitment and operating-reserve tests.

One AC bus with a constant load, a coal plant (fuel link, 1,000 MW fuel, efficiency 0.4,
400 MW_el), solar with a midday peak, and an expensive backup import; optionally a CHP pair
with a heat bus, an OCGT candidate, pumped hydro and a flexibility retrofit candidate. A day
of hours stands for a year (weightings as ``snapshots_limit``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.network.flexibility import COMMITMENT, RETROFIT
from energy.network.time import represent_full_year

COAL_PRICE = 100.0  # CNY/MWh_th
GAS_PRICE = 300.0  # CNY/MWh_th
F_COAL = 1000.0  # MW fuel
ETA = 0.4


def scenario(**sections: dict[str, Any]) -> Scenario:
    """The default scenario with exact (simplex) solves and the given sections overridden."""
    return Scenario.model_validate({"solver": {"preset": "simplex", "fallback": []},
                                    **sections})


def solar_profile(snapshots: pd.DatetimeIndex) -> np.ndarray:
    """Clear-sky-like shape: 0 at night, 1 at noon [p.u.]."""
    hour = snapshots.hour.to_numpy()
    return np.clip(np.sin((hour - 6) / 12 * np.pi), 0.0, None)


def coal_record(link: str = "coal plant", p_min_pu: float = 0.5,
                start_up_cost: float = 2000.0, retrofit: str | None = None,
                p_min_pu_retrofit: float | None = None, heat: str | None = None,
                must_run_heating: float = 0.0, carrier: str = "coal") -> dict[str, Any]:
    """A commitment record as :func:`energy.network.flexibility.add_thermal_flexibility` writes."""
    return {"link": link, "heat": heat, "carrier": carrier, "p_min_pu": p_min_pu,
            "start_up_cost": start_up_cost, "must_run_heating": must_run_heating,
            "retrofit": retrofit, "p_min_pu_retrofit": p_min_pu_retrofit}


def network(start: str = "2035-07-01", hours: int = 24, load_mw: float = 300.0,
            solar_mw: float = 600.0) -> pypsa.Network:
    """The base case: load, coal plant, solar, backup import; no commitment records yet."""
    n = pypsa.Network()
    n.set_snapshots(pd.date_range(start, periods=hours, freq="h", name="snapshot"))
    for carrier in ("AC", "coal", "gas", "solar", "import", "OCGT", "PHS", RETROFIT, "heat",
                    "coal CHP", "coal CHP heat", "heat pump"):
        n.add("Carrier", carrier)
    n.add("Bus", "AC", carrier="AC")
    n.add("Bus", "coal", carrier="coal")
    n.add("Bus", "gas", carrier="gas")
    # fuel markets of fixed size (not candidates: screening would group them with their users)
    n.add("Generator", "coal supply", bus="coal", carrier="coal", p_nom=1e5,
          marginal_cost=COAL_PRICE)
    n.add("Generator", "gas supply", bus="gas", carrier="gas", p_nom=1e5,
          marginal_cost=GAS_PRICE)
    n.add("Generator", "solar", bus="AC", carrier="solar", p_nom=solar_mw,
          p_max_pu=pd.Series(solar_profile(n.snapshots), index=n.snapshots))
    n.add("Generator", "backup", bus="AC", carrier="import", p_nom=5000.0,
          marginal_cost=3000.0)
    n.add("Load", "load", bus="AC", carrier="AC", p_set=load_mw)
    n.add("Link", "coal plant", bus0="coal", bus1="AC", carrier="coal", p_nom=F_COAL,
          efficiency=ETA)
    represent_full_year(n)
    return n


def set_records(n: pypsa.Network, *records: dict[str, Any]) -> None:
    meta = dict(n.meta or {})
    meta[COMMITMENT] = list(records)
    n.meta = meta


def add_retrofit(n: pypsa.Network, plant: str = "coal plant",
                 capital_cost: float = 6000.0) -> str:
    """A retrofit candidate beside ``plant`` [capital cost CNY/MW fuel/a]."""
    name = f"{plant} {RETROFIT}"
    link = n.links.loc[plant]
    n.add("Link", name, bus0=link.bus0, bus1=link.bus1, carrier=RETROFIT,
          efficiency=link.efficiency, p_nom_extendable=True, p_nom_max=link.p_nom,
          p_max_pu=0.0, capital_cost=capital_cost)
    return name


def add_ocgt(n: pypsa.Network, capital_cost: float = 40000.0) -> None:
    """An OCGT candidate (gas -> AC, efficiency 0.35) [capital cost CNY/MW fuel/a]."""
    n.add("Link", "ocgt", bus0="gas", bus1="AC", carrier="OCGT", efficiency=0.35,
          p_nom_extendable=True, capital_cost=capital_cost)


def add_chp(n: pypsa.Network, heat_mw: float = 150.0) -> None:
    """An extraction coal CHP (power + heat link) and a heat bus served also by a heat pump."""
    n.add("Bus", "heat", carrier="heat")
    n.add("Load", "heat load", bus="heat", carrier="heat", p_set=heat_mw)
    n.add("Link", "chp", bus0="coal", bus1="AC", carrier="coal CHP", p_nom=500.0,
          efficiency=ETA)
    c_b, c_v = 0.9, 0.15
    n.add("Link", "chp heat", bus0="coal", bus1="heat", carrier="coal CHP heat",
          p_nom=500.0 * c_v / (c_b + c_v), efficiency=ETA / c_v)
    # a cheap heat source, so the CHP is not needed for heat
    n.add("Link", "heat pump", bus0="AC", bus1="heat", carrier="heat pump", p_nom=1000.0,
          efficiency=3.0)
    meta = dict(n.meta or {})
    meta["chp"] = [{"power": "chp", "heat": "chp heat", "area": "x", "fuel": "coal",
                    "c_b": c_b, "c_v": c_v, "ultra_low_emission": True, "extendable": False}]
    n.meta = meta
