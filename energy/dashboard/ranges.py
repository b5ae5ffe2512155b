"""The robustness tab's figures and tables: uncertainty fan charts, near-optimal ranges, inputs.

Everything is drawn from what the store holds: an uncertainty analysis's IAMC rows
``Uncertainty|<metric>|<Base|P5|P50|P95>`` and its ranking (``taixin_influence``), a run's
``Near-Optimal|<decision>|<Optimum|Min|Max>|<slack>`` rows, and the inputs behind a run
(``taixin_headline_source``, ``taixin_binding_input``, ``taixin_source``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from energy.dashboard.figures import TEMPLATE, empty_figure

STATISTICS = ("Base", "P5", "P50", "P95")
#: headline metrics of the uncertainty table: IAMC stem -> (label, scale, unit)
HEADLINE = {"System Cost": ("system cost", 1e-9, "bn CNY/a"),
            "CO2 Emissions": ("CO2 emissions", 1e-6, "Mt/a")}


def runs_with(iamc: pd.DataFrame, prefix: str) -> list[str]:
    """Scenarios (default runs) with at least one variable under ``prefix``."""
    if iamc.empty:
        return []
    return sorted(set(iamc.scenario[iamc.variable.str.startswith(prefix + "|")]))


def percentiles(iamc: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Wide table of an uncertainty analysis: index metric stem, columns unit and statistics."""
    rows = iamc[(iamc.scenario == scenario) & iamc.variable.str.startswith("Uncertainty|")]
    if rows.empty:
        return pd.DataFrame(columns=["unit", *STATISTICS])
    parts = rows.variable.str.removeprefix("Uncertainty|").str.rpartition("|")
    frame = rows.assign(metric=parts[0], stat=parts[2])
    wide = frame.pivot_table(index="metric", columns="stat", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(STATISTICS))
    wide.insert(0, "unit", frame.groupby("metric").unit.first())
    return wide


def headline_table(iamc: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """System cost and CO2 of an uncertainty analysis: base, P5, P50, P95 in readable units."""
    wide = percentiles(iamc, scenario)
    rows = []
    for stem, (label, scale, unit) in HEADLINE.items():
        if stem in wide.index:
            rows.append({"figure": f"{label} [{unit}]",
                         **{s: wide.at[stem, s] * scale for s in STATISTICS}})
    return pd.DataFrame(rows, columns=["figure", *STATISTICS])


def fan_chart(iamc: pd.DataFrame, scenario: str) -> go.Figure:
    """P5–P95 of each capacity (bar), its P50 (line) and the base inputs' value (diamond) [GW]."""
    title = f"Capacity across the samples: {scenario} [GW]"
    wide = percentiles(iamc, scenario)
    wide = wide[wide.index.str.startswith("Capacity|") & (wide.unit == "MW")]
    wide = wide[(wide[["P95", "Base"]].max(axis=1) >= 1.0)].sort_values("P50")
    if wide.empty:
        return empty_figure(title, "No uncertainty analysis with capacities in the store")
    names = [m.removeprefix("Capacity|") for m in wide.index]
    gw = wide[list(STATISTICS)] / 1e3
    fig = go.Figure()
    fig.add_bar(y=names, x=gw.P95 - gw.P5, base=gw.P5, orientation="h", name="P5–P95",
                marker_color="rgba(70, 130, 180, 0.35)",
                hovertemplate="%{y}: P5 %{base:.2f} – P95 %{customdata:.2f} GW<extra></extra>",
                customdata=gw.P95)
    fig.add_scatter(y=names, x=gw.P50, mode="markers", name="P50",
                    marker={"symbol": "line-ns-open", "size": 18, "color": "#1f4e79"})
    fig.add_scatter(y=names, x=gw.Base, mode="markers", name="base inputs",
                    marker={"symbol": "diamond", "size": 9, "color": "#c0392b"})
    fig.update_layout(title=title, template=TEMPLATE, xaxis_title="GW", barmode="overlay",
                      height=max(300, 40 * len(names) + 120), legend_orientation="h")
    return fig


def ranking_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """The "what matters" ranking as stored (significant factors first)."""
    if ranking.empty:
        return ranking
    cols = [c for c in ("rank", "factor", "metric", "value", "p_value", "significant")
            if c in ranking]
    return ranking[cols].rename(columns={"value": "influence", "metric": "largest on"})


def near_optimal_figure(iamc: pd.DataFrame, scenario: str) -> go.Figure:
    """Per decision: the range of capacity within each slack (bars) and the optimum (diamond)."""
    title = f"Near-optimal ranges: {scenario} [GW; battery energy GWh]"
    rows = iamc[(iamc.scenario == scenario) & iamc.variable.str.startswith("Near-Optimal|")]
    if rows.empty:
        return empty_figure(title, "No run with near-optimal ranges in the store")
    parts = rows.variable.str.removeprefix("Near-Optimal|").str.split("|")
    frame = rows.assign(decision=parts.str[0], bound=parts.str[1], slack=parts.str[2],
                        value=rows.value / 1e3)
    optimum = frame[frame.bound == "Optimum"].set_index("decision").value
    decisions = list(optimum.sort_values().index)
    fig = go.Figure()
    slacks = sorted({s for s in frame.slack.dropna()}, key=lambda s: float(s.rstrip("%")),
                    reverse=True)
    shades = ["rgba(39, 174, 96, 0.25)", "rgba(39, 174, 96, 0.55)", "rgba(39, 174, 96, 0.8)"]
    for i, slack in enumerate(slacks):
        sub = frame[frame.slack == slack].pivot_table(index="decision", columns="bound",
                                                      values="value", aggfunc="first")
        sub = sub.reindex(decisions).dropna()
        fig.add_bar(y=list(sub.index), x=sub.Max - sub.Min, base=sub.Min, orientation="h",
                    name=f"within {slack} of the cost", marker_color=shades[i % len(shades)],
                    customdata=sub.Max,
                    hovertemplate="%{y}: %{base:.2f} – %{customdata:.2f}<extra></extra>")
    fig.add_scatter(y=decisions, x=optimum.reindex(decisions), mode="markers", name="optimum",
                    marker={"symbol": "diamond", "size": 10, "color": "#c0392b"})
    fig.update_layout(title=title, template=TEMPLATE, barmode="overlay", legend_orientation="h",
                      height=max(300, 45 * len(decisions) + 120))
    return fig


def binding_table(binding: pd.DataFrame) -> pd.DataFrame:
    """Binding low-confidence inputs, largest dual first."""
    if binding.empty:
        return binding
    cols = ["kind", "file", "row", "column", "value", "unit", "source", "dual", "dual_unit"]
    order = binding.dual.abs().sort_values(ascending=False).index
    return binding.loc[order, [c for c in cols if c in binding]]
