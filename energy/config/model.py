"""What is modelled: CO2 policy, load shedding, technologies, boundary, rest of Shanxi."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from energy.config.base import _Strict


class CO2Config(_Strict):
    """CO2 policy: an annual cap, a price, or both."""

    cap_mt: float | None = Field(
        None, ge=0, description="Annual CO2 cap on the zone [Mt CO2/a]; null = no cap."
    )
    price_cny_per_t: float = Field(
        0.0, ge=0, le=10_000, description="CO2 price added to fuel costs [CNY/t CO2]."
    )
    include_imports: bool = Field(
        True,
        description="boundary.mode=flat_price only: count emissions of electricity imported "
        "from the rest of Shanxi (grid-average factor from boundary.csv) in the cap and in "
        "reported emissions. With the modelled neighbour, imports count under scope="
        "consumption.",
    )
    scope: Literal["production", "consumption"] = Field(
        "production",
        description="What the cap limits: 'production' = CO2 of fuel burnt in the zone; "
        "'consumption' = production minus net exports (to the rest of Shanxi and Xiong'an) "
        "plus net imports, both at deemed_factor (linear, see README).",
    )
    deemed_factor_t_per_mwh: float | None = Field(
        None, ge=0,
        description="Deemed CO2 factor of exported and imported electricity in the "
        "consumption-scope cap [t/MWh]; null = the Shanxi grid factor of boundary.csv.",
    )
    fixed_uses_in_cap: bool = Field(
        False,
        description="Count the fixed, unabatable 'other gas use' (residential, commercial, "
        "industrial gas outside the model) inside the cap; false = outside it (reported "
        "apart as co2_fixed_uses_t).",
    )


class LoadSheddingConfig(_Strict):
    """Load shedding at a value of lost load (VOLL); always reported, never hidden.

    Off by default in the expansion solve: the plan must serve all demand, and shedding
    variables priced at VOLL cost about 40 % more HiGHS iterations even when unused
    (benchmarks/README.md). The full-year design check always has it on, so a design that
    cannot serve some hour shows unserved energy there.
    """

    enabled: bool = Field(
        False, description="Allow load shedding at VOLL in the expansion solve (always on "
        "in the full-year check)."
    )
    voll_cny_per_mwh: float = Field(
        20000.0, gt=0, le=1e6, description="Value of lost load [CNY/MWh] (estimate, ~20 CNY/kWh)."
    )


class TechnologyConfig(_Strict):
    """Switches for which technologies may be built (extendable) in the scenario."""

    onwind: bool = True
    solar: bool = True
    battery: bool = True
    phs: bool = True
    ocgt: bool = True
    ccgt: bool = True
    new_coal: bool = False
    line_expansion: bool = True
    exchange: bool = Field(True, description="Trade with the rest of Shanxi at boundary buses.")


class BoundaryConfig(_Strict):
    """How the zone trades with the rest of Shanxi at its boundary buses."""

    mode: Literal["neighbour", "flat_price"] = Field(
        "neighbour",
        description="'neighbour': the rest of Shanxi as modelled regions with load, fleet and "
        "outbound transmission (neighbour_*.csv), prices hour by hour; 'flat_price': an "
        "unlimited buyer and seller at the fixed prices of boundary.csv (sensitivities).",
    )


class NeighbourConfig(_Strict):
    """Scaling of the rest-of-Shanxi data (sensitivities); 1 = the data as published."""

    load_scale: float = Field(1.0, ge=0, description="Factor on the neighbour's load [p.u.].")
    fleet_scale: float = Field(
        1.0, ge=0, description="Factor on the neighbour's generation and storage fleet [p.u.]."
    )
    outbound_scale: float = Field(
        1.0, ge=0,
        description="Factor on Shanxi's outbound transmission (capacity and energy) [p.u.].",
    )
    must_run: bool = Field(
        True, description="Apply the must-run shares of neighbour_fleet.csv (CHP in the "
        "heating season, fleet minimum, by-product fuels)."
    )


