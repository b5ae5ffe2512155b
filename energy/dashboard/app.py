"""The served dashboard (Dash): monitoring, scenarios, grid and runs, read only from the store.

The page layout is rebuilt on every page load (new runs appear after a reload); callbacks read
the store through a short-lived cache (:data:`CACHE_S`).
"""

from __future__ import annotations

import time
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, dcc, html

from energy.dashboard import figures as figs
from energy.dashboard import ranges
from energy.dashboard.monitoring import COLOURS, Indicator, indicators
from energy.store import StoreData, grid, load, redact, run_tables

CACHE_S = 5.0
MAX_DEFAULT = 4

_CSS = {"font-family": "system-ui, sans-serif", "max-width": "1250px", "margin": "0 auto",
        "color": "#222", "padding": "0 1rem 2rem"}
_CELL = {"border": "1px solid #ddd", "padding": "0.25rem 0.5rem", "font-size": "0.85rem"}


class Source:
    """The store behind the app, re-read at most every :data:`CACHE_S` seconds."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._data: StoreData | None = None
        self._at = 0.0

    def data(self) -> StoreData:
        """The store's content (cached briefly)."""
        if self._data is None or time.monotonic() - self._at > CACHE_S:
            self._data = load(self.url)
            self._at = time.monotonic()
        return self._data


def _table(frame: pd.DataFrame, table_id: str, digits: int = 2) -> html.Table:
    def cell(value: Any) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return "–"
        if isinstance(value, float):
            return f"{value:,.{digits}f}" if abs(value) < 1e5 else f"{value:,.0f}"
        return str(value)

    head = html.Tr([html.Th(str(c), style=_CELL) for c in frame.columns])
    body = [html.Tr([html.Td(cell(v), style=_CELL) for v in row])
            for row in frame.itertuples(index=False)]
    return html.Table([html.Thead(head), html.Tbody(body)], id=table_id,
                      style={"border-collapse": "collapse", "margin": "0.5rem 0"})


def _latest_year(iamc: pd.DataFrame) -> pd.DataFrame:
    """Each scenario's rows of its last year (a pathway is compared at its final period)."""
    if iamc.empty:
        return iamc
    last = iamc.groupby("scenario").year.transform("max")
    return iamc[iamc.year == last]


def _model_runs(data: StoreData) -> list[str]:
    runs = data.runs
    if runs.empty:
        return []
    ok = runs[runs.is_default & (runs.get("status", "optimal") == "optimal")
              & (runs.get("kind", "solve") != "uncertainty")]
    return list(dict.fromkeys(ok.scenario))


def _default_selection(names: list[str]) -> list[str]:
    preferred = [n for n in ("base", "pathway", "base-2030", "base-2025") if n in names]
    return [*preferred, *(n for n in names if n not in preferred)][:MAX_DEFAULT]


def monitoring_rows(items: list[Indicator]) -> pd.DataFrame:
    """The monitoring table: status, latest reported, next target, needed vs recent per year."""
    return pd.DataFrame([{
        "status": i.status, "indicator": i.name, "region": i.region, "unit": i.unit,
        "latest reported": None if i.latest_value is None else
        f"{i.latest_value:,.4g} ({i.latest_year})",
        "next target": None if i.next_value is None else
        f"{'≥' if i.direction == 'min' else '≤'} {i.next_value:,.4g} ({i.next_year})",
        "needed per year": i.needed_per_year, "recent per year": i.recent_per_year,
        "model": ", ".join(f"{s} {v:,.4g} ({y})" for s, y, v in
                           i.model.sort_values("year")[["scenario", "year", "value"]]
                           .itertuples(index=False)) or "–",
    } for i in items])


def _status_table(items: list[Indicator]) -> html.Table:
    frame = monitoring_rows(items)
    table = _table(frame, "monitoring-table", digits=3)
    for tr, item in zip(table.children[1].children, items, strict=True):
        tr.children[0].children = [html.Span("●", style={"color": COLOURS[item.status],
                                                          "font-size": "1.2rem"}),
                                   f" {item.status}"]
    return table


