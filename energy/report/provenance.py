"""The sources behind a run's headline figures (the report's provenance section).

:func:`provenance_html` renders the run's ``headline_sources.csv``
(:func:`energy.results.headline_sources.headline_sources`: which input rows set each headline
figure, their confidence and sources) with the binding low-confidence inputs of
``summary.json``.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import pypsa

from energy.results.headline_sources import headline_sources


def _table(frame: pd.DataFrame, formats: dict[str, str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = []
    for rec in frame.to_dict(orient="records"):
        cells = [formats[k].format(v) if k in formats and v == v else str(v)
                 for k, v in rec.items()]
        body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table class='runs'><tr>{head}</tr>{''.join(body)}</table>"


def provenance_html(name: str, prov: pd.DataFrame, n: pypsa.Network,
                    summary: dict[str, Any], table: pd.DataFrame | None = None) -> str:
    """HTML of one run's provenance: sources per headline figure, binding low-confidence inputs.

    ``table`` is the run's ``headline_sources.csv``; runs written before it existed have it
    computed here from ``prov``, ``n`` and ``summary``.
    """
    block = summary.get("provenance") or {}
    if prov.empty or not block:
        return f"<p class='note'>{html.escape(name)}: no provenance.csv in this run.</p>"
    if table is None:
        table = headline_sources(prov, n, summary)
    pct = "{:.0%}"
    parts = [f"<h3>{html.escape(name)}</h3>",
             "<p>Input values by confidence: " + ", ".join(
                 f"{k} {v:,}" for k, v in block.get("values_by_confidence", {}).items())
             + f"; {block.get('estimate_rows', 0)} rows are estimates.</p>",
             _table(table, {"low_share": pct, "medium_share": pct, "high_share": pct})]
    binding = pd.DataFrame(block.get("binding_low_confidence") or [])
    if not binding.empty:
        order = {"potential": 0, "limit": 1, "price": 2}
        binding = binding.assign(order=binding.kind.map(order), size=-binding.dual.abs())
        binding = binding.sort_values(["order", "size"])
        cols = ["kind", "file", "row", "column", "value", "unit", "name", "dual", "dual_unit"]
        parts += ["<p>Low-confidence inputs that bind at the optimum (dual = d system cost / "
                  "d bound; for a price: the annual energy it prices):</p>",
                  _table(binding[cols].head(25), {"dual": "{:,.4g}"})]
    titles = block.get("sources") or {}
    if titles:
        parts.append("<p class='note'>Sources: " + "; ".join(
            html.escape(f"{k}: {v}" if v else k) for k, v in titles.items()) + "</p>")
    return "".join(parts)
