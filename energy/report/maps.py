"""The network map of the static report: county seats, buses, lines, the corridor to Xiong'an.

Drawn on longitude/latitude without tiles or topojson (the page works offline). County seats
come from ``network_data/counties.csv`` when the report is given them; outlines are not drawn
(no openly licensed county boundary file was found, see README).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from energy.report.figures import RunData
from energy.results.iamc import technology


def _colour(value: float, vmax: float, scale: str = "Viridis") -> str:
    return sample_colorscale(scale, [0.0 if vmax <= 0 else min(value / vmax, 1.0)])[0]


def _counties(fig: go.Figure, counties: pd.DataFrame | None) -> None:
    if counties is None or counties.empty:
        return
    fig.add_scatter(x=counties.x_lon, y=counties.y_lat, mode="markers+text", name="county seats",
                    text=counties.name, textposition="bottom center",
                    textfont={"size": 9, "color": "#777"},
                    marker={"symbol": "square", "size": 7, "color": "#bbbbbb"},
                    hoverinfo="text",
                    hovertext=[f"{n} ({z}), {p}: served by {b}" for n, z, p, b in
                               zip(counties.name, counties.name_zh, counties.prefecture,
                                   counties.bus, strict=True)])


def _corridor(fig: go.Figure, run: RunData, buses: pd.DataFrame) -> None:
    """Dashed line of each built export-corridor link to its receiving bus (Xiong'an)."""
    n = run.network
    links = n.links[n.links.carrier.map(lambda c: technology(c).role == "corridor")]
    for name, link in links.iterrows():
        if link.p_nom_opt < 1 or link.bus0 not in buses.index or link.bus1 not in buses.index:
            continue
        b0, b1 = buses.loc[link.bus0], buses.loc[link.bus1]
        fig.add_scatter(x=[b0.x, b1.x], y=[b0.y, b1.y], mode="lines+text",
                        text=["", f"{link.bus1} (Xiong'an)"], textposition="top left",
                        name=f"export corridor: {name}", showlegend=True,
                        line={"dash": "dash", "width": 3, "color": "#2f7f6f"},
                        hoverinfo="text", hovertext=f"{name}: {link.p_nom_opt:,.0f} MW")


def network_map(run: RunData) -> go.Figure:
    """Buses and lines on longitude/latitude; lines coloured by expansion [MW].

    Line width grows with the optimal rating; hover gives rating, expansion and mean loading
    (mean |flow| / rating [%]). Electricity buses only; the export corridor is dashed, the
    county seats (when known) grey squares.
    """
    n = run.network
    buses = n.buses[n.buses.carrier == "AC"]
    lines = n.lines
    expansion = (lines.s_nom_opt - lines.s_nom).clip(lower=0.0)
    vmax = float(expansion.max()) if len(lines) else 0.0
    flow = n.lines_t.p0.abs().mean() if not n.lines_t.p0.empty else pd.Series(0.0, lines.index)
    loading = 100 * flow.reindex(lines.index).fillna(0.0) / lines.s_nom_opt.replace(0, np.nan)
    fig = go.Figure()
    _counties(fig, run.counties)
    width = 2 + 6 * lines.s_nom_opt / max(float(lines.s_nom_opt.max()), 1.0)
    for name, line in lines.iterrows():
        b0, b1 = buses.reindex([line.bus0, line.bus1]).itertuples()
        fig.add_scatter(
            x=[b0.x, b1.x], y=[b0.y, b1.y], mode="lines", showlegend=False,
            line={"color": _colour(expansion[name], vmax), "width": float(width[name])},
            hovertext=(f"{name}: {line.s_nom_opt:,.0f} MW (+{expansion[name]:,.0f}), "
                       f"mean loading {loading[name]:.0f} %"), hoverinfo="text")
    _corridor(fig, run, buses)
    fig.add_scatter(x=buses.x, y=buses.y, mode="markers+text", text=buses.index,
                    textposition="top center", name="buses", hoverinfo="text",
                    marker={"size": 9, "color": "#333"})
    fig.add_scatter(  # invisible points that carry the colour bar of the line colours
        x=buses.x.iloc[:1].tolist() * 2, y=buses.y.iloc[:1].tolist() * 2, mode="markers",
        hoverinfo="skip", showlegend=False,
        marker={"size": 0.1, "opacity": 0, "color": [0.0, max(vmax, 1.0)],
                "colorscale": "Viridis", "showscale": True,
                "colorbar": {"title": {"text": "expansion [MW]"}}})
    fig.update_layout(title=f"Network: line expansion [MW] – {run.name}",
                      xaxis_title="longitude [°E]", yaxis_title="latitude [°N]", height=650,
                      legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / np.cos(np.radians(float(buses.y.mean()))))
    return fig
