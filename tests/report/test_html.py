"""`report`: a self-contained HTML dashboard, rendered in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from energy.cli import main

#: every test of the module that needs the solved week runs on the worker that solved it
pytestmark = pytest.mark.xdist_group("week_run")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"]
DOCS_PNG = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"


@pytest.fixture()
def report(week_run: dict, tmp_path: Path) -> Path:
    results = tmp_path / "results"
    for name in ("base-week", "base-week-copy"):
        shutil.copytree(week_run["folder"], results / name)
    # the report shows the run's own headline_sources.csv (not a recomputation)
    sources = results / "base-week-copy" / "headline_sources.csv"
    sources.write_text(sources.read_text().replace("bn CNY/a", "bn CNY/a (as written)", 1))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["--results", str(results), "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_is_self_contained(report: Path) -> None:
    text = report.read_text()
    assert text.count("class='plot'") >= 8
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=['\"]?http", text)
    # capacity split into existing and new; heat drawn without a "no heat" note; the map
    # carries the county seats and the corridor to Xiong'an
    assert "base-week: existing" in text and "base-week: new" in text
    assert "Heat supply [TWh" in text and "No heat sector" not in text
    assert "county seats" in text and "Jiancaoping" in text
    assert "export corridor" in text
    assert text.count("bn CNY/a (as written)") == 1  # the copy's file, read as written


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-{len(list(tmp_path.glob('chromium-*')))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_report_renders_in_headless_chromium_without_console_errors(
        report: Path, tmp_path: Path) -> None:
    dom = _chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    plots = re.findall(r'class="[^"]*js-plotly-plot', dom.stdout)
    assert len(plots) >= 8, "plotly did not render the figures"
    assert dom.stdout.count('class="main-svg"') >= 8
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    shot = tmp_path / "dashboard.png"
    png = _chromium(tmp_path, "--window-size=1280,2400", f"--screenshot={shot}", report.as_uri())
    assert png.returncode == 0 and shot.stat().st_size > 10_000
    if os.environ.get("UPDATE_DASHBOARD_PNG"):  # refresh the README screenshot on request
        shutil.copyfile(shot, DOCS_PNG)
