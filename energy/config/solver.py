"""How it is solved and checked: HiGHS presets and screening, the full-year design check."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from energy.config.base import _RESOLUTION, _Strict

SolverPreset = Literal["hipo", "hipo-crossover", "hipo-choose", "ipm", "ipm-crossover", "simplex",
                       "pdlp", "ipm-mga"]
SegmentRepresentation = Literal["duration", "mean"]


class SolverConfig(_Strict):
    """HiGHS options: a named preset, extra options, and a fallback chain."""

    preset: SolverPreset = "hipo"
    options: dict[str, Any] = Field(default_factory=dict, description="Override preset options.")
    fallback: list[SolverPreset] = Field(
        default_factory=lambda: ["hipo-crossover", "simplex"],
        description="Presets tried in order when the first does not return an optimal solution.",
    )
    time_limit_s: float = Field(3600.0, gt=0, description="Time limit per attempt [s].")
    diagnose: bool = Field(
        True,
        description="When infeasible, say why (energy.optimize.diagnose): re-solve with load "
        "shedding and report where it sheds, else HiGHS's irreducible infeasible subset.",
    )
    screening: bool | Literal["auto"] = Field(
        "auto",
        description="Screen, prune and price (energy.optimize.screening): solve at "
        "screen_resolution (screen_resolution_aggregated for runs coarser than 1 h), leave out "
        "the candidate groups it does not build, solve without them and price them against "
        "the duals. Only single-year runs are screened: true, false, or 'auto' (hourly runs "
        "from screening_min_snapshots hours, coarser runs from "
        "screening_min_snapshots_aggregated snapshots).",
    )
    screening_min_snapshots: int = Field(
        2190, ge=1,
        description="Hours from which 'auto' screens: below a quarter year the single LP takes "
        "under 4 min (672 h: 42 s) and the screen would not pay for itself.",
    )
    screen_resolution: str = Field(
        "12h",
        description="Resolution of the screening solve ('<n>h' or 'seg<N>'). 12 h resampling "
        "takes 0.1 s; before the rest of Shanxi was modelled it picked the same unbuilt groups "
        "as seg730 on base. With it, the 12 h screen of base 2035 (36 s) leaves the batteries "
        "and gas turbines unbuilt that the hourly year needs (2026-12-07, benchmarks/README.md "
        "'Screening measured'), so the pruned LP is infeasible and the full LP follows.",
    )
    screen_resolution_aggregated: str = Field(
        "96h",
        description="Resolution of the screening solve of a run coarser than 1 h ('<n>h', "
        "resampling its snapshots): base seg730 screens at 96h in 91 snapshots (48h: same "
        "groups, 2.5x the screen's CPU).",
    )
    screening_min_snapshots_aggregated: int = Field(
        2190, ge=1,
        description="Snapshots from which 'auto' screens a run coarser than 1 h. Not seg730: "
        "with the rest of Shanxi modelled, the LP without the groups its 96h screen leaves "
        "unbuilt is infeasible (base 2035, 2026-12-07), so the full LP follows and the "
        "screen costs 64 s; before the neighbour it saved 55 % of the CPU.",
    )
    screen_build_tolerance: float = Field(
        1.0, ge=0, description="Screened size below which a candidate counts as unbuilt [MW, MWh]."
    )
    screening_tolerance: float = Field(
        100.0, ge=0,
        description="Profit per MW (MWh) above which a pruned group goes back [CNY/a per MW].",
    )
    screening_rounds: int = Field(
        3, ge=1, description="Hourly solves with pricing before falling back to the full LP."
    )

    @field_validator("screen_resolution", "screen_resolution_aggregated")
    @classmethod
    def _check_screen(cls, value: str) -> str:
        match = _RESOLUTION.match(value)
        if not match or value == "1h" or int(match.group(1) or match.group(2)) < 1:
            raise ValueError(f"expected '<n>h' (n > 1) or 'seg<N>', got {value!r}")
        return value


class CheckConfig(_Strict):
    """How the full-year design check (``verify``) dispatches the year."""

    method: Literal["windows", "exact"] = Field(
        "windows",
        description="'windows': the capacity-fixed hourly LP cut into windows solved in two "
        "parallel chains (energy.optimize.windows; base 2035 seg730 with the neighbour, 24 "
        "windows: operating cost +0.21 % of the hourly system cost above 'exact' at 0.2x its "
        "CPU; 73 windows: +0.57 % at 0.08x); falls back to 'exact' when a window cannot keep "
        "an annual row or storage balance. 'exact': one LP over all hours.",
    )
    windows: int = Field(
        24, ge=1, le=8760,
        description="Windows of the year (24: 365 h each; at most one per day); more windows "
        "are faster to solve and further from the exact LP.",
    )
    chains: int = Field(
        2, ge=1, description="Chains of consecutive windows solved side by side (one per core)."
    )
    preset: SolverPreset = Field(
        "simplex", description="HiGHS preset of each window (dual simplex, warm-started from "
        "the window before)."
    )


