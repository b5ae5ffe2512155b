"""Figures of the served dashboard, drawn from what the store holds (IAMC rows, map, plan).

Technologies are coloured by the carrier registry (its ``iamc`` path); no figure needs a tile
server: maps are scatter plots on longitude/latitude.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from energy.carriers import registry
from energy.dashboard.monitoring import COLOURS, Indicator

TEMPLATE = "plotly_white"


def _colours() -> dict[str, str]:
    reg = registry()
    out: dict[str, str] = {}
    for _, row in reg.iterrows():
        if row.iamc and row.iamc not in out:
            out[str(row.iamc)] = str(row.color)
    return out


def tech_colour(path: str) -> str | None:
    """Colour of an IAMC technology path (``Wind|Onshore``, ``Storage|Battery``, ``Wind``)."""
    colours = _colours()
    path = path.removeprefix("Storage|")
    if path in colours:
        return colours[path]
    return next((c for p, c in colours.items() if p.startswith(path + "|")), None)


def empty_figure(title: str, text: str) -> go.Figure:
    """A figure with a title and a note in place of data."""
    fig = go.Figure()
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_layout(title=title, template=TEMPLATE, xaxis_visible=False, yaxis_visible=False,
                      height=300)
    return fig


def indicator_figure(ind: Indicator) -> go.Figure:
    """Targets, reported values and the model's values of one indicator over the years."""
    fig = go.Figure()
    if len(ind.actuals):
        a = ind.actuals.sort_values("year")
        fig.add_scatter(x=a.year, y=a.value, mode="lines+markers", name="reported",
                        line={"color": "#1f1f1f"},
                        hovertext=[f"{s} ({c})" for s, c in zip(a.source, a.confidence,
                                                                 strict=True)])
    if len(ind.targets):
        t = ind.targets.sort_values("year")
        fig.add_scatter(x=t.year, y=t.value, mode="markers", name="target",
                        marker={"symbol": "star-diamond", "size": 14, "color": "#ff7f0e"},
                        hovertext=[f"{d}: {s} ({c})" for d, s, c in
                                   zip(t.document, t.source, t.confidence, strict=True)])
        if ind.latest_year is not None and ind.next_year is not None \
                and ind.next_year > ind.latest_year:
            fig.add_scatter(x=[ind.latest_year, ind.next_year],
                            y=[ind.latest_value, ind.next_value], mode="lines",
                            name="needed path", line={"dash": "dot", "color": "#ff7f0e"})
    for scenario, grp in ind.model.groupby("scenario"):
        g = grp.sort_values("year")
        fig.add_scatter(x=g.year, y=g.value, mode="lines+markers", name=f"model: {scenario}",
                        marker={"symbol": "circle-open", "size": 10})
    fig.update_layout(template=TEMPLATE, height=330, margin={"t": 50, "l": 60, "r": 10, "b": 40},
                      title={"text": f"{ind.name} [{ind.unit}] – {ind.region}",
                             "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.25}, title_font_color=COLOURS.get(
                          ind.status))
    fig.update_xaxes(tickformat="d", dtick=1 if _span(ind) <= 8 else 5)
    return fig


def _span(ind: Indicator) -> int:
    years = [*ind.targets.get("year", []), *ind.actuals.get("year", []),
             *ind.model.get("year", [])]
    return int(max(years) - min(years)) if years else 0


def _pivot(iamc: pd.DataFrame, prefix: str, scenarios: list[str]) -> pd.DataFrame:
    """Leaves directly below ``prefix`` per scenario (rows: leaf name, columns: scenario)."""
    depth = prefix.count("|") + 1
    rows = iamc[iamc.variable.str.startswith(prefix + "|")
                & (iamc.variable.str.count(r"\|") == depth)]
    table = rows.pivot_table(index="variable", columns="scenario", values="value",
                             aggfunc="sum").reindex(columns=scenarios).fillna(0.0)
    table.index = [v.removeprefix(prefix + "|") for v in table.index]
    return table


