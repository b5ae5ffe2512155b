"""The report's near-optimal section: each decision's range within the cost slacks."""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go


def near_optimal_figure(name: str, block: dict[str, Any]) -> go.Figure:
    """Horizontal ranges per decision: one bar per slack from min to max, the optimum marked."""
    fig = go.Figure()
    ranges = {k: r for k, r in block.get("ranges", {}).items() if r.get("status") == "ok"}
    labels = [r["label"] for r in ranges.values()]
    for slack in sorted({s for r in ranges.values() for s, v in r.items()
                         if isinstance(v, list)}, key=float, reverse=True):
        lo = [r[slack][0] for r in ranges.values()]
        hi = [r[slack][1] for r in ranges.values()]
        fig.add_bar(y=labels, x=[h - low for low, h in zip(lo, hi, strict=True)], base=lo,
                    orientation="h", name=f"within {float(slack):.0%} of the optimal cost",
                    opacity=0.55)
    fig.add_scatter(y=labels, x=[r["optimum"] for r in ranges.values()], mode="markers",
                    name="optimum", marker={"symbol": "line-ns-open", "size": 18,
                                            "color": "black"})
    fig.update_layout(barmode="overlay", title=f"Near-optimal ranges – {name} [MW; battery "
                      "MWh]", height=max(300, 60 * len(labels) + 120))
    return fig


def near_optimal_html(name: str, block: dict[str, Any]) -> str:
    """Table of the ranges (min–max per slack) with the optimum."""
    ranges = block.get("ranges", {})
    slacks = [f"{s:g}" for s in block.get("slacks", [])]
    head = "<tr><th>decision</th><th>optimum</th>" + "".join(
        f"<th>within {float(s):.0%}</th>" for s in slacks) + "</tr>"
    rows = []
    for r in ranges.values():
        cells = [html.escape(r["label"]), f"{r['optimum']:,.0f}"]
        cells += [f"{r[s][0]:,.0f} – {r[s][1]:,.0f}" if r.get("status") == "ok" and s in r
                  else html.escape(r.get("status", "")) for s in slacks]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    note = (f"{name}: {block.get('solves', 0)} alternative LPs at resolution "
            f"{block.get('resolution', '')}; optimal system cost "
            f"{block.get('optimal_system_cost', 0) / 1e9:,.3f} bn CNY/a.")
    return (f"<p>{html.escape(note)}</p><table class='runs'>{head}{''.join(rows)}</table>")
