"""Tiny hand-built networks in the model's conventions (carriers, CHP pairing, corridor).

They solve in well under a second, so each policy formulation can be checked against numbers
worked out by hand.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pypsa

from energy.config import Scenario
from energy.network.export import CORRIDOR, OFFTAKE
from energy.optimize.constraints import extra_functionality

HOURS = 24
#: hourly load shape of the tiny zone, peak 1 at hour 18 [p.u.]
SHAPE = 0.7 + 0.3 * np.exp(-(((np.arange(HOURS) - 18) / 3.0) ** 2))
#: wind availability [p.u.]: windier at night
WIND = 0.45 - 0.25 * np.cos(2 * np.pi * (np.arange(HOURS) - 3) / 24)


def scenario(**sections: Any) -> Scenario:
    """A Scenario with some sections overridden, e.g. ``policy={"reserve_margin": 0.15}``."""
    return Scenario.model_validate(sections)


def _base(peak_mw: float) -> pypsa.Network:
    n = pypsa.Network()
    n.set_snapshots(pd.RangeIndex(HOURS, name="snapshot"))
    n.add("Carrier", ["AC", "heat", "coal", "gas", "onwind", "coal CHP", "coal CHP heat",
                      "OCGT", "ASHP", "import", CORRIDOR, OFFTAKE, "load shedding"])
    n.add("Bus", "Z", carrier="AC")
    n.add("Load", "Z load", bus="Z", carrier="AC", p_set=peak_mw * SHAPE)
    for fuel, price in (("coal", 30.0), ("gas", 60.0)):
        n.add("Bus", fuel, carrier=fuel)
        n.add("Generator", f"{fuel} supply", bus=fuel, carrier=fuel, p_nom_extendable=True,
              marginal_cost=price)
    return n


def clean_export_network(export_mwh: float, new_wind_max: float = np.inf) -> pypsa.Network:
    """One zone bus with old and new wind, coal, and a corridor to Xiong'an.

    Old wind 300 MW (existing, no annuity), new wind up to ``new_wind_max`` at 60 CNY/MW per
    day, a coal plant (500 MW_el, 0.4 efficiency), load peaking at 400 MW, and an extendable
    corridor (efficiency 0.95) that must deliver ``export_mwh`` over the day.
    """
    n = _base(400.0)
    n.add("Generator", "wind old", bus="Z", carrier="onwind", p_nom=300.0, p_max_pu=WIND)
    n.add("Generator", "wind new", bus="Z", carrier="onwind", p_nom_extendable=True,
          p_nom_max=new_wind_max, p_max_pu=WIND, capital_cost=60.0)
    n.add("Link", "coal plant", bus0="coal", bus1="Z", carrier="coal", efficiency=0.4,
          p_nom=500.0 / 0.4)
    n.add("Bus", "X", carrier="AC")
    n.add("Link", "corridor", bus0="Z", bus1="X", carrier=CORRIDOR, efficiency=0.95,
          p_nom_extendable=True, capital_cost=1.0)
    n.add("Generator", "delivery", bus="X", carrier=OFFTAKE, p_nom=1000.0, p_max_pu=0.0,
          p_min_pu=-1.0, e_sum_max=-export_mwh)
    return n


def reserve_network(coal_mw: float, heat_peak_mw: float, import_line_mw: float = 0.0,
                    island_import_mw: float = 0.0) -> pypsa.Network:
    """A zone with coal, an extraction CHP feeding a heat bus, a heat pump and candidate OCGT.

    Load peaks at 1,000 MW (hour 18); heat demand peaks at ``heat_peak_mw`` at hour 6 and is
    met by the CHP (c_b 0.5, c_v 0.15, 400 MW_el, efficiency 0.4, at most 615 MW_th) and an
    air-source heat pump (COP 3, up to 300 MW_el).
    A boundary bus ``B`` with 2,000 MW of import sits behind a line of ``import_line_mw``
    (none when 0); a second boundary bus ``C`` has ``island_import_mw`` of import and no line.
    """
    n = _base(1000.0)
    n.add("Link", "coal plant", bus0="coal", bus1="Z", carrier="coal", efficiency=0.4,
          p_nom=coal_mw / 0.4)
    n.add("Link", "OCGT new", bus0="gas", bus1="Z", carrier="OCGT", efficiency=0.35,
          p_nom_extendable=True, capital_cost=20.0)
    n.add("Bus", "H", carrier="heat")
    heat = heat_peak_mw * (0.6 + 0.4 * np.exp(-(((np.arange(HOURS) - 6) / 3.0) ** 2)))
    n.add("Load", "H load", bus="H", carrier="heat", p_set=heat)
    eta, c_b, c_v = 0.4, 0.5, 0.15
    n.add("Link", "chp", bus0="coal", bus1="Z", carrier="coal CHP", efficiency=eta,
          p_nom=400.0 / eta)
    q_max = 400.0 / (c_b + c_v)
    n.add("Link", "chp heat", bus0="coal", bus1="H", carrier="coal CHP heat",
          efficiency=eta / c_v, p_nom=q_max / (eta / c_v))
    n.meta = {"chp": [{"power": "chp", "heat": "chp heat", "area": "H", "fuel": "coal",
                       "c_b": c_b, "c_v": c_v, "ultra_low_emission": False,
                       "extendable": False}]}
    n.add("Link", "heat pump", bus0="Z", bus1="H", carrier="ASHP", efficiency=3.0,
          p_nom=300.0)
    n.add("Generator", "heat shedding", bus="H", carrier="load shedding", p_nom=1e4,
          marginal_cost=1e4)
    n.add("Bus", ["B", "C"], carrier="AC")
    n.add("Generator", ["import B", "import C"], bus=["B", "C"], carrier="import",
          p_nom=[2000.0, island_import_mw], marginal_cost=500.0)
    if import_line_mw > 0:
        n.add("Line", "B-Z", bus0="B", bus1="Z", x=0.1, s_nom=import_line_mw, carrier="AC")
    return n


def optimize(n: pypsa.Network, s: Scenario) -> pypsa.Network:
    """Solve with the model's extra constraints (CHP region, policies) for scenario ``s``."""
    status, condition = n.optimize(solver_name="highs", log_to_console=False,
                                   include_objective_constant=False,
                                   extra_functionality=extra_functionality(s))
    n.meta = {**(n.meta or {}), "status": status, "condition": condition}
    return n