def layout(source: Source) -> html.Div:
    """The page (built on every load, so new runs show after a reload)."""
    try:
        data = source.data()
    except Exception as err:  # noqa: BLE001 - shown on the page, the server keeps running
        return html.Div([html.H1("taixin-energy"), html.P(f"store unavailable: {err}")],
                        style=_CSS)
    names = _model_runs(data)
    selected = _default_selection(names)
    reference = "base" if "base" in names else (names[0] if names else None)
    grid_runs = data.runs[data.runs.is_default & data.runs.scenario.isin(names)]
    grid_options = [{"label": f"{r.scenario} (v{r.version})", "value": int(r.run_id)}
                    for r in grid_runs.itertuples(index=False)]
    uncertainty = ranges.runs_with(data.iamc, "Uncertainty")
    near = ranges.runs_with(data.iamc, "Near-Optimal")
    runs = data.runs.copy()
    columns = [c for c in ("scenario", "version", "is_default", "kind", "status", "created_at",
                           "year", "resolution", "snapshots", "solver", "system_cost",
                           "total_s", "code_version", "config_hash", "input_hash", "reason")
               if c in runs]
    runs_view = runs[columns].assign(
        created_at=runs.created_at.astype(str).str[:19],
        **({"system_cost": runs.system_cost / 1e9} if "system_cost" in runs else {}),
        **{c: runs[c].astype("Int64").astype(object) for c in ("year", "snapshots")
           if c in runs},
    ).rename(columns={"system_cost": "system cost [bn CNY/a]", "is_default": "default",
                      "total_s": "total [s]"})
    tabs = [
        dcc.Tab(label="Monitoring", value="monitoring", children=[
            html.P("Per indicator: the published targets (◆), the reported values (●) and "
                   "the model's values of the chosen runs (○); the status compares the recent "
                   "annual change with the change per year still needed. Furthest behind "
                   "first."),
            html.Label("model runs"),
            dcc.Dropdown(id="mon-runs", options=names, value=selected, multi=True),
            html.Div(id="mon-table"), html.Div(id="mon-figures"),
        ]),
        dcc.Tab(label="Scenarios", value="scenarios", children=[
            html.Div([html.Div([html.Label("scenarios"),
                                dcc.Dropdown(id="sc-runs", options=names, value=selected,
                                             multi=True)], style={"flex": "3"}),
                      html.Div([html.Label("reference"),
                                dcc.Dropdown(id="sc-ref", options=names, value=reference,
                                             clearable=False)], style={"flex": "1"})],
                     style={"display": "flex", "gap": "1rem"}),
            html.P("Each run at its last year (a pathway at its final period)."),
            html.Div(id="sc-table"),
            dcc.Graph(id="sc-cost"), dcc.Graph(id="sc-co2"), dcc.Graph(id="sc-capacity"),
            dcc.Graph(id="sc-export"), dcc.Graph(id="sc-heat"),
        ]),
        dcc.Tab(label="Grid", value="grid", children=[
            html.Div([dcc.Dropdown(id="grid-run", options=grid_options,
                                   value=grid_options[0]["value"] if grid_options else None,
                                   clearable=False, style={"flex": "2"}),
                      dcc.RadioItems(id="grid-colour", value="expansion", inline=True,
                                     options=[{"label": " line expansion", "value":
                                               "expansion"},
                                              {"label": " mean loading", "value": "loading"}],
                                     style={"flex": "2"})],
                     style={"display": "flex", "gap": "1rem"}),
            dcc.Graph(id="grid-map"),
            html.P("County seats from network_data/counties.csv (estimated coordinates); "
                   "county outlines are not drawn: no openly licensed boundary file was "
                   "found (see README)."),
        ]),
        dcc.Tab(label="Robustness", value="robustness", children=[
            html.H3("Uncertainty"),
            html.P("Ranges of an uncertainty analysis (`run.py uncertainty`): P5–P95 of the "
                   "samples, their median and the value with the base inputs; below, the "
                   "inputs whose uncertainty moves the results most."),
            dcc.Dropdown(id="unc-run", options=uncertainty,
                         value=uncertainty[0] if uncertainty else None),
            html.Div(id="unc-table"), dcc.Graph(id="unc-fan"), html.Div(id="unc-ranking"),
            html.H3("Near-optimal alternatives"),
            html.P("The smallest and largest capacity of each decision among the plans whose "
                   "cost is within the slack of the optimum (`run.py mga`)."),
            dcc.Dropdown(id="mga-run", options=near, value=near[0] if near else None),
            dcc.Graph(id="mga-ranges"),
            html.H3("Inputs behind a run"),
            html.P("Per headline figure, the input rows that set it, their confidence and "
                   "sources; the low-confidence inputs that bind at the optimum, largest dual "
                   "first."),
            dcc.Dropdown(id="inp-run", options=grid_options,
                         value=grid_options[0]["value"] if grid_options else None),
            html.Div(id="inp-tables"),
        ]),
        dcc.Tab(label="Runs", value="runs", children=[
            html.P("Every recorded run, newest first: a re-run is a new version; failed runs "
                   "are kept but never become the default. Hashes identify the resolved "
                   "configuration and the input files, the code version is git describe."),
            html.Div(_table(runs_view, "runs-table"), style={"overflow-x": "auto"}),
        ]),
    ]
    header = (f"store {redact(source.url)}: {len(data.runs)} run version(s), "
              f"{data.plan.indicator_id.nunique()} plan indicator(s), "
              f"{len(data.actuals)} reported value(s)")
    return html.Div([html.H1("taixin-energy: plan against actual"),
                     html.P(header, id="store-line"),
                     dcc.Tabs(id="tabs", value="monitoring", children=tabs)], style=_CSS)


