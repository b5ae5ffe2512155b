"""Refresh the dashboard screenshots in docs/ from a results store.

Usage: ``python docs/screenshots.py [--store sqlite:///results/store.sqlite3] [--views a,b]``.
Serves the dashboard on a free local port, opens each view in Debian's Chromium (Playwright)
and writes
``docs/dashboard-<view>.png``.
"""

from __future__ import annotations

import argparse
import logging
import socket
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from energy.dashboard import create_app
from energy.store import default_url, open_store

DOCS = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    """Serve the store's dashboard and screenshot its five views."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default=default_url(DOCS.parent / "results"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--views", default="monitoring,scenarios,grid,robustness,runs",
                        help="comma-separated views to capture")
    args = parser.parse_args()
    url = open_store(args.store, create=False)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = make_server("127.0.0.1", port, create_app(url).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#monitoring-table tbody tr", timeout=120_000)
        for view, ready in (("monitoring", "#mon-figures .main-svg"),
                            ("scenarios", "#sc-heat .main-svg"),
                            ("grid", "#grid-map .main-svg"),
                            ("robustness", "#inp-tables table"), ("runs", "#runs-table")):
            if view not in args.views.split(","):
                continue
            page.get_by_text(view.capitalize(), exact=True).click()
            page.wait_for_selector(ready, timeout=120_000)
            time.sleep(2)  # let plotly finish its transitions
            page.screenshot(path=str(DOCS / f"dashboard-{view}.png"), full_page=True)
            print(f"docs/dashboard-{view}.png")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
