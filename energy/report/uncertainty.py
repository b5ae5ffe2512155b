"""Report of an uncertainty analysis: fan charts of the ranges and the "what matters" ranking.

Reads the files :func:`energy.uncertainty.run_uncertainty` writes (``uncertainty.json``,
``percentiles.csv``, ``influence.csv``, ``what_matters.csv``, ``metrics.csv``), so it works on
any saved analysis. :func:`uncertainty_section` is the HTML fragment the run dashboard embeds;
:func:`write_uncertainty_report` writes it as a page of its own.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from energy.results.iamc import technology

MARKER = "uncertainty.json"
_SCALE = {"CNY/a": (1e9, "bn CNY/a"), "t/a": (1e6, "Mt/a"), "MW": (1e3, "GW"),
          "MWh": (1e3, "GWh")}


def is_uncertainty_folder(folder: Path) -> bool:
    """Whether ``folder`` holds an uncertainty analysis."""
    return (Path(folder) / MARKER).is_file()


def _load(folder: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    folder = Path(folder)
    info = json.loads((folder / MARKER).read_text(encoding="utf-8"))

    def read(name: str) -> pd.DataFrame:
        path = folder / name
        return pd.read_csv(path) if path.is_file() and path.stat().st_size else pd.DataFrame()

    return (info, read("percentiles.csv"), read("influence.csv"), read("what_matters.csv"),
            read("metrics.csv"))


def fan_chart(pct: pd.DataFrame, metrics: list[str], title: str, labels: list[str] | None = None
              ) -> go.Figure:
    """P5–P95 range (bar), P50 (line marker) and base value (diamond) per metric.

    Values are shown in the metric's display unit (bn CNY/a, Mt/a, GW).
    """
    rows = pct.set_index("metric").reindex(metrics).dropna(subset=["p50"])
    fig = go.Figure()
    if rows.empty:
        return fig
    unit = str(rows.unit.iloc[0])
    div, shown = _SCALE.get(unit, (1.0, unit))
    names = [(labels or metrics)[metrics.index(m)] for m in rows.index]
    fig.add_bar(x=names, y=(rows.p95 - rows.p5) / div, base=rows.p5 / div, name="P5–P95",
                marker_color="rgba(70,110,180,0.35)")
    fig.add_scatter(x=names, y=rows.p50 / div, mode="markers", name="P50",
                    marker={"symbol": "line-ew-open", "size": 28, "color": "#1f3f7a"})
    fig.add_scatter(x=names, y=rows.base / div, mode="markers", name="base inputs",
                    marker={"symbol": "diamond", "size": 10, "color": "#c0392b"})
    fig.update_layout(title=f"{title} [{shown}]", yaxis_title=shown, barmode="overlay")
    return fig


def influence_heatmap(influence: pd.DataFrame, ranking: pd.DataFrame, metrics: list[str],
                      labels: list[str]) -> go.Figure | None:
    """Factor × metric heatmap of the influence (rank correlation or scaled Morris mu_star)."""
    frame = influence[influence.metric.isin(metrics)]
    if frame.empty or ranking.empty:
        return None
    table = frame.pivot_table(index="factor", columns="metric", values="value")
    table = table.reindex(index=list(ranking.factor), columns=[m for m in metrics
                                                               if m in table.columns])
    morris = (frame.method == "morris").any()
    if morris:
        table = table / table.abs().max().replace(0, 1.0)
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=[labels[metrics.index(m)] for m in table.columns],
        y=list(table.index), zmin=0 if morris else -1, zmax=1,
        colorscale="Blues" if morris else "RdBu", reversescale=not morris,
        colorbar={"title": {"text": "mu*/max" if morris else "rank corr."}}))
    fig.update_layout(title="What matters: influence of each factor",
                      height=max(350, 28 * len(table) + 150), yaxis={"autorange": "reversed"})
    return fig


def _headline(pct: pd.DataFrame) -> tuple[list[str], list[str]]:
    metrics, labels = ["system_cost", "co2_emissions"], ["system cost", "CO2"]
    for metric in pct.metric:
        if metric.count(":") == 1 and metric.startswith("capacity_mw:"):
            carrier = metric.split(":")[1]
            if technology(carrier).role in ("generation", "storage"):
                metrics.append(metric)
                labels.append(carrier)
    for metric, label in (("corridor_mw", "corridor"), ("line_capacity_mw", "lines")):
        if metric in set(pct.metric):
            metrics.append(metric)
            labels.append(label)
    return metrics, labels


def _div(fig: go.Figure, div_id: str) -> str:
    fig.update_layout(template="plotly_white", margin={"t": 60, "l": 60, "r": 20, "b": 40})
    return pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def _bus_table(pct: pd.DataFrame) -> str:
    rows = pct[pct.metric.str.count(":") == 2].copy()
    if rows.empty:
        return ""
    parts = rows.metric.str.split(":", expand=True)
    rows["bus"], rows["carrier"] = parts[1], parts[2]
    rows = rows[(rows.p95 > 1.0) | (rows.base > 1.0)]
    body = "".join(
        f"<tr><td>{html.escape(r.bus)}</td><td>{html.escape(r.carrier)}</td>"
        + "".join(f"<td>{v:,.0f}</td>" for v in (r.base, r.p5, r.p50, r.p95)) + "</tr>"
        for r in rows.sort_values(["bus", "carrier"]).itertuples())
    return ("<h3>Capacity per bus [MW]</h3><table class='runs'><tr><th>bus</th>"
            "<th>technology</th><th>base</th><th>P5</th><th>P50</th><th>P95</th></tr>"
            f"{body}</table>")


def uncertainty_section(folder: Path, prefix: str = "u") -> str:
    """HTML fragment: settings, failed samples, fan charts, ranking, per-bus ranges."""
    info, pct, influence, ranking, _ = _load(folder)
    runs = info.get("runs", {})
    parts = [f"<h2>Uncertainty: {html.escape(info.get('name', ''))}</h2>",
             "<p>" + html.escape(
                 f"Scenario {info.get('scenario')} ({info.get('year')}), "
                 f"{info.get('method')} design, {info.get('samples')} samples of "
                 f"{len(info.get('factors', []))} factors at resolution "
                 f"{info.get('resolution')} (full-year check "
                 f"{'on' if info.get('verify') else 'off'}); {runs.get('finished', 0)} "
                 f"finished, {runs.get('failed', 0)} failed. Ranges over the finished samples.")
             + "</p>"]
    if info.get("failed"):
        parts.append("<p>Failed (excluded from the percentiles): " + "; ".join(
            html.escape(f"{f['sample']}: {f['reason']}") for f in info["failed"]) + "</p>")
    if pct.empty:
        return "".join(parts + ["<p class='note'>No finished samples.</p>"])
    metrics, labels = _headline(pct)
    figures = [fan_chart(pct, metrics[:1], "System cost", labels[:1]),
               fan_chart(pct, metrics[1:2], "CO2 emissions", labels[1:2]),
               fan_chart(pct, metrics[2:], "Capacity per technology", labels[2:])]
    heat = influence_heatmap(influence, ranking, metrics, labels)
    for i, fig in enumerate([*figures, *([heat] if heat is not None else [])]):
        parts.append(f"<div class='plot'>{_div(fig, f'{prefix}-{i}')}</div>")
    if not ranking.empty:
        parts.append("<h3>What matters (largest influence on cost, CO2 or a capacity)</h3>"
                     "<p class='note'>Strength: |rank correlation| (Latin hypercube) or "
                     "mu*/max (Morris); significant: p < 0.05. With few samples a strong "
                     "correlation can be chance.</p>"
                     "<table class='runs'><tr><th>rank</th><th>factor</th><th>strength</th>"
                     "<th>on</th><th>value</th><th>p</th><th>significant</th></tr>" + "".join(
                         f"<tr><td>{r.rank}</td><td>{html.escape(str(r.factor))}</td>"
                         f"<td>{r.strength:.2f}</td><td>{html.escape(str(r.metric))}</td>"
                         f"<td>{r.value:.3g}</td><td>{r.p_value:.2g}</td>"
                         f"<td>{'yes' if r.significant else 'no'}</td></tr>"
                         for r in ranking.itertuples()) + "</table>")
    parts.append(_bus_table(pct))
    return "".join(parts)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; color: #222; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table.runs { border-collapse: collapse; font-size: 0.85rem; }
table.runs td, table.runs th { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
"""


def write_uncertainty_report(folder: Path, out: Path) -> Path:
    """Write the uncertainty section of ``folder`` as a self-contained HTML page."""
    body = uncertainty_section(folder)
    text = ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<title>taixin-energy uncertainty</title>"
            f"<style>{_CSS}</style><script type='text/javascript'>{get_plotlyjs()}</script>"
            f"</head><body>{body}</body></html>")
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out
