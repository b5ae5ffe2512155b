"""Plotly figures of the HTML dashboard; each takes loaded runs and returns one figure.

A run is a :class:`RunData` (folder tables plus the solved network). Technologies are selected by
carrier through :func:`energy.iamc.technology`, never by component names. The network map is in
:mod:`energy.report.maps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pypsa
from plotly.subplots import make_subplots

from energy.network.regions import ZONE, has_locations, zone_buses
from energy.results.iamc import ENERGY, technology

PLANT_ROLES = ("generation", "storage")
BRANCHES = ("Line", "Transformer")
TRANSMISSION = "_transmission"


@dataclass
class RunData:
    """Everything the dashboard reads from one run folder."""

    name: str
    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    network: pypsa.Network
    counties: pd.DataFrame | None = None


def _style(n: pypsa.Network, carrier: str) -> tuple[str, str | None]:
    if carrier in n.carriers.index:
        row = n.carriers.loc[carrier]
        return (row.nice_name or carrier), (row.color or None)
    return carrier, None


def _is_plant(carrier: str) -> bool:
    return technology(carrier).role in PLANT_ROLES


def capacity_by_carrier(runs: list[RunData]) -> go.Figure:
    """Bars per carrier and run: existing capacity (solid) with the new capacity (light) on top.

    Electricity capacity (plants and storage power at electricity buses). Existing is the
    installed capacity kept at the optimum (``optimal - expanded``), new the optimised
    expansion (``expanded`` of ``capacity.csv``).
    """
    fig = go.Figure()
    for i, run in enumerate(runs):
        cap = run.tables["capacity"]
        cap = cap[(cap.unit == "MW") & (cap.component != "Line") & cap.carrier.map(_is_plant)
                  & (cap.optimal >= 0) & (cap.bus_carrier == "AC")]
        by = cap.groupby("carrier")[["optimal", "expanded"]].sum()
        by = by[by.optimal > 0.05]
        names = [_style(run.network, c)[0] for c in by.index]
        colours = [_style(run.network, c)[1] or "#888888" for c in by.index]
        new = by.expanded.clip(lower=0.0).to_numpy()
        existing = (by.optimal.to_numpy() - new).clip(min=0.0)
        fig.add_bar(x=names, y=existing, name=f"{run.name}: existing", offsetgroup=str(i),
                    marker_color=colours)
        fig.add_bar(x=names, y=new, base=existing, name=f"{run.name}: new",
                    offsetgroup=str(i),
                    marker={"color": colours, "opacity": 0.45,
                            "line": {"color": "#333333", "width": 1}})
    fig.update_layout(barmode="group", yaxis_title="MW",
                      title="Electricity capacity by carrier: existing (solid) and new "
                            "(light, outlined) [MW]")
    return fig


def capacity_by_bus(runs: list[RunData]) -> go.Figure:
    """Stacked bars per run: optimal power capacity by bus and carrier [MW]."""
    fig = make_subplots(rows=len(runs), cols=1, shared_xaxes=True,
                        subplot_titles=[r.name for r in runs], vertical_spacing=0.08)
    shown: set[str] = set()
    for i, run in enumerate(runs, start=1):
        n = run.network
        cap = n.statistics.optimal_capacity(bus_carrier="AC", groupby=["bus", "carrier"],
                                            nice_names=False)
        cap = cap.groupby(level=["bus", "carrier"]).sum()
        cap = cap[cap.index.get_level_values("bus").isin(zone_buses(n))]  # the zone's buses
        cap = cap[cap.index.get_level_values("carrier").map(_is_plant) & (cap > 1e-3)]
        table = cap.unstack("carrier").fillna(0.0)
        for carrier in table.columns:
            nice, color = _style(n, carrier)
            fig.add_bar(x=table.index, y=table[carrier], name=nice, marker_color=color,
                        legendgroup=nice, showlegend=nice not in shown, row=i, col=1)
            shown.add(nice)
    fig.update_layout(barmode="stack", title="Capacity by bus [MW]",
                      height=max(350, 300 * len(runs)))
    return fig


def cost_breakdown(runs: list[RunData]) -> go.Figure:
    """Stacked bars: annual system cost by carrier and run [bn CNY/a] (export revenue < 0)."""
    fig = go.Figure()
    frames = []
    for run in runs:
        costs = run.tables["costs"]
        label = costs.carrier.where(~costs.component.isin(BRANCHES), TRANSMISSION)
        frames.append((costs.groupby(label).value_cny_per_a.sum() / 1e9).rename(run.name))
    table = pd.concat(frames, axis=1).fillna(0.0)
    for carrier, row in table.iterrows():
        nice, color = _style(runs[0].network, str(carrier))
        if carrier == TRANSMISSION:
            nice, color = "Transmission lines", "#6c7a89"
        fig.add_bar(x=table.columns, y=row.to_numpy(), name=nice, marker_color=color)
    totals = table.sum()
    fig.add_scatter(x=table.columns, y=totals.to_numpy(), mode="markers", name="total",
                    marker={"symbol": "diamond", "size": 12, "color": "black"})
    fig.update_layout(barmode="relative", title="System cost [bn CNY/a]", yaxis_title="bn CNY/a")
    return fig


def emissions(runs: list[RunData]) -> go.Figure:
    """Stacked bars: CO2 by emitting carrier and run [Mt CO2/a]."""
    fig = go.Figure()
    frames = [r.tables["emissions"].set_index("carrier").co2_t_per_a.rename(r.name) / 1e6
              for r in runs]
    table = pd.concat(frames, axis=1).fillna(0.0)
    for carrier, row in table.iterrows():
        nice, color = _style(runs[0].network, str(carrier))
        fig.add_bar(x=table.columns, y=row.to_numpy(), name=nice, marker_color=color)
    fig.update_layout(barmode="stack", title="CO2 emissions [Mt CO2/a]", yaxis_title="Mt CO2/a")
    return fig


def snapshot_hours(index: pd.DatetimeIndex, weights: pd.Series) -> np.ndarray:
    """Hours each snapshot covers on the time axis: the gap to the next snapshot.

    The last snapshot covers its weight when the weights are durations (segments, resampled
    steps); a ``snapshots_limit`` slice carries weights scaled to a full year instead, and its
    last snapshot gets the usual spacing.
    """
    index = pd.DatetimeIndex(index)
    if len(index) == 0:
        return np.array([], dtype=int)
    gaps = (np.diff(index.as_unit("s").asi8) / 3600.0).round().astype(int)
    w = weights.reindex(index).astype(float)
    last = float(w.iloc[-1])
    durations = abs(float(gaps.sum()) + last - float(w.sum())) < 0.5
    if not durations:  # weights scaled to a year: the slice keeps its own spacing
        last = float(np.median(gaps)) if len(gaps) else 1.0
    return np.append(gaps, max(int(round(last)), 1)).clip(min=1)


def to_hourly(frame: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Rows per snapshot repeated for every hour the snapshot covers (:func:`snapshot_hours`).

    A segment or resampled snapshot of *h* hours becomes *h* hourly rows with its value, so a
    week is drawn on its real time axis at any resolution.
    """
    index = pd.DatetimeIndex(frame.index)
    hours = snapshot_hours(index, weights)
    out = frame.iloc[np.repeat(np.arange(len(frame)), hours)].copy()
    offsets = np.concatenate([np.arange(h) for h in hours]) if len(hours) else np.array([])
    out.index = index.repeat(hours) + pd.to_timedelta(offsets, unit="h")
    return out


