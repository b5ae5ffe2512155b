"""Side-by-side comparison of saved runs, with differences against a reference run.

Reads only what a run folder holds (``summary.json``, ``capacity.csv``), so it works on any
saved run. Rows are metrics with their unit; optional summary sections written by later model
parts (``export`` corridor, ``heat`` supply) are shown when a run has them and blank otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from energy.results.iamc import technology
from energy.results.io import RunError, read_summary
from energy.results.units import unit_of

#: optional summary sections (written by later model parts) -> label; numbers and mappings of
#: numbers in them become rows, with the unit taken from the key's suffix (``_mw`` -> MW ...)
SECTIONS: dict[str, str] = {"export": "Export", "heat": "Heat"}

class RunNotFoundError(RunError):
    """A run argument that is neither a run folder nor a run name under ``results``."""


def find_run(run: str | Path, results: Path) -> Path:
    """Resolve a run given as a folder path or as a name under ``results`` [-].

    Raises
    ------
    RunNotFoundError
        Neither is a folder with ``summary.json``.
    RunError
        The folder's ``summary.json`` is unreadable or not a run summary.
    """
    for candidate in (Path(run), Path(results) / str(run)):
        if (candidate / "summary.json").is_file():
            read_summary(candidate)  # raises RunError naming the file when it is damaged
            return candidate
    raise RunNotFoundError(f"no run folder with summary.json at {run!r} (or under {results})")


def read_csv(path: Path) -> pd.DataFrame:
    """A result table of a run folder; :class:`RunError` naming the file when unreadable."""
    try:
        return pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise RunError(f"{path}: unreadable result table ({type(err).__name__}: "
                       f"{str(err).strip().splitlines()[0] if str(err).strip() else ''})") from err


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def run_metrics(folder: Path) -> dict[tuple[str, str], float | None]:
    """Headline metrics of one run folder.

    Parameters
    ----------
    folder : Path
        A run folder (with ``summary.json``; ``capacity.csv`` is used when present).

    Returns
    -------
    dict
        ``(metric, unit) -> value``: total system cost [bn CNY/a], gross cost and sales revenue
        [bn CNY/a] and cost per MWh served [CNY/MWh] (when given), CO2 [Mt CO2/a], capacity by
        carrier [MW], storage energy by carrier [MWh], line capacity [MW], unserved energy
        [MWh/a], the full-year check's system cost [bn CNY/a] and unserved energy [MWh/a] when
        the run had the check, plus optional sections (:data:`SECTIONS`).
    """
    s = read_summary(folder)
    out: dict[tuple[str, str], float | None] = {
        ("Total system cost", "bn CNY/a"): _scaled(s.get("system_cost"), 1e-9),
        ("CO2 emissions", "Mt CO2/a"): _scaled(s.get("co2_emissions"), 1e-6),
    }
    if "gross_cost" in s:  # runs since the costs split (gross, sales, per MWh served)
        out[("Gross cost (before sales)", "bn CNY/a")] = _scaled(s.get("gross_cost"), 1e-9)
        out[("Sales revenue", "bn CNY/a")] = _scaled(s.get("sales_revenue"), 1e-9)
        out[("Cost per MWh served", "CNY/MWh")] = _num(s.get("cost_per_mwh_served"))
    check = s.get("verify") or {}
    if "system_cost_hourly_cny_per_a" in check:  # the design operated over all 8,760 h
        out[("Whole-system cost (zone and rest of Shanxi), full-year check", "bn CNY/a")] = _scaled(
            check["system_cost_hourly_cny_per_a"], 1e-9)
        out[("Unserved energy, full-year check", "MWh/a")] = _num(
            check.get("unserved_energy_mwh"))
    capacity_csv = Path(folder) / "capacity.csv"
    if capacity_csv.is_file():
        cap = read_csv(capacity_csv)
        missing = {"component", "carrier", "unit", "optimal"} - set(cap.columns)
        if missing:
            raise RunError(f"{capacity_csv}: missing column(s) {sorted(missing)}")
        cap = cap[cap.component != "Line"]
        keep = cap.carrier.map(lambda c: technology(c).role in ("generation", "storage"))
        keep &= cap.optimal >= 0  # negative: capacity at an input port (a consumer)
        for (unit, carrier), value in cap[keep].groupby(["unit", "carrier"]).optimal.sum().items():
            label = "Capacity" if unit == "MW" else "Storage energy"
            out[(f"{label} {carrier}", unit)] = float(value)
    else:
        for carrier, value in (s.get("capacity_mw") or {}).items():
            if technology(carrier).role in ("generation", "storage") and (_num(value) or 0) >= 0:
                out[(f"Capacity {carrier}", "MW")] = _num(value)
    lines = s.get("line_capacity_mw") or {}
    out[("Line capacity", "MW")] = _num(lines.get("optimal"))
    out[("Line expansion", "MW")] = _scaled(
        (_num(lines.get("optimal")) or 0.0) - (_num(lines.get("installed")) or 0.0), 1.0)
    out[("Unserved energy", "MWh/a")] = _num(s.get("unserved_energy_mwh"))
    for section, label in SECTIONS.items():
        out |= _section_rows(s.get(section), label)
    return out


def _unit(key: str) -> str:
    return unit_of(key) or "-"


def _section_rows(section: Any, label: str) -> dict[tuple[str, str], float | None]:
    rows: dict[tuple[str, str], float | None] = {}
    if not isinstance(section, dict):
        return rows
    for key, value in section.items():
        if isinstance(value, dict):
            for sub, v in value.items():
                if _num(v) is not None:
                    rows[(f"{label} {key} {sub}", _unit(key))] = _num(v)
        elif _num(value) is not None and not isinstance(value, bool):
            rows[(f"{label} {key}", _unit(key))] = _num(value)
    return rows


def _scaled(value: Any, factor: float) -> float | None:
    v = _num(value)
    return None if v is None else v * factor


def compare_runs(folders: Sequence[Path], reference: Path | None = None,
                 names: Sequence[str] | None = None) -> pd.DataFrame:
    """Side-by-side table of runs with differences against the reference.

    Parameters
    ----------
    folders : sequence of Path
        Run folders.
    reference : Path, optional
        Reference run folder (default: the first of ``folders``); added if not among them.
    names : sequence of str, optional
        Column names of the runs (default: the folder names).

    Returns
    -------
    DataFrame
        Columns ``metric``, ``unit``, one column per run, then ``Δ <run>`` (run minus reference,
        in the metric's unit) and ``Δ% <run>`` [%] for every other run. A metric missing in a
        run is blank (a capacity carrier missing from ``capacity.csv`` counts as 0).
    """
    folders = [Path(f) for f in folders]
    reference = Path(reference) if reference is not None else folders[0]
    if reference not in folders:
        folders = [reference, *folders]
    names = list(names) if names is not None else [f.name for f in folders]
    ref_name = names[folders.index(reference)]
    metrics = {name: run_metrics(f) for name, f in zip(names, folders, strict=True)}
    index: list[tuple[str, str]] = []
    for m in metrics.values():
        index += [k for k in m if k not in index]
    table = pd.DataFrame({name: [m.get(k) for k in index] for name, m in metrics.items()},
                         index=pd.MultiIndex.from_tuples(index, names=["metric", "unit"]),
                         dtype=float)
    is_cap = table.index.get_level_values("metric").str.match(r"^(Capacity|Storage energy) ")
    table.loc[is_cap] = table.loc[is_cap].fillna(0.0)
    for name in names:
        if name == ref_name:
            continue
        diff = table[name] - table[ref_name]
        table[f"Δ {name}"] = diff
        table[f"Δ% {name}"] = (100.0 * diff / table[ref_name].abs()).where(
            table[ref_name].abs() > 1e-9)
    return table.reset_index()


def format_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`compare_runs` for the terminal."""
    def fmt(v: Any) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return "–"
        return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"

    shown = table.copy()
    for col in shown.columns[2:]:
        shown[col] = shown[col].map(fmt)
    return shown.to_string(index=False)
