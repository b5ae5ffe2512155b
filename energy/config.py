"""Scenario configuration: pydantic defaults + named scenarios + ``--set`` overrides.

One resolved :class:`Scenario` is the only thing the builders read. It is written next to every
result as ``config.yaml`` so that a run can be reproduced from its folder.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

MILESTONE_YEARS = (2025, 2030, 2035)


class ConfigError(ValueError):
    """A scenario file, name or override that cannot be resolved into a valid Scenario."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CO2Config(_Strict):
    """CO2 policy: an annual cap, a price, or both."""

    cap_mt: float | None = Field(
        None, ge=0, description="Annual CO2 cap on the zone [Mt CO2/a]; null = no cap."
    )
    price_cny_per_t: float = Field(
        0.0, ge=0, description="CO2 price added to fuel costs [CNY/t CO2]."
    )
    include_imports: bool = Field(
        True,
        description="Count emissions of electricity imported from the rest of Shanxi "
        "(grid-average factor from boundary.csv) in the cap and in reported emissions.",
    )


class LoadSheddingConfig(_Strict):
    """Load shedding at a value of lost load (VOLL); always reported, never hidden."""

    enabled: bool = True
    voll_cny_per_mwh: float = Field(
        20000.0, gt=0, description="Value of lost load [CNY/MWh] (estimate, ~20 CNY/kWh)."
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


SolverPreset = Literal["hipo", "ipm", "ipm-crossover", "simplex", "pdlp"]


class SolverConfig(_Strict):
    """HiGHS options: a named preset, extra options, and a fallback chain."""

    preset: SolverPreset = "hipo"
    options: dict[str, Any] = Field(default_factory=dict, description="Override preset options.")
    fallback: list[SolverPreset] = Field(
        default_factory=lambda: ["ipm-crossover", "simplex"],
        description="Presets tried in order when the first does not return an optimal solution.",
    )
    time_limit_s: float = Field(3600.0, gt=0, description="Time limit per attempt [s].")


_RESOLUTION = re.compile(r"^(?:(\d+)h|seg(\d+))$")


class Scenario(_Strict):
    """A fully resolved model run."""

    name: str = "base"
    description: str = ""
    year: Literal[2025, 2030, 2035] = 2035
    resolution: str = Field(
        "3h", description="'1h' (full year), '<n>h' (resample) or 'seg<N>' (N TSAM segments)."
    )
    discount_rate: float = Field(0.06, ge=0, le=0.3, description="Real discount rate [p.u.].")
    co2: CO2Config = CO2Config()
    load_shedding: LoadSheddingConfig = LoadSheddingConfig()
    technologies: TechnologyConfig = TechnologyConfig()
    solver: SolverConfig = SolverConfig()
    snapshots_limit: int | None = Field(
        None, gt=0, description="Use only the first N hours of the year (tests, quick checks)."
    )

    @field_validator("resolution")
    @classmethod
    def _check_resolution(cls, value: str) -> str:
        match = _RESOLUTION.match(value)
        if not match or int(match.group(1) or match.group(2)) < 1:
            raise ValueError(f"expected '1h', '<n>h' or 'seg<N>', got {value!r}")
        return value

    def to_yaml(self) -> str:
        """Return the resolved scenario as YAML text."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def _set_dotted(tree: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"--set {key}: '{part}' is not a section")
        node = child
    node[parts[-1]] = value


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``dotted.key=value`` override; the value is read as YAML (``3``, ``true``).

    Parameters
    ----------
    text : str
        The override as typed on the command line.

    Returns
    -------
    tuple of (str, Any)
        The dotted key and its parsed value.
    """
    if "=" not in text:
        raise ConfigError(f"--set {text!r}: expected dotted.key=value")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not p for p in key.split(".")):
        raise ConfigError(f"--set {text!r}: empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as err:
        raise ConfigError(f"--set {text!r}: value is not valid YAML") from err
    return key, value


def load_scenario_file(path: Path) -> dict[str, dict[str, Any]]:
    """Read ``scenarios.yaml``: a mapping of scenario name to overrides of the defaults."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read scenarios ({err})") from err
    if not isinstance(data, dict) or not all(
        isinstance(v, dict | type(None)) for v in data.values()
    ):
        raise ConfigError(f"{path}: expected a mapping of scenario name -> overrides")
    return {str(k): dict(v or {}) for k, v in data.items()}


def _format_validation_error(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"{origin}: unknown key '{loc}'"
    return f"{origin}: '{loc}': {first['msg']} (got {first.get('input')!r})"


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
        _set_dotted(tree, key, value)
    if resolution is not None:
        tree["resolution"] = resolution
    tree["name"] = name
    try:
        return Scenario.model_validate(tree)
    except ValidationError as err:
        raise ConfigError(_format_validation_error(err, "--set")) from err
