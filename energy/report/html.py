"""Self-contained HTML dashboard comparing saved runs (plotly, inline JavaScript).

The page needs no network access: plotly.js is embedded once, the map is a lon/lat scatter
without tiles, no MathJax. Figures are in :mod:`energy.report.figures`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pypsa
from plotly.offline import get_plotlyjs

from energy.atomic import write_text
from energy.config import ConfigError
from energy.report import figures as figs
from energy.report.compare import read_csv
from energy.report.figures import RunData
from energy.report.maps import network_map
from energy.report.near_optimal import near_optimal_figure, near_optimal_html
from energy.report.provenance import provenance_html
from energy.report.uncertainty import uncertainty_section
from energy.results.headline_sources import FILE as HEADLINE_FILE
from energy.results.io import RunError, read_summary
from energy.results.provenance import FILE as PROVENANCE_FILE
from energy.results.provenance import read_provenance

TABLES = ("capacity", "costs", "energy_balance", "emissions")

_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table.runs { border-collapse: collapse; font-size: 0.85rem; }
table.runs td, table.runs th { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
table.runs td:first-child, table.runs th:first-child { text-align: left; }
p.note { color: #666; font-style: italic; }
"""


def load_run(folder: Path, counties: pd.DataFrame | None = None) -> RunData:
    """Read a run folder: ``summary.json``, the result tables and ``network.nc``.

    ``counties`` (``network_data/counties.csv``) adds the county seats to the map.

    Raises
    ------
    RunError
        A file is missing, truncated or unreadable (the message names it).
    """
    folder = Path(folder)
    summary = read_summary(folder)
    tables = {t: read_csv(folder / f"{t}.csv") for t in TABLES
              if (folder / f"{t}.csv").is_file()}
    if (folder / PROVENANCE_FILE).is_file():
        tables["provenance"] = read_provenance(folder)
    if (folder / HEADLINE_FILE).is_file():  # written with the run since schema 1.1
        tables["headline_sources"] = read_csv(folder / HEADLINE_FILE)
    for name, empty in (("emissions", ["carrier", "co2_t_per_a"]),
                        ("costs", ["component", "carrier", "cost_type", "value_cny_per_a"])):
        tables.setdefault(name, pd.DataFrame(columns=empty))
    logging.getLogger("pypsa").setLevel(logging.WARNING)
    nc = folder / "network.nc"
    if not nc.is_file():
        raise RunError(f"{nc}: missing (the dashboard needs the solved network)")
    try:
        network = pypsa.Network(nc)
    except Exception as err:  # noqa: BLE001 - netCDF/HDF5/xarray raise many types
        raise RunError(f"{nc}: unreadable network file ({type(err).__name__}); re-run the "
                       "scenario") from err
    if network.snapshots.empty:
        raise RunError(f"{nc}: the network has no snapshots (damaged file?)")
    return RunData(folder.name, summary, tables, network, counties)


def check_week(runs: Sequence[RunData], week: str | None) -> None:
    """Raise :class:`ConfigError` when ``--week`` is not a date inside every run's period."""
    if week is None:
        return
    try:
        first = pd.Timestamp(week).normalize()
    except ValueError as err:
        raise ConfigError(f"--week {week!r}: expected a date YYYY-MM-DD") from err
    for run in runs:
        index = run.network.snapshots
        snapshots = pd.DatetimeIndex(index.get_level_values(-1) if isinstance(
            index, pd.MultiIndex) else index)
        if not ((snapshots >= first) & (snapshots < first + pd.Timedelta(days=7))).any():
            raise ConfigError(f"--week {week}: outside the modelled period of run {run.name!r} "
                              f"({snapshots[0]} to {snapshots[-1]})")


def _runs_table(runs: Sequence[RunData]) -> str:
    head = ("<tr><th>run</th><th>year</th><th>resolution</th><th>status</th>"
            "<th>system cost [bn CNY/a]</th><th>CO2 [Mt/a]</th><th>lines [MW]</th>"
            "<th>unserved [MWh/a]</th></tr>")
    rows = []
    for r in runs:
        s = r.summary
        cells = [r.name, s.get("year", ""), s.get("resolution", ""), s.get("status", ""),
                 f"{(s.get('system_cost') or 0) / 1e9:,.3f}",
                 f"{(s.get('co2_emissions') or 0) / 1e6:,.3f}",
                 f"{(s.get('line_capacity_mw') or {}).get('optimal', 0):,.0f}",
                 f"{s.get('unserved_energy_mwh') or 0:,.1f}"]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return f"<table class='runs'>{head}{''.join(rows)}</table>"


