"""Scenario configuration: pydantic defaults + named scenarios + ``--set`` overrides.

One resolved :class:`Scenario` is the only thing the builders read. It is written next to every
result as ``config.yaml`` so that a run can be reproduced from its folder.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from energy import files
from energy.carriers import registry, reserve_credits

MILESTONE_YEARS = (2025, 2030, 2035)

class ConfigError(ValueError):
    """A scenario file, name or override that cannot be resolved into a valid Scenario."""


def check_run_name(name: str, what: str = "--out") -> str:
    """``name`` if it is a plain run-folder name (:func:`energy.files.check_run_name`)."""
    return files.check_run_name(name, what, ConfigError)


class _Strict(BaseModel):
    # NaN and infinity are never a setting (YAML's .inf / .nan would otherwise pass)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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


SolverPreset = Literal["hipo", "hipo-crossover", "ipm", "ipm-crossover", "simplex", "pdlp"]
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
        "takes 0.1 s and picks the same unbuilt groups as seg730 on base (12 s of TSAM).",
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


class ExportConfig(_Strict):
    """The clean-energy export corridor to Xiong'an and its obligation."""

    enabled: bool = False
    from_bus: str = Field("XZB500", description="Zone bus where the corridor starts.")
    options: list[str] = Field(
        default_factory=lambda: ["hvdc800", "uhvac1000"],
        description="Corridor options from export_corridor.csv that may be built.",
    )
    p_nom_min_mw: float = Field(0.0, ge=0, le=1e5, description="Minimum corridor capacity [MW].")
    p_nom_max_mw: float = Field(16000.0, ge=0, le=1e5,
                                description="Maximum corridor capacity [MW].")
    energy_twh: float | None = Field(
        None, ge=0, le=1e3,
        description="Annual energy delivered to Xiong'an [TWh/a]; null = the schedule of "
        "export_contract.csv for the model year (2025: 0, 2030: 5, 2035: 10).",
    )
    profile: Literal["flat", "xiongan", "free"] = Field(
        "flat",
        description="Delivery profile of the contract: 'flat' (the same every hour), 'xiongan' "
        "(hour-of-day shape of export_profile.csv) or 'free' (only the annual energy is fixed).",
    )
    sizing: Literal["continuous", "modular"] = Field(
        "continuous",
        description="Corridor capacity: 'continuous' (LP) or 'modular' (whole modules of "
        "unit_mw of export_corridor.csv, PyPSA p_nom_mod: a MIP).",
    )
    clean_share: float = Field(
        0.0, ge=0, le=1, description="Minimum clean (wind + solar) share of exported energy."
    )
    matching: Literal["annual", "hourly"] = Field(
        "annual", description="Clean share matched over the year or in every snapshot."
    )
    clean_sources: Literal["new", "all"] = Field(
        "new",
        description="Wind and solar that may be contracted to the corridor: 'new' = only "
        "capacity the model builds (additionality), 'all' = also the existing fleet. The "
        "contracted energy never counts toward policy.min_renewable_share.",
    )
    price_cny_per_mwh: float | None = Field(
        None, ge=0, le=5e3,
        description="Price received per MWh delivered to Xiong'an [CNY/MWh]; null = "
        "export_contract.csv for the model year.",
    )


