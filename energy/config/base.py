"""What every part of the configuration shares: the error, strict models, milestone years."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from energy import files

MILESTONE_YEARS = (2025, 2030, 2035)

class ConfigError(ValueError):
    """A scenario file, name or override that cannot be resolved into a valid Scenario."""


def check_run_name(name: str, what: str = "--out") -> str:
    """``name`` if it is a plain run-folder name (:func:`energy.files.check_run_name`)."""
    return files.check_run_name(name, what, ConfigError)


class _Strict(BaseModel):
    # NaN and infinity are never a setting (YAML's .inf / .nan would otherwise pass)
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)



_RESOLUTION = re.compile(r"^(?:(\d+)h|seg(\d+))$")

