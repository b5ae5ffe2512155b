"""Scenario configuration: pydantic defaults + named scenarios + ``--set`` overrides.

One resolved :class:`Scenario` is the only thing the builders read. It is written next to every
result as ``config.yaml`` so that a run can be reproduced from its folder. The parts: shared
basics (:mod:`~energy.config.base`), what is modelled (:mod:`~energy.config.model`), how it is
solved and checked (:mod:`~energy.config.solver`), sectors and policies
(:mod:`~energy.config.sectors`) and the scenario itself (:mod:`~energy.config.scenario`).
"""

from energy.config.base import MILESTONE_YEARS, ConfigError, check_run_name
from energy.config.model import (
    BoundaryConfig,
    CO2Config,
    LoadSheddingConfig,
    NeighbourConfig,
    TechnologyConfig,
)
from energy.config.scenario import (
    InputScaling,
    NearOptimalConfig,
    Scenario,
    load_scenario_file,
    parse_override,
    resolve_scenario,
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

__all__ = [
    "BoundaryConfig",
    "CO2Config",
    "CheckConfig",
    "ConfigError",
    "ExportConfig",
    "FlexibilityConfig",
    "GasConfig",
    "HeatConfig",
    "InputScaling",
    "LoadSheddingConfig",
    "MILESTONE_YEARS",
    "NearOptimalConfig",
    "NeighbourConfig",
    "PathwayConfig",
    "PolicyConfig",
    "ReservesConfig",
    "Scenario",
    "SegmentRepresentation",
    "SolverConfig",
    "SolverPreset",
    "TechnologyConfig",
    "check_run_name",
    "load_scenario_file",
    "parse_override",
    "resolve_scenario",
]