class PolicyConfig(_Strict):
    """Policy constraints beyond CO2 (each inactive at its default)."""

    min_renewable_share: float | None = Field(
        None, ge=0, le=1,
        description="Wind + solar generation >= share x zone electricity consumption [p.u.].",
    )
    reserve_margin: float | None = Field(
        None, ge=0, le=5,
        description="Firm capacity >= (1 + margin) x peak electric demand (load, heat pumps, "
        "electric boilers, export corridor) in the peak window; null = off. Up to 5 (500 %) for "
        "sensitivities: the zone's fleet, built to sell to the rest of Shanxi, holds ~2.3 x "
        "its own peak.",
    )
    reserve_storage_hours: float = Field(
        4.0, gt=0, description="Storage counts fully when it can discharge this long [h]."
    )
    reserve_import_mw: float = Field(
        0.0, ge=0,
        description="Firm import contracted from the rest of Shanxi, credited in the reserve "
        "margin up to the transfer capacity of the lines in service that year [MW]; 0 = the "
        "zone covers its own peak.",
    )
    reserve_peak_snapshots: int = Field(
        12, ge=1,
        description="Reserve margin holds in the N snapshots with the highest zone electricity "
        "load and the N with the highest district-heat load.",
    )
    reserve_credit: dict[str, float] = Field(
        default_factory=reserve_credits,
        description="Capacity credit per carrier [p.u. of capacity] (estimates; defaults from "
        "the carrier registry, energy/data/carriers.csv).",
    )

    @field_validator("reserve_credit")
    @classmethod
    def _check_credit(cls, value: dict[str, float]) -> dict[str, float]:
        for carrier, credit in value.items():
            if carrier not in registry().index:
                known = ", ".join(reserve_credits())
                raise ValueError(f"unknown carrier {carrier!r} (e.g. {known})")
            if not 0.0 <= credit <= 1.0:
                raise ValueError(f"credit of {carrier!r} must be within 0..1, got {credit}")
        return value
    negative_list: bool = Field(
        True, description="Plan's negative list: no new coal power (overrides technologies)."
    )
    land_use_factor: float = Field(
        1.0, ge=0, le=1, description="Share of each site's land potential that may be used."
    )


class PathwayConfig(_Strict):
    """Several investment periods instead of one year."""

    mode: Literal["single", "perfect_foresight", "myopic"] = "single"
    years: list[Literal[2025, 2030, 2035]] = Field(default_factory=lambda: [2025, 2030, 2035])


_RESOLUTION = re.compile(r"^(?:(\d+)h|seg(\d+))$")


class HeatConfig(_Strict):
    """District heating: heat buses per area, supply options and clean-heating policy."""

    enabled: bool = Field(
        True, description="Model district heat; off = CHP plants are power-only links."
    )
    distribution_loss: float = Field(
        0.10, ge=0, le=1,
        description="Distribution losses added to customer heat demand [p.u. of demand] "
        "(estimate: S41's 55.8 W/m2 incl. losses vs 50 W/m2 at customers, ~10 %).",
    )
    min_clean_share: float | None = Field(
        None, ge=0, le=1,
        description="Minimum clean share of district-heat production [p.u.]; null = off.",
    )
    clean_share_definition: Literal["non_coal", "policy"] = Field(
        "non_coal",
        description="'non_coal': heat from non-coal sources; 'policy': also counts heat of "
        "ultra-low-emission coal CHP (northern China clean-heating plan definition).",
    )
    coal_boiler_phaseout_year: int | None = Field(
        None, ge=2020, le=2100,
        description="From this year on, existing coal heat-only boilers are closed; null = each "
        "area's coal_boiler_phaseout_year of heat_areas.csv (empty there: never).",
    )
    new_gas_chp: bool = Field(True, description="Allow new extraction gas CHP in heat areas.")
    thermal_storage: bool = Field(
        True, description="Allow hot-water tanks (adds ~35 % IPM iterations at 3 h resolution)."
    )


class GasConfig(_Strict):
    """The zone gas system: Gujiao CBM, pipeline import, peak-shaving storage, other demand."""

    enabled: bool = Field(
        True, description="Model the gas system; off = unconstrained gas at the fuels.csv price."
    )
    cbm_cap_mm3: float | None = Field(
        None, ge=0, description="Annual cap on Gujiao CBM into the grid [Mm3/a]; null = gas.csv."
    )
    import_price_cny_per_m3: float | None = Field(
        None, ge=0, le=50, description="Pipeline gas price [CNY/m3]; null = fuels.csv price."
    )
    storage_expansion: bool = Field(
        True, description="Allow new peak-shaving storage volume, injection and withdrawal."
    )
    other_demand: bool = Field(
        True, description="Include non-modelled gas use (residential, commercial, industry)."
    )


class FlexibilityConfig(_Strict):
    """Unit commitment of the zone's coal and CHP (optimize.operations; thermal_flexibility.csv)."""

    min_load: bool = Field(True, description="Minimum stable load on committed capacity, "
                           "start-up cost, CHP committed in the heating season.")
    retrofit: bool = Field(False, description="Offer a flexibility retrofit (lower minimum load) "
                           "per existing coal and coal CHP plant; needs min_load.")


