"""The windowed full-year check (energy.optimize.windows, window_dispatch): small toys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest
import scipy.sparse as sp

from energy.config import Scenario
from energy.optimize import solve_network
from energy.optimize.commitment import NAME as COMMITMENT
from energy.optimize.design_check import check_design, fix_capacities
from energy.optimize.highs import create_model
from energy.optimize.window_dispatch import solve_windows
from energy.optimize.window_rows import classify_rows, tie_to_hours
from energy.optimize.windows import window_starts
from tests.solve_helpers import OBJ_RTOL

HOURS = 672  # four weeks
#: the windowed check's operating cost may exceed the exact LP's by this share of the system
#: cost (capex + exact opex) on the toy; base 2035 seg730 at 24 windows: 0.21 % (benchmarks/)
TOLERANCE = 0.01


def _toy(gas_cap_mwh: float = 60.0 * HOURS) -> pypsa.Network:
    """One bus: daily and weekly load, solar, gas with an energy cap, a peaker, pumped storage,
    a store behind two links, load shedding."""
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=HOURS, freq="h"))
    t = np.arange(HOURS)
    n.add("Carrier", ["AC", "gas", "solar", "load shedding", "PHS", "heat"])
    n.add("Bus", "b", carrier="AC")
    n.add("Bus", "s", carrier="heat")
    n.add("Load", "l", bus="b",
          p_set=100 + 30 * np.sin(2 * np.pi * t / 24) + 20 * np.sin(2 * np.pi * t / 168))
    sun = np.clip(np.sin(2 * np.pi * (t % 24 - 6) / 24), 0, None)
    n.add("Generator", "pv", bus="b", carrier="solar", p_nom_extendable=True,
          p_max_pu=sun * (0.6 + 0.4 * np.cos(2 * np.pi * t / 300)), capital_cost=3000.0)
    n.add("Generator", "gas", bus="b", carrier="gas", p_nom_extendable=True,
          capital_cost=2000.0, marginal_cost=50.0, e_sum_max=gas_cap_mwh)
    n.add("Generator", "peak", bus="b", carrier="gas", p_nom_extendable=True,
          capital_cost=500.0, marginal_cost=150.0, p_nom_min=80.0)  # a margin for the hours
    n.add("StorageUnit", "phs", bus="b", carrier="PHS", p_nom_extendable=True, max_hours=6,
          capital_cost=1000.0, efficiency_store=0.87, efficiency_dispatch=0.87,
          cyclic_state_of_charge=True)
    n.add("Store", "tank", bus="s", carrier="heat", e_nom_extendable=True, capital_cost=5.0,
          e_cyclic=True, standing_loss=0.001)
    n.add("Link", "in", bus0="b", bus1="s", p_nom_extendable=True, capital_cost=100.0,
          efficiency=0.9)
    n.add("Link", "out", bus0="s", bus1="b", p_nom_extendable=True, capital_cost=100.0,
          efficiency=0.9)
    n.add("Generator", "shed", bus="b", carrier="load shedding", p_nom=1e4,
          marginal_cost=20000.0)
    return n


@pytest.fixture(scope="module")
def design() -> pypsa.Network:
    """The toy designed on 3 h averages (224 snapshots)."""
    d = _toy().cluster.temporal.resample("3h")
    solve_network(d, Scenario())
    return d


@pytest.fixture(scope="module")
def exact(design: pypsa.Network) -> pypsa.Network:
    n = _toy()
    fix_capacities(n, design)
    solve_network(n, Scenario())
    return n


def _windows(design: pypsa.Network, count: int, **kwargs) -> tuple[pypsa.Network, dict]:
    n = _toy()
    fix_capacities(n, design)
    create_model(n, Scenario())
    report = solve_windows(n, design, window_starts(HOURS, count), {"solver": "simplex"},
                           **kwargs)
    return n, report.as_dict()


def _shed(n: pypsa.Network) -> float:
    return float(n.generators_t.p["shed"].sum())


def test_one_window_is_the_exact_lp(design: pypsa.Network, exact: pypsa.Network) -> None:
    n, report = _windows(design, 1, chains=1)
    assert report["status"] == "optimal" and report["passes"] == 1
    assert n.objective == pytest.approx(exact.objective, rel=OBJ_RTOL)  # IPM vs simplex


@pytest.mark.parametrize("count", [2, 8])
def test_windows_cost_at_most_a_little_more_than_the_exact_lp(
        design: pypsa.Network, exact: pypsa.Network, count: int) -> None:
    """2 x 2 weeks and 8 x 3.5 days in two chains: operating cost within TOLERANCE of the
    system cost above the exact LP's, never below it beyond solver tolerance (the windows'
    dispatch is one the exact LP could choose), no unserved energy, the annual gas cap kept."""
    assert _shed(exact) < 1.0  # the design serves every hour
    n, report = _windows(design, count)
    assert report["status"] == "optimal" and not report["annual_violation"]
    assert report["storage_deficit_mwh"] <= 1.0
    system_cost = float(design.statistics.capex().sum()) + exact.objective
    assert n.objective >= exact.objective - OBJ_RTOL * system_cost
    assert n.objective <= exact.objective + TOLERANCE * system_cost
    assert _shed(n) < 1.0
    assert n.generators_t.p["gas"].sum() <= n.generators.e_sum_max["gas"] * (1 + 1e-6)


def test_storage_is_continuous_inside_chains(design: pypsa.Network) -> None:
    """Each hour's level follows from the hour before (PyPSA's storage balance), also across
    the window boundaries inside a chain; the cyclic year closes up to the reported gap."""
    n, report = _windows(design, 8)
    su = n.storage_units.loc["phs"]
    soc = n.storage_units_t.state_of_charge["phs"].to_numpy()
    flow = (su.efficiency_store * n.storage_units_t.p_store["phs"].to_numpy()
            - n.storage_units_t.p_dispatch["phs"].to_numpy() / su.efficiency_dispatch)
    before = np.roll(soc, 1)
    gap = soc - before - flow
    junction = HOURS // 2  # where the second chain starts from the design's level
    inside = np.ones(HOURS, dtype=bool)
    inside[[0, junction]] = False
    assert np.abs(gap[inside]).max() < 1e-4
    assert np.abs(gap[~inside]).sum() <= report["storage_deficit_mwh"] \
        + report["storage_surplus_mwh"] + 1e-3


def test_windows_that_cannot_keep_an_annual_cap_send_the_check_to_the_exact_lp(
        design: pypsa.Network, exact: pypsa.Network) -> None:
    """The peaker allowed a third of the energy the hours need from it: keeping the cap costs
    load shedding, which a window avoids by missing its share (penalised at half the value of
    lost load), so the year breaks the cap and the check solves the exact LP (and says why)."""
    cap = float(exact.generators_t.p["peak"].sum()) / 3
    assert cap > 1.0  # the hours need the peaker (the 3 h design barely runs it)
    n = _toy()
    n.generators.loc["peak", "e_sum_max"] = cap
    result = check_design(n, design, Scenario(check={"windows": 2}))
    assert result["method"] == "exact" and "annual rows" in result["fallback"]
    assert result["windows"]["annual_violation"]
    assert n.generators_t.p["peak"].sum() <= cap * (1 + 1e-6)
    assert result["unserved_energy_mwh"] > 1.0  # the exact LP sheds what the cap denies


def test_rows_are_local_boundary_or_annual() -> None:
    """Hours 0..59 in windows [0, 30) and [30, 60): a row inside a window is local, a row
    joining hours 29 and 30 (or 59 and 0, round the year) crosses a boundary, a row over
    hours 10 and 40 (30 h apart either way round: more than MAX_SPAN_H) or over all hours is
    annual."""
    hours = np.arange(60)
    win = (hours >= 30).astype(int)
    rows = [[0, 1], [29, 30], [59, 0], [10, 40], list(hours)]
    a = sp.csr_array((np.ones(sum(map(len, rows))),
                      (np.repeat(np.arange(len(rows)), [len(r) for r in rows]),
                       np.concatenate(rows))), shape=(len(rows), 60))
    home, boundary, annual = classify_rows(a, win, hours, 60)
    assert home.tolist() == [0, 1, 0, -1, -1]  # the cyclic row belongs to hour 0's window
    assert boundary.tolist() == [False, True, True, False, False]
    assert annual.tolist() == [False, False, False, True, True]


def test_windows_start_on_whole_days() -> None:
    assert window_starts(8760, 73).tolist() == list(range(0, 8760, 120))
    starts = window_starts(672, 8)
    assert starts[0] == 0 and (starts % 24 == 0).all() and len(starts) == 8
    assert window_starts(48, 8).tolist() == [0, 24]  # a window is at least a day
    assert window_starts(20, 8).tolist() == [0]


def test_a_day_variable_belongs_to_the_first_hour_of_its_rows() -> None:
    """Columns 0..29 are hours 0..29; column 30 is tied to hours 24 and 29 (one day),
    column 31 to hours 0 and 29 (more than a day apart: stays without an hour), column 32 to
    hour 5 and to a row without hours (stays without an hour)."""
    hour = np.r_[np.arange(30), -1, -1, -1]
    rows = [[24, 30], [29, 30], [0, 31], [29, 31], [5, 32], [32]]
    a = sp.csr_array((np.ones(sum(map(len, rows))),
                      (np.repeat(np.arange(len(rows)), [len(r) for r in rows]),
                       np.concatenate(rows))), shape=(len(rows), 33))
    out = tie_to_hours(a, hour)
    assert out[:30].tolist() == list(range(30))
    assert out[30] == 24 and out[31] == -1 and out[32] == -1


@pytest.mark.slow  # the zone model solved again: `make test-slow` (issue #20)
def test_daily_commitment_is_solved_in_the_windows() -> None:
    """A coal unit committed per day (minimum stable output 60 %): its online capacity is a
    variable of the window holding the day, not a design value, and every day of the windowed
    year keeps m * c_d <= p_t <= c_d (so a day's lowest output is >= 60 % of its highest)."""
    def committed(n: pypsa.Network) -> pypsa.Network:
        n.add("Bus", "coal", carrier="gas")
        n.add("Generator", "coal supply", bus="coal", carrier="gas", p_nom=1e4,
              marginal_cost=20.0)
        n.add("Link", "coal unit", bus0="coal", bus1="b", carrier="gas", p_nom=150.0,
              efficiency=0.4)
        n.meta = {**(n.meta or {}), "daily_commitment": {"coal unit": 0.6}}
        return n

    d = committed(_toy()).cluster.temporal.resample("3h")
    solve_network(d, Scenario())
    n = committed(_toy())
    result = check_design(n, d, Scenario(check={"windows": 8}))
    assert result["method"] == "windows" and not result["fallback"]
    assert COMMITMENT in n.model.variables
    p = n.links_t.p0["coal unit"]
    daily = p.groupby(p.index.date)
    assert (daily.max() > 1.0).any()  # the unit runs
    assert (daily.min() >= 0.6 * daily.max() - 1e-3).all()
