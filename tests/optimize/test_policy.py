"""Each policy binds when tight (the solution changes as expected) and is inactive when loose."""

import numpy as np
import pytest

from energy.network import build_network
from energy.network.carriers import co2_by_carrier
from energy.network.regions import zone_accounts
from energy.optimize.co2 import fixed_use_co2
from energy.optimize.policy import electricity_load
from tests.solve_helpers import OBJ_RTOL, inputs_and_profiles, renewable_mwh, scenario, solve

#: the zone model solved several times: run by `make test-slow`, not `make test`
pytestmark = pytest.mark.slow

REFERENCE = ("export.enabled=false",)


@pytest.fixture(scope="module")
def reference():
    return solve(*REFERENCE)


def _same_optimum(a, b):
    return np.isclose(a.objective, b.objective, rtol=OBJ_RTOL)


def test_co2_cap_binds_when_tight_and_not_when_loose(reference):
    # the cap is on the zone's emitters (its fuel buses), outside it the fixed other gas use
    fixed = fixed_use_co2(reference, reference.snapshots)
    emitted = float(co2_by_carrier(reference, "zone").sum()) - fixed
    tight = solve(*REFERENCE, f"co2.cap_mt={0.7 * emitted / 1e6:.4f}")
    emitted_tight = float(co2_by_carrier(tight, "zone").sum()) - fixed
    assert emitted_tight <= 0.7 * emitted * (1 + 1e-4)
    assert tight.objective > reference.objective * (1 + OBJ_RTOL)
    assert float(tight.model.constraints["co2-cap"].dual) < 0
    loose = solve(*REFERENCE, f"co2.cap_mt={2 * emitted / 1e6:.4f}")
    assert _same_optimum(loose, reference)


def test_renewable_share_binds_when_tight_and_not_when_loose():
    # at a 25 % discount rate little new wind/solar pays off, so the share has room to rise
    costly = (*REFERENCE, "discount_rate=0.25")
    reference = solve(*costly)
    load = float(electricity_load(reference, reference.snapshots)
                 .mul(reference.snapshot_weightings.generators).sum())
    share_now = renewable_mwh(reference) / load
    assert share_now < 0.5
    target = share_now + 0.1
    tight = solve(*costly, f"policy.min_renewable_share={target:.4f}")
    assert renewable_mwh(tight) / load >= target - 1e-4
    assert tight.objective > reference.objective * (1 + OBJ_RTOL)
    loose = solve(*costly, f"policy.min_renewable_share={share_now / 2:.4f}")
    assert _same_optimum(loose, reference)


def test_reserve_margin_binds_when_tight(reference):
    # inert when loose and binding at 15 %: tests/optimize/test_reserve_margin.py (tiny cases).
    # The zone's fleet, sized to sell to the rest of Shanxi, holds ~2.3 x its own peak demand
    # (base 2035 seg730: 21.8 GW firm against 9.2 GW incl. heat pumps and the corridor), so on
    # the zone model only a margin beyond that binds
    tight = solve(*REFERENCE, "policy.reserve_margin=3.0")
    assert tight.objective > reference.objective * (1 + OBJ_RTOL)
    firm_new = tight.links.p_nom_opt[tight.links.carrier.isin(["OCGT", "CCGT"])].sum()
    firm_new += tight.storage_units.p_nom_opt[tight.storage_units.p_nom_extendable].sum()
    firm_new += tight.links.p_nom_opt[tight.links.carrier == "battery discharger"].sum()
    assert firm_new > 1.0


def test_land_use_cap_limits_renewables(reference):
    inputs, _ = inputs_and_profiles()
    capped = solve(*REFERENCE, "policy.land_use_factor=0.3")
    sites = inputs.renewable_sites.set_index("site_id")
    g = capped.generators[zone_accounts(capped, "Generator")]  # not the neighbour's fleet
    for carrier in ("onwind", "solar"):
        built = g.p_nom_opt[g.carrier == carrier].sum()
        allowed = np.maximum(0.3 * sites.p_nom_max_mw, sites.p_nom_existing_mw)[
            sites.carrier == carrier].sum()
        assert built <= allowed + 0.05  # an interior-point solve leaves <= 0.04 MW (README)
    assert capped.objective > reference.objective


def test_negative_list_removes_new_coal_even_if_switched_on():
    inputs, profiles = inputs_and_profiles()
    on = build_network(scenario("technologies.new_coal=true", "policy.negative_list=true"),
                       inputs, profiles)
    off = build_network(scenario("technologies.new_coal=true", "policy.negative_list=false"),
                        inputs, profiles)
    new_coal = lambda n: n.links[(n.links.carrier == "coal") & n.links.p_nom_extendable]  # noqa: E731
    assert new_coal(on).empty
    assert not new_coal(off).empty