def stacked(iamc: pd.DataFrame, prefix: str, scenarios: list[str], title: str,
            scale: float = 1.0, unit: str = "") -> go.Figure:
    """Stacked bars of the leaves below an IAMC prefix, one bar per scenario.

    When the runs report several regions (the zone and a neighbour: two scopes), one bar per
    scenario and region.
    """
    rows = iamc[iamc.variable.str.startswith(prefix + "|")]
    if rows.region.nunique() > 1:
        labels = [f"{s} / {r}" for s in scenarios for r in sorted(rows.region.unique())]
        frame = rows.assign(scenario=rows.scenario + " / " + rows.region)
        return stacked(frame.assign(region=""), prefix, labels, title, scale, unit)
    table = _pivot(iamc, prefix, scenarios) * scale
    table = table[(table.abs() > 1e-9).any(axis=1)]
    if table.empty:
        return empty_figure(title, "no data in these runs")
    fig = go.Figure()
    for leaf, row in table.iterrows():
        fig.add_bar(x=scenarios, y=row.to_numpy(), name=str(leaf),
                    marker_color=tech_colour(str(leaf)))
    fig.update_layout(barmode="relative", template=TEMPLATE, title=title, yaxis_title=unit,
                      height=380, margin={"t": 50, "l": 60, "r": 10, "b": 40})
    return fig


def _capacity(iamc: pd.DataFrame, prefix: str, scenarios: list[str]) -> pd.DataFrame:
    """Technology groups below ``prefix`` (Coal, Gas, Wind, Solar ...) and storage by type."""
    top = _pivot(iamc, prefix, scenarios).drop(index="Storage", errors="ignore")
    storage = _pivot(iamc, f"{prefix}|Storage", scenarios)
    storage.index = [f"Storage|{t}" for t in storage.index]
    return pd.concat([top, storage])


def capacity_existing_new(iamc: pd.DataFrame, scenarios: list[str]) -> go.Figure:
    """Electricity capacity by technology: existing (solid) and new (light) per scenario.

    Runs without the existing/new split (pathways) are drawn as totals with a dark outline.
    Patterns are not used: plotly.js cannot combine them with per-bar colours.
    """
    total = _capacity(iamc, "Capacity|Electricity", scenarios)
    total = total[(total > 0.5).any(axis=1)]
    if total.empty:
        return empty_figure("Electricity capacity by technology [GW]", "no capacity data")
    added = _capacity(iamc, "Capacity Additions|Electricity", scenarios)
    added = added.reindex(index=total.index, columns=scenarios).fillna(0.0)
    colours = [tech_colour(t) or "#888888" for t in total.index]
    split = set(iamc[iamc.variable.str.startswith("Capacity Additions|")].scenario)
    fig = go.Figure()
    for i, scenario in enumerate(scenarios):
        if scenario not in split:  # pathways report the total only
            fig.add_bar(x=list(total.index), y=(total[scenario] / 1e3).to_numpy(),
                        name=f"{scenario}: total (no existing/new split)", offsetgroup=str(i),
                        marker={"color": colours, "opacity": 0.8,
                                "line": {"color": "#333333", "width": 1.5}})
            continue
        new = added[scenario].clip(lower=0.0) / 1e3
        existing = (total[scenario] / 1e3 - new).clip(lower=0.0)
        fig.add_bar(x=list(total.index), y=existing.to_numpy(), name=f"{scenario}: existing",
                    offsetgroup=str(i), marker_color=colours)
        fig.add_bar(x=list(total.index), y=new.to_numpy(), base=existing.to_numpy(),
                    name=f"{scenario}: new", offsetgroup=str(i),
                    marker={"color": colours, "opacity": 0.45,
                            "line": {"color": "#333333", "width": 1}})
    fig.update_layout(barmode="group", template=TEMPLATE, height=420,
                      title="Electricity capacity by technology: existing (solid) and new "
                            "(light, outlined) [GW]", yaxis_title="GW",
                      margin={"t": 50, "l": 60, "r": 10, "b": 80})
    return fig


def comparison_table(iamc: pd.DataFrame, scenarios: list[str], reference: str) -> pd.DataFrame:
    """Headline figures side by side with differences to the reference scenario."""
    rows = [("System cost", "Cost|Total System", "bn CNY/a", 1e-9),
            ("CO2 emissions", "Emissions|CO2", "Mt CO2/a", 1e-6),
            ("Wind capacity", "Capacity|Electricity|Wind|Onshore", "GW", 1e-3),
            ("Solar capacity", "Capacity|Electricity|Solar|PV", "GW", 1e-3),
            ("Coal capacity", "Capacity|Electricity|Coal", "GW", 1e-3),
            ("Pumped hydro", "Capacity|Electricity|Storage|Pumped Hydro", "GW", 1e-3),
            ("Battery power", "Capacity|Electricity|Storage|Battery", "GW", 1e-3),
            ("Export to Xiong'an", "Trade|Electricity|Export|Xiong'an", "TWh/a", 1e-6),
            ("Export corridor", "Capacity|Transmission|Export Corridor", "GW", 1e-3),
            ("Heat supply", "Secondary Energy|Heat", "TWh/a", 1e-6),
            ("Clean heat share", "Share|Heat|Clean", "%", 1.0)]
    out = []
    for name, variable, unit, scale in rows:
        values = iamc[iamc.variable == variable].groupby("scenario").value.sum() * scale
        row = {"metric": name, "unit": unit}
        for s in scenarios:
            row[s] = values.get(s)
        ref = values.get(reference)
        for s in scenarios:
            if s != reference:
                v = values.get(s)
                row[f"Δ {s}"] = None if v is None or ref is None else v - ref
        out.append(row)
    return pd.DataFrame(out)