def week_window(index: pd.DatetimeIndex, load: pd.Series | None,
                start: str | None = None) -> pd.DatetimeIndex:
    """Hours of the dispatch week: from ``start`` or from the day of peak load, 7 days."""
    index = pd.DatetimeIndex(index)
    if start is None:
        first = load.idxmax() if load is not None and len(load) else index[0]
    else:
        first = pd.Timestamp(start)
        if index.tz is not None and first.tz is None:
            first = first.tz_localize(index.tz)
    first = pd.Timestamp(first).normalize()
    window = index[(index >= first) & (index < first + pd.Timedelta(days=7))]
    return window if len(window) else index[:168]


def _hourly_load(n: pypsa.Network) -> pd.Series | None:
    if n.loads_t.p_set.empty:
        return None
    zone = n.loads.bus.isin(zone_buses(n))  # the week with the zone's peak, not Shanxi's
    ac = n.loads.index[(n.loads.bus.map(n.buses.carrier) == "AC") & zone]
    load = n.loads_t.p_set.reindex(columns=ac).sum(axis=1).to_frame("load")
    return to_hourly(load, n.snapshot_weightings.generators)["load"]


def dispatch(runs: list[RunData], week: str | None = None) -> go.Figure:
    """Stacked areas per run: hourly electricity supply (+) and use (−) for one week [MW].

    Segmented or resampled runs are expanded to hours (each hour takes its snapshot's value).
    """
    fig = make_subplots(rows=len(runs), cols=1, subplot_titles=[r.name for r in runs],
                        vertical_spacing=0.08)
    shown: set[str] = set()
    for i, run in enumerate(runs, start=1):
        n = run.network
        eb = n.statistics.energy_balance(groupby_time=False, bus_carrier="AC",
                                         groupby=["location", "carrier"], nice_names=False)
        if has_locations(n):  # the zone's buses; lines = its exchange with the rest of Shanxi
            eb = eb[eb.index.get_level_values("location") == ZONE]
        eb = eb.groupby(level=["component", "carrier"]).sum()
        hourly = to_hourly(eb.T, n.snapshot_weightings.generators)
        window = week_window(hourly.index, _hourly_load(n), week)
        hourly = hourly.loc[window]
        for (component, carrier), series in hourly.items():
            nice, color = _style(n, str(carrier))
            if component == "Load":
                nice, color = "Load", "#222222"
            for sign, group in ((1, "supply"), (-1, "use")):
                part = (sign * series).clip(lower=0) * sign
                if part.abs().max() < 1e-3:
                    continue
                fig.add_scatter(x=window, y=part.to_numpy(), name=nice, stackgroup=group,
                                mode="lines", line={"width": 0, "color": color, "shape": "hv"},
                                legendgroup=nice, showlegend=nice not in shown, row=i, col=1)
                shown.add(nice)
    fig.update_layout(title="Electricity dispatch, hourly [MW]",
                      height=max(400, 320 * len(runs)))
    return fig