class ReservesConfig(_Strict):
    """The zone's operating reserve every snapshot, as PyPSA-Eur's (optimize.reserves)."""

    enabled: bool = Field(False, description="Hold an operating reserve every snapshot.")
    load_share: float = Field(0.02, ge=0, le=1, description="Per MW of zone load [p.u.].")
    vres_share: float = Field(0.02, ge=0, le=1,
                              description="Per MW of available wind and solar output [p.u.].")
    contingency_mw: float = Field(0.0, ge=0, description="Fixed part, e.g. largest unit [MW].")
    duration_h: float = Field(1.0, gt=0, description="Storage holds its reserve this long [h].")
    thermal: bool = Field(False, description="Committed coal and CHP headroom counts (spinning).")


class InputScaling(_Strict):
    """``column`` of the ``rows`` of input ``file`` × ``factor`` (energy.inputs.scaling)."""

    file: str = Field(description="Input file of network_data/, e.g. 'demand.csv'.")
    rows: str = Field("", description="Row filter 'col=v1|v2;col2=v'; '' = every row.")
    column: str = Field(description="Numeric column; 'a|b' = several sharing the factor.")
    factor: float = Field(ge=0, description="Multiplier [p.u.].")
    factor_id: str = Field("", description="Name of the uncertainty factor (reporting).")


class NearOptimalConfig(_Strict):
    """Near-optimal ranges of decisions after the solve (energy.optimize.near_optimal)."""

    enabled: bool = False
    slacks: list[Annotated[float, Field(gt=0, lt=1)]] = Field(
        default_factory=lambda: [0.02, 0.05], min_length=1,
        description="Cost slacks [p.u. of the optimal system cost].")
    decisions: list[str] = Field(default_factory=lambda: [
        "phs", "battery", "onwind", "solar", "gas_turbines", "corridor", "line_expansion"])


class Scenario(_Strict):
    """A fully resolved model run."""

    name: str = "base"
    description: str = ""
    year: Literal[2025, 2030, 2035] = 2035
    resolution: str = Field(
        "seg730", description="'1h' (full year), '<n>h' (resample) or 'seg<N>' (N TSAM segments)."
    )
    segment_representation: SegmentRepresentation = Field(
        "duration",
        description="Values of a segment (seg<N> only): 'duration' keeps each time series' "
        "duration curve (TSAM's global distribution representation; base seg730 +0.08 % vs "
        "1 h), 'mean' takes the segment mean (PyPSA's default; base seg730 -0.94 % vs 1 h).",
    )
    discount_rate: float = Field(0.06, ge=0, le=0.3, description="Real discount rate [p.u.].")
    co2: CO2Config = CO2Config()
    load_shedding: LoadSheddingConfig = LoadSheddingConfig()
    technologies: TechnologyConfig = TechnologyConfig()
    solver: SolverConfig = SolverConfig()
    export: ExportConfig = ExportConfig()
    policy: PolicyConfig = PolicyConfig()
    pathway: PathwayConfig = PathwayConfig()
    heat: HeatConfig = HeatConfig()
    gas: GasConfig = GasConfig()
    boundary: BoundaryConfig = BoundaryConfig()
    neighbour: NeighbourConfig = NeighbourConfig()
    first_investment_year: int = Field(
        2026, ge=2000, le=2100,
        description="Milestone years before this are history: they hold what exists (and "
        "what was under construction), no candidate may be built, and load shedding is on.",
    )
    statistics_year: int | None = Field(
        None, ge=2015, le=2035,
        description="Dispatch the system of this past year (fleet, demand and outbound as of "
        "that year, with the milestone year's prices); set by 'validate'. null = the "
        "milestone year.",
    )
    flexibility: FlexibilityConfig = FlexibilityConfig()
    reserves: ReservesConfig = ReservesConfig()
    snapshots_limit: int | None = Field(
        None, gt=0, description="Use only the first N hours of the year (tests, quick checks)."
    )
    store: str | None = Field(
        None,
        description="Results store every run is appended to: a SQLAlchemy URL "
        "(sqlite:///path or postgresql://user@host/db) or 'none'; default the embedded "
        "results/store.sqlite3. --store and $TAIXIN_STORE take precedence. Not a model "
        "setting (left out of the config hash).",
    )
    input_scaling: list[InputScaling] = Field(
        default_factory=list, description="Multipliers on input values (uncertainty samples).")
    near_optimal: NearOptimalConfig = NearOptimalConfig()
    check: CheckConfig = CheckConfig()
    verify: bool = Field(
        True,
        description="After a solve coarser than 1 h, fix the optimised capacities and dispatch "
        "every hour of the year (energy.optimize.design_check); the check goes into "
        "summary.json['verify'].",
    )

    @field_validator("resolution")
    @classmethod
    def _check_resolution(cls, value: str) -> str:
        match = _RESOLUTION.match(value)
        if not match or int(match.group(1) or match.group(2)) < 1:
            raise ValueError(f"expected '1h', '<n>h' or 'seg<N>', got {value!r}")
        return value

    @model_validator(mode="after")
    def _check_limit(self) -> Scenario:
        """A time aggregation must fit into the hours of ``snapshots_limit``."""
        match, hours = _RESOLUTION.match(self.resolution), self.snapshots_limit
        if hours is not None and match is not None and int(match[1] or match[2]) > hours:
            raise ValueError(f"resolution {self.resolution} needs at least "
                             f"{int(match[1] or match[2])} hours but snapshots_limit is {hours}: "
                             "use -r 1h (or <n>h, or fewer segments) for a short slice")
        return self

    def to_yaml(self) -> str:
        """Return the resolved scenario as YAML text."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``dotted.key=value`` override (:func:`energy.files.parse_override`)."""
    return files.parse_override(text, ConfigError)


