"""Shared fixtures: a small solved base case (one week, hourly) reused across tests."""

from __future__ import annotations

import dataclasses
import fcntl
import json
import shutil
from pathlib import Path

import pandas as pd
import pypsa
import pytest

from energy.config import resolve_scenario
from energy.pipeline import ROOT, Paths, run

# the application setting the CLI makes (PyPSA's pre-pandas-3 string handling, its default)
pypsa.options.set_option("api.legacy_string_dtype", True)


@pytest.fixture(scope="session")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Real inputs and profiles; results into a temporary folder."""
    return Paths(results=tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="session")
def week_run(paths: Paths, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The base scenario solved for the first week of January at hourly resolution.

    Solved once per test session: the pytest-xdist workers share the folder (the first takes a
    lock and solves, the others wait and read it).
    """
    scenario = resolve_scenario(
        "base", paths.scenarios, ["snapshots_limit=168"], resolution="1h"
    )
    shared = tmp_path_factory.getbasetemp().parent / "week-results"
    shared.mkdir(exist_ok=True)
    folder = shared / "base-week"
    with open(shared.parent / "week-results.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "summary.json").is_file():
            run(scenario, dataclasses.replace(paths, results=shared), out_name="base-week")
        fcntl.flock(lock, fcntl.LOCK_UN)
    return {
        "scenario": scenario,
        "summary": read_summary(folder),
        "folder": folder,
        "network": pypsa.Network(folder / "network.nc"),
        "tables": {p.stem: pd.read_csv(p) for p in folder.glob("*.csv")},
    }


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of network_data for tests that break it."""
    target = tmp_path / "network_data"
    shutil.copytree(ROOT / "network_data", target)
    return target


def read_summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text())
