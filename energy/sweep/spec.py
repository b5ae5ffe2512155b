"""What a sweep runs: ``sweeps.yaml`` entries, the parameter grid, one spec per run."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from energy.config import ConfigError, Scenario, parse_override, resolve_scenario
from energy.files import read_yaml


class SweepConfig(BaseModel):
    """One entry of ``sweeps.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    scenarios: list[str] = Field(default_factory=lambda: ["base"])
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    set: dict[str, Any] = Field(default_factory=dict)
    resolution: str | None = None


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep.

    Attributes
    ----------
    name : str
        Run (folder) name; also the resolved scenario's ``name``.
    base : str
        Named scenario it starts from.
    parameters : dict
        Grid values of this run (dotted key -> value).
    scenario : Scenario
        The resolved scenario.
    """

    name: str
    base: str
    parameters: dict[str, Any]
    scenario: Scenario


@dataclass
class RunRecord:
    """What happened to one run."""

    spec: RunSpec
    status: str = "pending"  # done | failed | skipped
    reason: str = ""
    attempts: int | None = None
    elapsed_s: float | None = None
    summary: dict[str, Any] = field(default_factory=dict)


def load_sweep(path: Path, name: str) -> SweepConfig:
    """Read one named sweep from ``sweeps.yaml``.

    Raises
    ------
    ConfigError
        Missing file, unknown sweep or invalid entry.
    """
    data = read_yaml(path, "sweeps", ConfigError) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of sweep name -> definition")
    if name not in data:
        raise ConfigError(f"unknown sweep {name!r} in {path} (known: {', '.join(data) or 'none'})")
    try:
        return SweepConfig.model_validate(data[name] or {})
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path} [{name}]: '{loc}': {first['msg']}") from err


def parse_grid(items: Sequence[str]) -> dict[str, list[Any]]:
    """Parse ``--grid key=v1,v2`` options (each value read as YAML) into a grid."""
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, raw = item.split("=", 1) if "=" in item else (item, "")
        values = [parse_override(f"{key}={v}")[1] for v in raw.split(",") if v.strip()]
        if not values:
            raise ConfigError(f"--grid {item!r}: expected key=v1,v2,...")
        grid[key.strip()] = values
    return grid


def _fmt(value: Any) -> str:
    text = "null" if value is None else json.dumps(value) if not isinstance(value, str) else value
    return "".join(c if c.isalnum() or c in "-._=+" else "_" for c in text)


def run_name(base: str, parameters: dict[str, Any]) -> str:
    """Folder name of a run: ``base--key=value--key=value`` (just ``base`` without a grid)."""
    return "--".join([base, *(f"{k}={_fmt(v)}" for k, v in parameters.items())])


def expand(bases: Sequence[str], grid: dict[str, list[Any]], scenarios_file: Path,
           overrides: Sequence[str] = (), resolution: str | None = None) -> list[RunSpec]:
    """Resolve every (named scenario × grid point) into a validated run.

    Parameters
    ----------
    bases : sequence of str
        Named scenarios of ``scenarios_file``.
    grid : dict of str to list
        Dotted key -> values; the runs are the Cartesian product.
    scenarios_file : Path
        ``scenarios.yaml``.
    overrides : sequence of str
        ``key=value`` overrides applied to every run (before the grid values).
    resolution : str, optional
        Time resolution of every run.

    Returns
    -------
    list of RunSpec

    Raises
    ------
    ConfigError
        Any run that does not resolve (checked before anything is started).
    """
    keys = list(grid)
    specs = []
    for base in bases:
        for values in itertools.product(*(grid[k] for k in keys)):
            params = dict(zip(keys, values, strict=True))
            sets = [*overrides, *(f"{k}={json.dumps(v)}" for k, v in params.items())]
            scenario = resolve_scenario(base, scenarios_file, sets, resolution)
            name = run_name(base, params)
            described = f"{scenario.description} [sweep: {name}]".strip()
            scenario = scenario.model_copy(update={"name": name, "description": described})
            specs.append(RunSpec(name, base, params, scenario))
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ConfigError("sweep has duplicate runs: " + ", ".join(sorted(names)))
    return specs
