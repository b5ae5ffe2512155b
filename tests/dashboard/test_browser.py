"""The served dashboard in Debian's Chromium (Playwright): every view renders, choices change
the figures, no console errors. (The screenshots in docs/ come from a real store:
``python docs/screenshots.py``.)
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from energy.pipeline import ROOT
from energy.store import record_run
from tests.store_helpers import make_run, make_uncertainty

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard of a store with two runs, the plan and the statistics, on a free port."""
    pytest.importorskip("playwright")
    from werkzeug.serving import make_server

    from energy.dashboard import create_app

    root = tmp_path_factory.mktemp("dash")
    url = f"sqlite:///{root / 'store.sqlite3'}"
    record_run(make_run(root / "base", "base", wind_mw=1_000.0), url,
               network_data=ROOT / "network_data")
    record_run(make_run(root / "base-cap20", "base-cap20", wind_mw=4_000.0, cost_scale=1.3),
               url)
    record_run(make_uncertainty(root / "uncertainty-base", "base"), url)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = make_server("127.0.0.1", port, create_app(url).server, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    srv.shutdown()


def _title(page, graph: str) -> str:  # noqa: ANN001
    return page.text_content(f"#{graph} .gtitle") or ""


def test_every_view_renders_and_follows_the_choices(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    shots = {}
    indicators = len(set(pd.read_csv(ROOT / "network_data" / "targets.csv").indicator_id)
                     | set(pd.read_csv(ROOT / "network_data" / "actuals.csv").indicator_id))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning", "trace")
                or m.text.startswith(("WARN", "ERROR")) else None)  # plotly logs its warnings
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.goto(server)
        # monitoring: one row and one chart per indicator, each with a status light
        page.wait_for_selector("#monitoring-table tbody tr", timeout=60_000)
        page.wait_for_function(f"document.querySelectorAll('#mon-figures .main-svg').length"
                               f" >= {indicators}", timeout=60_000)
        rows = page.query_selector_all("#monitoring-table tbody tr")
        assert len(rows) == indicators
        statuses = [r.query_selector("td").inner_text().strip() for r in rows]
        assert statuses[0] == "● behind" and "● on track" in statuses
        assert "base 1,200" in page.inner_text("#monitoring-table")  # model pathway shown
        shots["monitoring"] = page.screenshot(full_page=True)
        # scenarios: side by side, differences to the reference; another reference changes them
        page.get_by_text("Scenarios", exact=True).click()
        page.wait_for_selector("#scenario-table")
        for graph in ("sc-cost", "sc-co2", "sc-capacity", "sc-export", "sc-heat"):
            page.wait_for_selector(f"#{graph} .main-svg", timeout=30_000)
        assert "Δ base-cap20" in page.inner_text("#scenario-table thead")
        cost = page.inner_text("#scenario-table")
        assert "6.000" in cost and "7.800" in cost and "1.800" in cost  # bn CNY/a and Δ
        shots["scenarios"] = page.screenshot(full_page=True)
        page.click("#sc-ref")
        page.get_by_role("option", name="base-cap20").click()
        page.wait_for_function("document.querySelector('#scenario-table thead')"
                               ".innerText.includes('Δ base') && !document.querySelector("
                               "'#scenario-table thead').innerText.includes('Δ base-cap20')")
        assert "-1.800" in page.inner_text("#scenario-table")
        # grid: the map of a run; choosing the other run redraws it
        page.get_by_text("Grid", exact=True).click()
        page.wait_for_selector("#grid-map .main-svg", timeout=30_000)
        page.wait_for_function("document.querySelector('#grid-map .gtitle') !== null")
        first = _title(page, "grid-map")
        shots["grid"] = page.screenshot(full_page=True)
        page.click("#grid-run")
        other = "base (v1)" if "base-cap20" in first else "base-cap20 (v1)"
        page.get_by_role("option", name=other).click()
        page.wait_for_function(f"document.querySelector('#grid-map .gtitle').textContent"
                               f".includes('{other}')")
        assert _title(page, "grid-map") != first
        # robustness: fan chart and ranking, near-optimal ranges, the inputs behind a run
        page.get_by_text("Robustness", exact=True).click()
        for graph in ("unc-fan", "mga-ranges"):
            page.wait_for_selector(f"#{graph} .main-svg", timeout=30_000)
        page.wait_for_selector("#unc-what tbody tr")
        assert "uncertainty-base" in _title(page, "unc-fan")
        assert "12.000" in page.inner_text("#unc-headline")  # P95 system cost [bn CNY/a]
        assert "demand_2035" in page.inner_text("#unc-what")
        page.wait_for_function("document.querySelector('#mga-ranges .gtitle') !== null")
        assert "base" in _title(page, "mga-ranges")
        assert page.locator("#mga-ranges .bars path").count() >= 2  # wind and battery ranges
        page.wait_for_selector("#inp-binding tbody tr")
        assert "wind_north" in page.inner_text("#inp-binding")
        assert "S04;S66" in page.inner_text("#inp-headline")
        shots["robustness"] = page.screenshot(full_page=True)
        # runs: both runs with their provenance
        page.get_by_text("Runs", exact=True).click()
        runs = page.inner_text("#runs-table")
        assert "base-cap20" in runs and "c0ffee" in runs and "optimal" in runs
        shots["runs"] = page.screenshot(full_page=True)
        browser.close()
    assert not problems, problems
    for view, png in shots.items():  # kept for a look when the test fails later on
        (tmp_path / f"{view}.png").write_bytes(png)
