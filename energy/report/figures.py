"""Plotly figures of the HTML dashboard; each takes loaded runs and returns one figure.

A run is a :class:`RunData` (folder tables plus the solved network). Technologies are selected by
carrier through :func:`energy.iamc.technology`, never by component names. No figure needs a tile
server or topojson: the map is a plain scatter on longitude/latitude.
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


def _style(n: pypsa.Network, carrier: str) -> tuple[str, str | None]:
    if carrier in n.carriers.index:
        row = n.carriers.loc[carrier]
        return (row.nice_name or carrier), (row.color or None)
    return carrier, None


def _is_plant(carrier: str) -> bool:
    return technology(carrier).role in PLANT_ROLES


def capacity_by_carrier(runs: list[RunData]) -> go.Figure:
    """Grouped bars: optimal power capacity by carrier and run [MW]."""
    fig = go.Figure()
    for run in runs:
        cap = run.tables["capacity"]
        cap = cap[(cap.unit == "MW") & (cap.component != "Line") & cap.carrier.map(_is_plant)
                  & (cap.optimal >= 0)]
        by = cap.groupby("carrier").optimal.sum()
        names = [_style(run.network, c)[0] for c in by.index]
        fig.add_bar(x=names, y=by.to_numpy(), name=run.name)
    fig.update_layout(barmode="group", title="Capacity by carrier [MW]", yaxis_title="MW")
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


def week_window(n: pypsa.Network, start: str | None = None) -> pd.DatetimeIndex:
    """Snapshots of the dispatch week: from ``start`` or from the day of peak load, 7 days."""
    snapshots = pd.DatetimeIndex(n.snapshots)
    if start is None:
        load = n.loads_t.p_set.sum(axis=1) if not n.loads_t.p_set.empty else None
        first = load.idxmax() if load is not None else snapshots[0]
    else:
        first = pd.Timestamp(start)
    first = pd.Timestamp(first).normalize()
    window = snapshots[(snapshots >= first) & (snapshots < first + pd.Timedelta(days=7))]
    return window if len(window) else snapshots[:168]


def dispatch(runs: list[RunData], week: str | None = None) -> go.Figure:
    """Stacked areas per run: electricity supply (+) and use (−) by carrier for one week [MW]."""
    fig = make_subplots(rows=len(runs), cols=1, subplot_titles=[r.name for r in runs],
                        vertical_spacing=0.08)
    shown: set[str] = set()
    for i, run in enumerate(runs, start=1):
        n = run.network
        window = week_window(n, week)
        eb = n.statistics.energy_balance(groupby_time=False, bus_carrier="AC",
                                         groupby=["location", "carrier"], nice_names=False)
        if has_locations(n):  # the zone's buses; lines = its exchange with the rest of Shanxi
            eb = eb[eb.index.get_level_values("location") == ZONE]
        eb = eb.groupby(level=["component", "carrier"]).sum()[window]
        for (component, carrier), series in eb.iterrows():
            nice, color = _style(n, str(carrier))
            if component == "Load":
                nice, color = "Load", "#222222"
            for sign, group in ((1, "supply"), (-1, "use")):
                part = (sign * series).clip(lower=0) * sign
                if part.abs().max() < 1e-3:
                    continue
                fig.add_scatter(x=window, y=part.to_numpy(), name=nice, stackgroup=group,
                                mode="lines", line={"width": 0, "color": color},
                                legendgroup=nice, showlegend=nice not in shown, row=i, col=1)
                shown.add(nice)
    fig.update_layout(title="Electricity dispatch [MW]", height=max(400, 320 * len(runs)))
    return fig


def state_of_charge(runs: list[RunData], week: str | None = None) -> go.Figure:
    """Lines: storage energy by carrier and run for the dispatch week [MWh]."""
    fig = go.Figure()
    for run in runs:
        n = run.network
        window = week_window(n, week)
        frames = []
        if not n.storage_units.empty:
            soc = n.storage_units_t.state_of_charge.reindex(columns=n.storage_units.index)
            frames.append(soc.T.groupby(n.storage_units.carrier).sum().T)
        if not n.stores.empty:
            frames.append(n.stores_t.e.T.groupby(n.stores.carrier).sum().T)
        if not frames:
            continue
        soc = pd.concat(frames, axis=1).loc[window]
        for carrier in soc.columns:
            nice, color = _style(n, str(carrier))
            fig.add_scatter(x=soc.index, y=soc[carrier].to_numpy(), mode="lines",
                            name=f"{run.name}: {nice}", line={"color": color})
    fig.update_layout(title="Storage state of charge [MWh]", yaxis_title="MWh")
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


def _colour(value: float, vmax: float, scale: str = "Viridis") -> str:
    from plotly.colors import sample_colorscale

    return sample_colorscale(scale, [0.0 if vmax <= 0 else min(value / vmax, 1.0)])[0]


def network_map(run: RunData) -> go.Figure:
    """Buses and lines on longitude/latitude; lines coloured by expansion [MW].

    Line width grows with the optimal rating; hover gives rating, expansion and mean loading
    (mean |flow| / rating [%]). Only AC buses are drawn.
    """
    n = run.network
    buses = n.buses[n.buses.carrier == "AC"]
    lines = n.lines
    expansion = (lines.s_nom_opt - lines.s_nom).clip(lower=0.0)
    vmax = float(expansion.max()) if len(lines) else 0.0
    flow = n.lines_t.p0.abs().mean() if not n.lines_t.p0.empty else pd.Series(0.0, lines.index)
    loading = 100 * flow.reindex(lines.index).fillna(0.0) / lines.s_nom_opt.replace(0, np.nan)
    fig = go.Figure()
    width = 2 + 6 * lines.s_nom_opt / max(float(lines.s_nom_opt.max()), 1.0)
    for name, line in lines.iterrows():
        b0, b1 = buses.reindex([line.bus0, line.bus1]).itertuples()
        fig.add_scatter(
            x=[b0.x, b1.x], y=[b0.y, b1.y], mode="lines", showlegend=False,
            line={"color": _colour(expansion[name], vmax), "width": float(width[name])},
            hovertext=(f"{name}: {line.s_nom_opt:,.0f} MW (+{expansion[name]:,.0f}), "
                       f"mean loading {loading[name]:.0f} %"), hoverinfo="text")
    fig.add_scatter(x=buses.x, y=buses.y, mode="markers+text", text=buses.index,
                    textposition="top center", name="buses", hoverinfo="text",
                    marker={"size": 9, "color": "#333"})
    fig.add_scatter(  # invisible points that carry the colour bar of the line colours
        x=buses.x.iloc[:1].tolist() * 2, y=buses.y.iloc[:1].tolist() * 2, mode="markers",
        hoverinfo="skip", marker={"size": 0.1, "opacity": 0, "color": [0.0, max(vmax, 1.0)],
                                  "colorscale": "Viridis", "showscale": True,
                                  "colorbar": {"title": {"text": "expansion [MW]"}}})
    fig.update_layout(title=f"Network: line expansion [MW] – {run.name}", showlegend=False,
                      xaxis_title="longitude [°E]", yaxis_title="latitude [°N]", height=600)
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / np.cos(np.radians(float(buses.y.mean()))))
    return fig