def load_scenario_file(path: Path) -> dict[str, dict[str, Any]]:
    """Read ``scenarios.yaml``: a mapping of scenario name to overrides of the defaults.

    Scenario names must be run names (:func:`check_run_name`): they name the result folder.
    """
    data = files.read_yaml(path, "scenarios", ConfigError) or {}
    if not isinstance(data, dict) or not all(
        isinstance(v, dict | type(None)) for v in data.values()
    ):
        raise ConfigError(f"{path}: expected a mapping of scenario name -> overrides")
    for name in data:
        check_run_name(str(name), f"{path}: scenario name")
    return {str(k): dict(v or {}) for k, v in data.items()}


def _format_validation_error(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    msg = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        return f"{origin}: unknown key '{loc}'"
    if not loc:
        return f"{origin}: {msg}"
    return f"{origin}: '{loc}': {msg} (got {first.get('input')!r})"


def resolve_scenario(
    name: str,
    scenarios_file: Path,
    overrides: list[str] | tuple[str, ...] = (),
    resolution: str | None = None,
) -> Scenario:
    """Resolve defaults + named scenario + CLI overrides into one validated Scenario.

    Parameters
    ----------
    name : str
        Scenario name in ``scenarios_file``.
    scenarios_file : Path
        The YAML file of named scenarios.
    overrides : sequence of str
        ``dotted.key=value`` overrides applied last.
    resolution : str, optional
        Shorthand for ``--set resolution=...``.

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ConfigError
        Unknown scenario name, unknown key or wrong type, with a one-line message.
    """
    scenarios = load_scenario_file(scenarios_file)
    if name not in scenarios:
        known = ", ".join(sorted(scenarios)) or "none"
        raise ConfigError(f"unknown scenario {name!r} in {scenarios_file} (known: {known})")
    tree = copy.deepcopy(scenarios[name])
    try:
        Scenario.model_validate({**tree, "name": name})
    except ValidationError as err:
        raise ConfigError(_format_validation_error(err, f"{scenarios_file} [{name}]")) from err
    for text in overrides:
        key, value = parse_override(text)
        files.set_dotted(tree, key, value, ConfigError)
    if resolution is not None:
        tree["resolution"] = resolution
    tree["name"] = name
    try:
        return Scenario.model_validate(tree)
    except ValidationError as err:
        origin = "--set" if overrides or resolution is not None else f"{scenarios_file} [{name}]"
        raise ConfigError(_format_validation_error(err, origin)) from err