def create_app(url: str) -> dash.Dash:
    """The Dash app on a store (which must exist; see :func:`energy.store.open_store`)."""
    source = Source(url)
    app = dash.Dash(__name__, title="taixin-energy dashboard", serve_locally=True,
                    update_title=None)
    app.layout = lambda: layout(source)

    @app.callback(Output("mon-table", "children"), Output("mon-figures", "children"),
                  Input("mon-runs", "value"))
    def _monitoring(runs: list[str] | None) -> tuple[Any, Any]:
        data = source.data()
        iamc = data.iamc[data.iamc.scenario.isin(runs or [])]
        items = indicators(data.plan, data.actuals, iamc)
        if not items:
            return html.P("No plan targets or reported values in the store."), []
        graphs = [dcc.Graph(id=f"indicator-{i.indicator_id}",
                            figure=figs.indicator_figure(i)) for i in items]
        notes = [html.Details([html.Summary("sources"), html.Ul([
            html.Li(f"{r.year}: {r.value:,.4g} {i.unit} – {r.source} ({r.confidence}) "
                    f"{r.note or ''}")
            for r in pd.concat([i.targets, i.actuals]).itertuples(index=False)])])
            for i in items]
        body = [html.Div([g, n], className="indicator") for g, n in zip(graphs, notes,
                                                                       strict=True)]
        grid_style = {"display": "grid", "grid-template-columns": "1fr 1fr", "gap": "0.5rem"}
        return _status_table(items), html.Div(body, style=grid_style)

    @app.callback(Output("sc-table", "children"), Output("sc-cost", "figure"),
                  Output("sc-co2", "figure"), Output("sc-capacity", "figure"),
                  Output("sc-export", "figure"), Output("sc-heat", "figure"),
                  Input("sc-runs", "value"), Input("sc-ref", "value"))
    def _scenarios(runs: list[str] | None, reference: str | None) -> tuple[Any, ...]:
        data = source.data()
        runs = list(runs or [])
        if reference and reference not in runs:
            runs = [reference, *runs]
        iamc = _latest_year(data.iamc[data.iamc.scenario.isin(runs)])
        table = figs.comparison_table(iamc, runs, reference or (runs[0] if runs else ""))
        return (_table(table, "scenario-table", digits=3),
                figs.stacked(iamc, "Cost|Total System", runs, "System cost [bn CNY/a]", 1e-9,
                             "bn CNY/a"),
                figs.stacked(iamc, "Emissions|CO2|Energy", runs,
                             "CO2 emissions from fuels in the zone [Mt CO2/a]", 1e-6,
                             "Mt CO2/a"),
                figs.capacity_existing_new(iamc, runs),
                figs.stacked(iamc, "Trade|Electricity|Export", runs,
                             "Export [TWh/a] (to Xiong'an and the Shanxi grid)", 1e-6, "TWh/a"),
                figs.stacked(iamc, "Secondary Energy|Heat", runs, "Heat supply [TWh/a]", 1e-6,
                             "TWh/a"))

    @app.callback(Output("grid-map", "figure"), Input("grid-run", "value"),
                  Input("grid-colour", "value"))
    def _grid(run_id: int | None, colour: str) -> Any:
        data = source.data()
        if run_id is None:
            return figs.grid_map(pd.DataFrame(columns=["bus", "x", "y", "location"]),
                                 pd.DataFrame(), data.counties, colour, "No runs")
        buses, branches = grid(source.url, int(run_id))
        row = data.runs[data.runs.run_id == run_id]
        name = f"{row.scenario.iloc[0]} (v{row.version.iloc[0]})" if len(row) else str(run_id)
        return figs.grid_map(buses, branches, data.counties, colour, f"Network: {name}")

    @app.callback(Output("unc-table", "children"), Output("unc-fan", "figure"),
                  Output("unc-ranking", "children"), Input("unc-run", "value"))
    def _uncertainty(name: str | None) -> tuple[Any, ...]:
        data = source.data()
        if not name:
            return (html.P("No uncertainty analysis in the store."),
                    ranges.fan_chart(data.iamc, ""), [])
        row = data.runs[(data.runs.scenario == name) & data.runs.is_default]
        ranking = (run_tables(source.url, int(row.run_id.iloc[0]))["taixin_influence"]
                   if len(row) else pd.DataFrame())
        info = (f"{row.iloc[0].get('samples', '?')} samples at {row.iloc[0].get('resolution')}"
                f", {row.iloc[0].get('failed', 0)} failed" if len(row) else "")
        return ([html.P(info), _table(ranges.headline_table(data.iamc, name), "unc-headline",
                                                        digits=3)],
                ranges.fan_chart(data.iamc, name),
                [html.H4("What matters"), _table(ranges.ranking_table(ranking), "unc-what",
                                                 digits=3)])

    @app.callback(Output("mga-ranges", "figure"), Input("mga-run", "value"))
    def _near_optimal(name: str | None) -> Any:
        return ranges.near_optimal_figure(source.data().iamc, name or "")

    @app.callback(Output("inp-tables", "children"), Input("inp-run", "value"))
    def _inputs(run_id: int | None) -> Any:
        if run_id is None:
            return html.P("No runs in the store.")
        tables = run_tables(source.url, int(run_id))
        titles = tables["taixin_source"]
        return [html.H4("Headline figures"),
                _table(tables["taixin_headline_source"], "inp-headline", digits=2),
                html.H4("Binding low-confidence inputs"),
                _table(ranges.binding_table(tables["taixin_binding_input"]), "inp-binding",
                       digits=4),
                html.Details([html.Summary(f"{len(titles)} sources"), html.Ul(
                    [html.Li(f"{r.source}: {r.title}") for r in titles.itertuples()])])]

    return app


def serve(url: str, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Serve the dashboard until interrupted."""
    create_app(url).run(host=host, port=port, debug=False)