def _div(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(template="plotly_white", margin={"t": 60, "l": 60, "r": 20, "b": 40})
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def build_report(runs: Sequence[RunData], week: str | None = None,
                 uncertainty: Sequence[Path] = ()) -> str:
    """The dashboard as one HTML document.

    Parameters
    ----------
    runs : sequence of RunData
        Loaded runs (:func:`load_run`).
    week : str, optional
        First day of the dispatch week (``YYYY-MM-DD``); default the day of peak load.
    uncertainty : sequence of Path
        Uncertainty analyses (``results/<name>/`` of ``run.py uncertainty``) to add: fan
        charts of the ranges and the "what matters" ranking.

    Returns
    -------
    str
        HTML with plotly.js inline; every figure is a ``div`` with class ``plot``.
    """
    runs = list(runs)
    # (title, figure or None, caption shown above the figure, note shown instead of it)
    sections: list[tuple[str, go.Figure | None, str, str]] = [
        ("Capacity by carrier", figs.capacity_by_carrier(runs), "", ""),
        ("Capacity by bus", figs.capacity_by_bus(runs), "", ""),
        ("System cost", figs.cost_breakdown(runs), "", ""),
        ("CO2 emissions", figs.emissions(runs), "", ""),
        ("Dispatch", figs.dispatch(runs, week), "Supply above zero, use (load, export, "
         "charging) below; one week, hour by hour (a segment's or resampled step's value "
         "holds for each of its hours).", ""),
        ("Storage state of charge", figs.state_of_charge(runs, week), "", ""),
        ("Heat supply", figs.heat_mix(runs), "", "No heat sector in these runs."),
    ]
    sections += [(f"Network map – {r.name}", network_map(r), "", "") for r in runs]
    body = [f"<h1>taixin-energy: {len(runs)} run(s)</h1>", _runs_table(runs)]
    for i, (title, fig, caption, missing) in enumerate(sections):
        body.append(f"<h2>{html.escape(title)}</h2>")
        if fig is None:
            body.append(f"<p class='note'>{html.escape(missing)}</p>")
            continue
        if caption:
            body.append(f"<p class='note'>{html.escape(caption)}</p>")
        body.append(f"<div class='plot'>{_div(fig, f'plot-{i}')}</div>")
    near = [r for r in runs if r.summary.get("near_optimal")]
    if near:
        body.append("<h2>Near-optimal ranges: capacity within a cost slack of the optimum</h2>")
        for j, r in enumerate(near):
            body.append(near_optimal_html(r.name, r.summary["near_optimal"]))
            fig = near_optimal_figure(r.name, r.summary["near_optimal"])
            body.append(f"<div class='plot'>{_div(fig, f'mga-{j}')}</div>")
    for j, folder in enumerate(uncertainty):
        body.append(uncertainty_section(folder, prefix=f"u{j}"))
    body.append("<h2>Provenance: the sources behind the headline figures</h2>")
    body += [provenance_html(r.name, r.tables.get("provenance", pd.DataFrame()), r.network,
                             r.summary, r.tables.get("headline_sources")) for r in runs]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>taixin-energy dashboard</title>"
        f"<style>{_CSS}</style><script type='text/javascript'>{get_plotlyjs()}</script>"
        f"</head><body>{''.join(body)}</body></html>"
    )


def write_report(folders: Sequence[Path], out: Path, week: str | None = None,
                 counties: pd.DataFrame | None = None,
                 uncertainty: Sequence[Path] = ()) -> Path:
    """Load run folders and write the dashboard HTML to ``out`` (atomically).

    ``counties`` (``network_data/counties.csv``) puts the county seats on the maps;
    ``uncertainty`` folders (``run.py uncertainty``) add their fan charts and ranking.
    """
    runs = [load_run(f, counties) for f in folders]
    check_week(runs, week)
    return write_text(Path(out), build_report(runs, week, uncertainty))