def grid_map(buses: pd.DataFrame, branches: pd.DataFrame, counties: pd.DataFrame,
             colour_by: str, title: str) -> go.Figure:
    """Counties (seats), buses and branches on lon/lat; lines coloured by loading or expansion.

    ``colour_by`` is ``loading`` (mean |flow| / rating [%]) or ``expansion`` [MW]. The export
    corridor is drawn dashed to its receiving bus (Xiong'an).
    """
    fig = go.Figure()
    if len(counties):
        fig.add_scatter(x=counties.x, y=counties.y, mode="markers+text", name="county seats",
                        text=counties.name, textposition="bottom center",
                        textfont={"size": 9, "color": "#777"},
                        marker={"symbol": "square", "size": 7, "color": "#bbb"},
                        hovertext=[f"{n} ({z}), {p}; bus {b}" for n, z, p, b in
                                   zip(counties.name, counties.name_zh, counties.prefecture,
                                       counties.bus, strict=True)], hoverinfo="text")
    if buses.empty:
        return empty_figure(title, "no network map for this run")
    xy = buses.set_index("bus")[["x", "y"]]
    lines = branches[branches.kind == "line"]
    values = (100 * lines.mean_loading if colour_by == "loading" else lines.expanded).fillna(0)
    vmax = max(float(values.max()) if len(values) else 0.0, 1e-9)
    for (_, line), value in zip(lines.iterrows(), values, strict=True):
        if line.bus0 not in xy.index or line.bus1 not in xy.index:
            continue
        colour = sample_colorscale("Viridis", [min(value / vmax, 1.0)])[0]
        width = 2 + 6 * float(line.s_nom_opt) / max(float(lines.s_nom_opt.max()), 1.0)
        fig.add_scatter(x=[xy.x[line.bus0], xy.x[line.bus1]],
                        y=[xy.y[line.bus0], xy.y[line.bus1]], mode="lines", showlegend=False,
                        line={"color": colour, "width": width}, hoverinfo="text",
                        hovertext=f"{line.branch}: {line.s_nom_opt:,.0f} MW "
                                  f"(+{line.expanded:,.0f}), mean loading "
                                  f"{100 * line.mean_loading:.0f} %")
    for _, link in branches[branches.kind == "corridor"].iterrows():
        if link.bus0 not in xy.index or link.bus1 not in xy.index or link.s_nom_opt < 1:
            continue
        fig.add_scatter(x=[xy.x[link.bus0], xy.x[link.bus1]],
                        y=[xy.y[link.bus0], xy.y[link.bus1]], mode="lines",
                        name=f"corridor to Xiong'an ({link.bus1})",
                        line={"dash": "dash", "width": 3, "color": "#2f7f6f"},
                        hovertext=f"{link.branch}: {link.s_nom_opt:,.0f} MW, mean loading "
                                  f"{100 * link.mean_loading:.0f} %", hoverinfo="text")
    fig.add_scatter(x=buses.x, y=buses.y, mode="markers+text", text=buses.bus, name="buses",
                    textposition="top center", marker={"size": 10, "color": "#333"},
                    hoverinfo="text", hovertext=[f"{b} ({loc})" for b, loc in
                                                 zip(buses.bus, buses.location.fillna(""),
                                                     strict=True)])
    label = "mean loading [%]" if colour_by == "loading" else "expansion [MW]"
    fig.add_scatter(x=[buses.x.iloc[0]] * 2, y=[buses.y.iloc[0]] * 2, mode="markers",
                    hoverinfo="skip", showlegend=False,
                    marker={"size": 0.1, "opacity": 0, "color": [0.0, vmax],
                            "colorscale": "Viridis", "showscale": True,
                            "colorbar": {"title": {"text": label}}})
    lat = float(np.nanmean(buses.y))
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / np.cos(np.radians(lat)))
    fig.update_layout(template=TEMPLATE, title=title, height=620, xaxis_title="longitude [°E]",
                      yaxis_title="latitude [°N]", legend={"orientation": "h", "y": -0.12})
    return fig
