"""Build and solve small cases directly (no result folders) for policy and pathway tests."""

from __future__ import annotations

from functools import cache

import pypsa

from energy.config import Scenario, resolve_scenario
from energy.inputs import Inputs, load_inputs
from energy.network import build_network
from energy.network.regions import zone_accounts
from energy.optimize import PRESETS, solve_network
from energy.pipeline import ROOT, Paths
from energy.profiles import Profiles, ensure_profiles

HOURS = 48


@cache
def inputs_and_profiles() -> tuple[Inputs, Profiles]:
    paths = Paths()
    return load_inputs(paths.network_data), ensure_profiles(paths.network_data, paths.profiles)


#: two solves of the same optimum agree to about HiGHS's relative gap (the hipo preset's
#: ipm_optimality_tolerance); "unchanged" and "binds" in the policy tests are judged against it
OBJ_RTOL = PRESETS["hipo"]["ipm_optimality_tolerance"]


def scenario(*overrides: str, name: str = "base", hours: int = HOURS) -> Scenario:
    return resolve_scenario(name, ROOT / "scenarios.yaml",
                            [f"snapshots_limit={hours}", *overrides], resolution="1h")


def build(*overrides: str, name: str = "base", hours: int = HOURS,
          solve: bool = False) -> pypsa.Network:
    """Build (and, with ``solve``, optimise) a scenario over its first ``hours`` hours."""
    s = scenario(*overrides, name=name, hours=hours)
    inputs, profiles = inputs_and_profiles()
    n = build_network(s, inputs, profiles)
    if solve:
        solve_network(n, s)
    return n


def solve(*overrides: str, name: str = "base", hours: int = HOURS) -> pypsa.Network:
    """Build and optimise a scenario over its first ``hours`` hours."""
    return build(*overrides, name=name, hours=hours, solve=True)


def _zone_generators(n: pypsa.Network):
    """The zone's generators (its accounts: not the rest of Shanxi's fleet)."""
    return n.generators[zone_accounts(n, "Generator")]


def renewable_mwh(n: pypsa.Network) -> float:
    g = _zone_generators(n)
    cols = g.index[g.carrier.isin(["onwind", "solar"])]
    return float(n.generators_t.p[cols].multiply(n.snapshot_weightings.generators,
                                                 axis=0).sum().sum())


def renewable_mw(n: pypsa.Network) -> float:
    g = _zone_generators(n)
    return float(g.p_nom_opt[g.carrier.isin(["onwind", "solar"])].sum())
