"""The resolved :class:`Scenario`, named scenarios and ``--set`` overrides."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from energy import files
from energy.config.base import _RESOLUTION, ConfigError, _Strict, check_run_name
from energy.config.model import (
    BoundaryConfig,
    CO2Config,
    LoadSheddingConfig,
    NeighbourConfig,
    TechnologyConfig,
)
from energy.config.sectors import (
    ExportConfig,
    FlexibilityConfig,
    GasConfig,
    HeatConfig,
    PathwayConfig,
    PolicyConfig,
    ReservesConfig,
)
from energy.config.solver import CheckConfig, SegmentRepresentation, SolverConfig, SolverPreset


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
    preset: SolverPreset = Field(
        "ipm-mga", description="HiGHS preset of the alternatives (then solver.fallback).")
    slack_of: Literal["zone", "system"] = Field(
        "zone", description="What a slack is a share of: the zone's system cost (summary.json "
        "system_cost) or the whole modelled system's, zone and rest of Shanxi (the objective).")
    workers: int = Field(
        1, ge=1, description="Processes of a local Dask cluster sharing the alternatives "
        "(one model each); 1 = solved in the run's own process.")


class Scenario(_Strict):
    """A fully resolved model run."""

    name: str = "base"
    description: str = ""
    year: Literal[2025, 2030, 2035] = 2035
    resolution: str = Field(
        "seg1095", description="'1h' (full year), '<n>h' (resample) or 'seg<N>' (N TSAM "
        "segments). seg1095 (three a day on average): its design operated hour by hour costs "
        "0.08 % more than seg1460's on base 2035, seg730's 0.68 % more (benchmarks/README.md).",
    )
    segment_representation: SegmentRepresentation = Field(
        "duration",
        description="Values of a segment (seg<N> only): 'duration' keeps each time series' "
        "duration curve (TSAM's global distribution representation), 'mean' takes the segment "
        "mean (PyPSA's default: base 2035 seg1095's objective 3.5 % below the hourly cost of "
        "its own design).",
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