def state_of_charge(runs: list[RunData], week: str | None = None) -> go.Figure:
    """Lines: storage energy by carrier and run for the dispatch week, hourly [MWh]."""
    fig = go.Figure()
    for run in runs:
        n = run.network
        frames = []
        if not n.storage_units.empty:
            soc = n.storage_units_t.state_of_charge.reindex(columns=n.storage_units.index)
            frames.append(soc.T.groupby(n.storage_units.carrier).sum().T)
        if not n.stores.empty:
            frames.append(n.stores_t.e.T.groupby(n.stores.carrier).sum().T)
        if not frames:
            continue
        soc = to_hourly(pd.concat(frames, axis=1), n.snapshot_weightings.generators)
        soc = soc.loc[week_window(soc.index, _hourly_load(n), week)]
        for carrier in soc.columns:
            nice, color = _style(n, str(carrier))
            fig.add_scatter(x=soc.index, y=soc[carrier].to_numpy(), mode="lines",
                            name=f"{run.name}: {nice}", line={"color": color, "shape": "hv"})
    fig.update_layout(title="Storage state of charge, hourly [MWh]", yaxis_title="MWh")
    return fig


def heat_mix(runs: list[RunData]) -> go.Figure | None:
    """Stacked bars: heat supply by carrier and run [TWh/a]; ``None`` without a heat sector."""
    heat = [c for c, name in ENERGY.items() if name == "Heat"]
    frames = []
    for run in runs:
        eb = run.tables["energy_balance"]
        eb = eb[eb.bus_carrier.isin(heat) & (eb.value_mwh_per_a > 0) & (eb.component != "Load")
                & (eb.carrier.map(lambda c: technology(c).role) == "generation")]
        frames.append(eb.groupby("carrier").value_mwh_per_a.sum().rename(run.name) / 1e6)
    table = pd.concat(frames, axis=1).fillna(0.0)
    if table.empty:
        return None
    fig = go.Figure()
    for carrier, row in table.iterrows():
        nice, color = _style(runs[0].network, str(carrier))
        fig.add_bar(x=table.columns, y=row.to_numpy(), name=nice, marker_color=color)
    fig.update_layout(barmode="stack", title="Heat supply [TWh/a]", yaxis_title="TWh/a")
    return fig
