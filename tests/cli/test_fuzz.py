"""Issue #21: a table of bad inputs and faults, each through the real command line.

Every mutation edits a copy of the inputs (every CSV, ``scenarios.yaml``, the EPW files and
the station registry, the profile cache) or passes a bad ``--set``, ``--out`` or
``--results``, then runs ``check`` (which runs every validation ``solve`` runs before
building) or ``solve`` (which stops at its validation), in-process through click's
``CliRunner``. For each: no traceback (and no "internal error"), the documented exit code,
one ``error:`` line matching the expected message (naming file/row/column or the key), and
the results folder exactly as before.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from energy.cli import main
from energy.pipeline import ROOT
from energy.profiles import ensure_profiles

DATA, WEATHER = ROOT / "network_data", ROOT / "profiles" / "weather"
TAIYUAN = "CHN_Shanxi.Taiyuan.537720_CSWD.epw"
SMALL = ["--set", "snapshots_limit=24", "-r", "1h", "--set", "verify=false"]


@dataclass(frozen=True)
class Case:
    """One mutation: what it edits, the command, the exit code and the message (regex)."""

    name: str
    edit: Callable[[Path], None] | None  # called with the case folder (data/, profiles/ ...)
    args: tuple[str, ...]
    code: int
    message: str


def cell(file: str, row: int, column: str, value: str | Callable[[str], str]) -> Callable:
    def edit(root: Path) -> None:
        path = root / "data" / file
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        old = rows[row - 1][column]
        rows[row - 1][column] = value(old) if callable(value) else value
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return edit


def row_of(file: str, **match: str) -> int:
    """The first data row (1-based) of a shipped CSV whose columns have the given values."""
    with (DATA / file).open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=1):
            if all(r[k] == v for k, v in match.items()):
                return i
    raise LookupError(f"{file}: no row {match}")


def times(k: float) -> Callable[[str], str]:
    return lambda old: f"{float(old) * k:g}"


def replace_file(rel: str, content: bytes | None) -> Callable:
    """Write ``content`` to a file of the case (None: delete it; b'DIR': a folder instead)."""
    def edit(root: Path) -> None:
        path = root / rel
        if path.is_symlink() or path.is_file():
            path.unlink()
        if content == b"DIR":
            path.mkdir()
        elif content is not None:
            path.write_bytes(content)
    return edit


def text_edit(rel: str, change: Callable[[str], str], encoding: str = "utf-8") -> Callable:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="latin-1" if rel.endswith(".epw") else "utf-8")
        if path.is_symlink():
            path.unlink()
        path.write_bytes(change(text).encode(encoding if not rel.endswith(".epw")
                                             else "latin-1"))
    return edit


def drop_rows(file: str, keep: Callable[[dict], bool]) -> Callable:
    def edit(root: Path) -> None:
        path = root / "data" / file
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(r for r in rows if keep(r))
    return edit


def drop_column(file: str, column: str) -> Callable:
    def edit(root: Path) -> None:
        path = root / "data" / file
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = [c for c in rows[0] if c != column]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return edit


def epw_field(field: int, value: str, first: int = 9, count: int = 1) -> Callable:
    def change(text: str) -> str:
        lines = text.splitlines()
        for k in range(first - 1, first - 1 + count):
            parts = lines[k].split(",")
            parts[field] = value
            lines[k] = ",".join(parts)
        return "\n".join(lines) + "\n"
    return text_edit(f"profiles/weather/{TAIYUAN}", change)


def yaml_append(text: str) -> Callable:
    return text_edit("scenarios.yaml", lambda old: old + "\n" + text)


def cache_edit(change: Callable[[Path], None]) -> Callable:
    def edit(root: Path) -> None:
        change(root / "profiles" / "built")
    return edit


CHECK = ("check", "-s", "base")
FOM = row_of("costs.csv", parameter="fom")
RATIO = row_of("gas.csv", parameter="other_demand_peak_day_ratio")
ROW = r"{file}, row {row} \(line {line}\), column '{column}': "


def at(file: str, row: int, column: str) -> str:
    return ROW.format(file=file.replace(".", r"\."), row=row, line=row + 1, column=column)


CASES = [
    # --- every CSV: non-finite, absurd, wrong unit, wrong role, wrong year, unreadable --------
    Case("plants-inf", cell("plants.csv", 2, "p_nom_mw", "inf"), CHECK, 1,
         at("plants.csv", 2, "p_nom_mw") + "expected a finite number, got 'inf'"),
    Case("plants-nan", cell("plants.csv", 2, "p_nom_mw", "NaN"), CHECK, 1,
         at("plants.csv", 2, "p_nom_mw") + "expected a finite number"),
    Case("plants-negative", cell("plants.csv", 3, "p_nom_mw", "-5"), CHECK, 1,
         at("plants.csv", 3, "p_nom_mw") + "expected a number >= 0 MW, got -5"),
    Case("plants-kw", cell("plants.csv", 1, "p_nom_mw", times(1000)), CHECK, 1,
         at("plants.csv", 1, "p_nom_mw") + r"expected a number <= 10000 MW.*1000 times too lar"),
    Case("plants-efficiency", cell("plants.csv", 4, "efficiency", "1.5"), CHECK, 1,
         at("plants.csv", 4, "efficiency") + "expected a number <= 1 p.u."),
    Case("plants-on-export-bus", cell("plants.csv", 2, "bus", "XD500"), CHECK, 1,
         at("plants.csv", 2, "bus") + r"expected a bus_id with role zone.*\(role export\)"),
    Case("plants-unknown-bus", cell("plants.csv", 2, "bus", "NOWHERE"), CHECK, 1,
         at("plants.csv", 2, "bus") + "expected a bus_id from buses.csv, got 'NOWHERE'"),
    Case("plants-carrier", cell("plants.csv", 2, "carrier", "nuclear"), CHECK, 1,
         at("plants.csv", 2, "carrier") + "expected one of"),
    Case("plants-year", cell("plants.csv", 2, "build_year", "3000"), CHECK, 1,
         at("plants.csv", 2, "build_year") + "expected a number <= 2100"),
    Case("demand-1e308", cell("demand.csv", 3, "annual_mwh", "1e308"), CHECK, 1,
         at("demand.csv", 3, "annual_mwh") + "expected a number <= 2e\\+08 MWh/a"),
    Case("demand-2040", cell("demand.csv", 36, "year", "2040"), CHECK, 1,
         r"demand\.csv, row \d+ \(line \d+\), column 'year': year 20\d\d lacks rows"),
    Case("demand-peak-below-mean", cell("demand.csv", 2, "peak_mw", "10"), CHECK, 1,
         at("demand.csv", 2, "peak_mw") + "expected peak_mw > annual_mwh / 8760"),
    Case("demand-row-missing", drop_rows("demand.csv", lambda r: not (
        r["county_id"] == "wutai" and r["year"] == "2030")), CHECK, 1,
         r"demand\.csv, row \d+ .*column 'year': year 2030 lacks rows for county_id wutai"),
    Case("demand-unknown-county", cell("demand.csv", 1, "county_id", "atlantis"), CHECK, 1,
         at("demand.csv", 1, "county_id") + "expected a county_id from counties.csv"),
    Case("county-on-export-bus", cell("counties.csv", 4, "bus", "XD500"), CHECK, 1,
         at("counties.csv", 4, "bus") + r"expected a bus_id with role zone"),
    Case("county-on-boundary-bus", cell("counties.csv", 4, "bus", "JZ1000"), CHECK, 1,
         at("counties.csv", 4, "bus") + r".*\(role boundary\)"),
    Case("lines-kw", cell("lines.csv", 2, "s_nom_mw", times(1000)), CHECK, 1,
         at("lines.csv", 2, "s_nom_mw") + "expected a number <= 20000 MW"),
    Case("lines-zero-reactance", cell("lines.csv", 1, "x_ohm_per_km", "0"), CHECK, 1,
         at("lines.csv", 1, "x_ohm_per_km") + "expected a number >= 1e-06"),
    Case("lines-loop", cell("lines.csv", 1, "bus1", "HC500"), CHECK, 1,
         at("lines.csv", 1, "bus1") + "expected a bus other than bus0"),
    Case("lines-to-export-bus", cell("lines.csv", 1, "bus0", "XD500"), CHECK, 1,
         at("lines.csv", 1, "bus0") + r"expected a bus_id with role zone or boundary"),
    Case("lines-circuits", cell("lines.csv", 1, "circuits", "2.5"), CHECK, 1,
         at("lines.csv", 1, "circuits") + "expected a whole number"),
    Case("buses-role", cell("buses.csv", 1, "role", "capital"), CHECK, 1,
         at("buses.csv", 1, "role") + "expected one of"),
    Case("buses-latitude", cell("buses.csv", 2, "y_lat", "99"), CHECK, 1,
         at("buses.csv", 2, "y_lat") + "expected a number <= 55 deg"),
    Case("buses-duplicate", cell("buses.csv", 2, "bus_id", "TYB500"), CHECK, 1,
         at("buses.csv", 2, "bus_id") + "expected a unique key"),
    Case("sites-max-below-existing", cell("renewable_sites.csv", 1, "p_nom_max_mw", "1"),
         CHECK, 1, at("renewable_sites.csv", 1, "p_nom_max_mw") + "expected p_nom_max_mw >="),
    Case("sites-flh", cell("renewable_sites.csv", 7, "full_load_hours_target", "9000"),
         CHECK, 1, at("renewable_sites.csv", 7, "full_load_hours_target") + "expected a number"),
    Case("sites-station", cell("renewable_sites.csv", 2, "weather_station", "nowhere"),
         CHECK, 1, at("renewable_sites.csv", 2, "weather_station") + "expected a station of"),
    Case("storage-efficiency", cell("storage_sites.csv", 1, "efficiency_round_trip", "1.2"),
         CHECK, 1, at("storage_sites.csv", 1, "efficiency_round_trip") + "expected a number <="),
    Case("costs-inf", cell("costs.csv", 1, "value", "inf"), CHECK, 1,
         at("costs.csv", 1, "value") + "expected a finite number"),
    Case("costs-kw", cell("costs.csv", 1, "value", times(1000)), CHECK, 1,
         at("costs.csv", 1, "value") + "expected a number <= "),
    Case("costs-unit", cell("costs.csv", 1, "unit", "CNY/MW"), CHECK, 1,
         at("costs.csv", 1, "unit") + "expected CNY/kW"),
    Case("costs-fom", cell("costs.csv", FOM, "value", "150"), CHECK, 1,
         at("costs.csv", FOM, "value") + r"expected a number <= 20 %/a"),
    Case("fuels-price", cell("fuels.csv", 1, "price_cny_per_mwh_th", "1e9"), CHECK, 1,
         at("fuels.csv", 1, "price_cny_per_mwh_th") + "expected a number <= 2000 CNY/MWh_th"),
    Case("fuels-co2", cell("fuels.csv", 1, "co2_t_per_mwh_th", "3"), CHECK, 1,
         at("fuels.csv", 1, "co2_t_per_mwh_th") + "expected a number <= 1"),
    Case("boundary-arbitrage", cell("boundary.csv", 1, "export_price_cny_per_mwh", "500"),
         CHECK, 1, at("boundary.csv", 1, "export_price_cny_per_mwh") + "expected at most"),
    Case("boundary-on-zone-bus", cell("boundary.csv", 1, "bus", "TYB500"), CHECK, 1,
         at("boundary.csv", 1, "bus") + r".*role boundary.*\(role zone\)"),
    Case("boundary-price-absurd", cell("boundary.csv", 1, "import_price_cny_per_mwh", "6e13"),
         CHECK, 1, at("boundary.csv", 1, "import_price_cny_per_mwh") + "expected a number <="),
    Case("corridor-to-zone", cell("export_corridor.csv", 1, "to_bus", "TYB500"), CHECK, 1,
         at("export_corridor.csv", 1, "to_bus") + r".*role export"),
    Case("corridor-loss", cell("export_corridor.csv", 1, "loss_per_1000km", "0.9"), CHECK, 1,
         at("export_corridor.csv", 1, "loss_per_1000km") + "expected a number <= 0.5"),
    Case("heat-area-m2", cell("heat_areas.csv", 1, "floor_area_mm2", times(1e6)), CHECK, 1,
         at("heat_areas.csv", 1, "floor_area_mm2") + "expected a number <= 2000 Mm2"),
    Case("heat-design-load", cell("heat_areas.csv", 1, "design_load_w_per_m2", "0"), CHECK, 1,
         at("heat_areas.csv", 1, "design_load_w_per_m2") + "expected a number >= 1"),
    Case("chp-cv", cell("chp.csv", 1, "c_v", "2"), CHECK, 1,
         at("chp.csv", 1, "c_v") + "expected a number <= 1"),
    Case("heat-supply-tech", cell("heat_supply.csv", 1, "technology", "fusion"), CHECK, 1,
         at("heat_supply.csv", 1, "technology") + "expected one of"),
    Case("heat-link-area", cell("heat_links.csv", 1, "bus0", "nowhere"), CHECK, 1,
         at("heat_links.csv", 1, "bus0") + "expected a area_id from heat_areas.csv"),
    Case("gas-ratio", cell("gas.csv", RATIO, "value", "0.5"), CHECK, 1,
         at("gas.csv", RATIO, "value") + r"expected a number >= 1 \(for parameter="),
    Case("gas-unit", cell("gas.csv", 1, "unit", "m3"), CHECK, 1,
         at("gas.csv", 1, "unit") + "expected"),
    Case("csv-empty", replace_file("data/buses.csv", b""), CHECK, 1,
         r"buses\.csv: the file is empty"),
    Case("csv-directory", replace_file("data/lines.csv", b"DIR"), CHECK, 1,
         r"lines\.csv: expected a CSV file, found a folder"),
    Case("csv-gbk", text_edit("data/counties.csv", lambda t: t, "gbk"), CHECK, 1,
         r"counties\.csv: not a readable UTF-8 CSV"),
    Case("csv-header-only", text_edit("data/plants.csv", lambda t: t.splitlines()[0] + "\n"),
         CHECK, 1, r"plants\.csv: no data rows"),
    Case("csv-missing-column", drop_column("fuels.csv", "price_cny_per_mwh_th"), CHECK, 1,
         r"fuels\.csv, column 'price_cny_per_mwh_th': missing column"),
    Case("csv-missing", replace_file("data/gas.csv", None), CHECK, 1,
         r"gas\.csv: file not found"),
    Case("csv-binary", replace_file("data/chp.csv", bytes(range(256)) * 8), CHECK, 1,
         r"chp\.csv: "),
    # --- scenarios.yaml -------------------------------------------------------------------
    Case("yaml-duplicate", yaml_append("base:\n  year: 2030\n"), CHECK, 1,
         r"scenarios\.yaml, line \d+: invalid YAML \(key 'base' given twice"),
    Case("yaml-gbk", text_edit("scenarios.yaml", lambda t: t + "\nx:\n  description: 太原－忻州\n",
                               "gbk"), CHECK, 1, r"scenarios\.yaml: not UTF-8 text"),
    Case("yaml-syntax", yaml_append("broken: [unclosed\n"), CHECK, 1,
         r"scenarios\.yaml, line \d+: invalid YAML"),
    Case("yaml-unknown-key", yaml_append("typo:\n  co2: {capp: 3}\n"),
         ("check", "-s", "typo"), 1, r"scenarios\.yaml \[typo\]: unknown key 'co2\.capp'"),
    Case("yaml-directory", replace_file("scenarios.yaml", b"DIR"), CHECK, 1,
         r"scenarios\.yaml: expected a YAML file, found a folder"),
    Case("yaml-export-bus", yaml_append("x:\n  export: {enabled: true, from_bus: XD500}\n"),
         ("check", "-s", "x"), 1,
         r"scenario 'x': 'export\.from_bus': expected a bus with role zone, got 'XD500'"),
    Case("yaml-export-option", yaml_append("x:\n  export: {enabled: true, options: [nope]}\n"),
         ("check", "-s", "x"), 1, r"'export\.options': unknown corridor option"),
    Case("yaml-credit", yaml_append("x:\n  policy: {reserve_credit: {gass: 0.9}}\n"),
         ("check", "-s", "x"), 1, r"'policy\.reserve_credit': .*unknown carrier 'gass'"),
    Case("yaml-not-mapping", replace_file("scenarios.yaml", b"- a\n- b\n"), CHECK, 1,
         r"scenarios\.yaml: expected a mapping of scenario name"),
    Case("yaml-bad-name", yaml_append("'../up': {}\n"), CHECK, 1,
         r"scenario name '\.\./up': expected a run name"),
    # --- --set (solve stops at validation) ------------------------------------------------
    Case("set-inf", None, ("solve", *SMALL, "--set", "co2.cap_mt=.inf"), 1,
         r"--set: 'co2\.cap_mt'"),
    Case("set-solver-option", None, ("solve", *SMALL, "--set", "solver.options.no_such=1"), 1,
         r"'solver\.options\.no_such': not a HiGHS option"),
    Case("set-threads", None, ("solve", *SMALL, "--set", "solver.options.threads=abc"), 1,
         r"'solver\.options\.threads': expected an integer, got 'abc'"),
    Case("set-io-api", None, ("solve", *SMALL, "--set", "solver.options.io_api=lp"), 1,
         r"'solver\.options\.io_api': not a HiGHS option"),
    Case("set-seg-too-short", None, ("solve", "--set", "snapshots_limit=48"), 1,
         r"resolution seg1095 needs at least 1095 hours but snapshots_limit is 48: use -r 1h"),
    Case("set-price", None, ("solve", *SMALL, "--set", "export.price_cny_per_mwh=1e12"), 1,
         r"'export\.price_cny_per_mwh': Input should be less than or equal to 5000"),
    Case("set-credit", None, ("solve", *SMALL, "--set", "policy.reserve_credit.coal=-1"), 1,
         r"credit of 'coal' must be within 0\.\.1"),
    Case("set-year", None, ("solve", *SMALL, "--set", "year=2040"), 1, r"--set: 'year'"),
    Case("set-no-equals", None, ("solve", *SMALL, "--set", "nonsense"), 1,
         r"--set 'nonsense': expected dotted\.key=value"),
    Case("set-voll", None, ("solve", *SMALL, "--set", "load_shedding.voll_cny_per_mwh=-5"), 1,
         r"'load_shedding\.voll_cny_per_mwh'"),
    # --- --out and --results (nothing outside results/, nothing deleted) --------------------
    *(Case(f"out-{i}", None, ("solve", *SMALL, "--out", out), 1,
           rf"--out '{out.replace('.', r'[.]')}': expected a run name")
      for i, out in enumerate([".", "..", "../x", "/tmp/abs-run", ".hidden", "a/b"])),
    Case("results-is-file", None, ("RESULTS=file", "solve", *SMALL), 1,
         r"cannot write .*: it is a file, not a folder"),
    Case("results-read-only", None, ("RESULTS=readonly", "solve", *SMALL), 1,
         r"cannot write .*(Operation not permitted|Permission denied|Read-only)"),
    # --- weather files and the station registry ---------------------------------------------
    Case("epw-missing-marker", epw_field(6, "99.9", count=744), CHECK, 1,
         rf"{TAIYUAN}, line 9, field 'temp_air' \(EPW column 7\): 99\.9 is the EPW missing"),
    Case("epw-nan", epw_field(21, "nan", first=100), CHECK, 1,
         r"line 100, field 'wind_speed' \(EPW column 22\): expected a number, got 'nan'"),
    Case("epw-truncated", text_edit(f"profiles/weather/{TAIYUAN}", lambda t: t[:len(t) // 3]),
         CHECK, 1, r"\d+ data lines, expected 8760"),
    Case("epw-range", epw_field(21, "60", first=50), CHECK, 1,
         r"line 50, field 'wind_speed'.*expected 0\.\.40 m/s, got 60"),
    Case("epw-missing", replace_file(f"profiles/weather/{TAIYUAN}", None), CHECK, 1,
         r"stations\.csv, row 1 \(line 2\), column 'file': weather file .* not found"),
    Case("stations-format", text_edit("profiles/weather/stations.csv",
                                      lambda t: t.replace(",epw,", ",xls,", 1)), CHECK, 1,
         r"stations\.csv, row 1 \(line 2\), column 'format': expected 'epw' or 'pvgis'"),
    Case("stations-missing", replace_file("profiles/weather/stations.csv", None), CHECK, 1,
         r"stations\.csv: station registry not found"),
    # --- the profile cache: damaged files are stale (rebuilt by solve), never a traceback ---
    Case("cache-truncated", cache_edit(lambda b: (b / "solar.parquet").write_bytes(b"PAR1")),
         CHECK, 0, r"to be rebuilt \(outputs changed \(damaged cache\): solar\.parquet\)"),
    Case("cache-manifest", cache_edit(lambda b: (b / "manifest.json").write_text("{oops")),
         CHECK, 0, r"to be rebuilt \(unreadable manifest\)"),
    Case("cache-manifest-list", cache_edit(lambda b: (b / "manifest.json").write_text("[]")),
         CHECK, 0, r"to be rebuilt \(unreadable manifest\)"),
    Case("cache-file-deleted", cache_edit(lambda b: (b / "wind.parquet").unlink()), CHECK, 0,
         r"to be rebuilt \(outputs missing: wind\.parquet\)"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An up-to-date profile cache (the one the tests of the session use)."""
    ensure_profiles(DATA, ROOT / "profiles", progress=False)
    return ROOT / "profiles" / "built"


def _case_folder(root: Path, case: Case, built: Path) -> dict[str, Path]:
    shutil.copytree(DATA, root / "data")
    weather = root / "profiles" / "weather"
    weather.mkdir(parents=True)
    for f in WEATHER.iterdir():
        (weather / f.name).symlink_to(f)
    if case.name.startswith("cache"):
        shutil.copytree(built, root / "profiles" / "built")
    shutil.copy(ROOT / "scenarios.yaml", root / "scenarios.yaml")
    results = root / "results"
    (results / "base").mkdir(parents=True)
    (results / "base" / "summary.json").write_text('{"status": "optimal"}')
    (results / "keep.txt").write_text("untouched")
    return {"data": root / "data", "profiles": root / "profiles", "results": results,
            "scenarios": root / "scenarios.yaml"}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"")
            for p in sorted(folder.rglob("*"))}


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mutation(case: Case, tmp_path: Path, built: Path) -> None:
    paths = _case_folder(tmp_path, case, built)
    if case.edit is not None:
        case.edit(tmp_path)
    args = list(case.args)
    results = paths["results"]
    if args[0] == "RESULTS=file":
        results = tmp_path / "results-file"
        results.write_text("a file")
        args.pop(0)
    elif args[0] == "RESULTS=readonly":
        args.pop(0)
        if os.geteuid() == 0:  # root writes through permissions: use a read-only file system
            results = Path("/sys/kernel")
        else:
            results = tmp_path / "ro"
            results.mkdir()
            results.chmod(0o555)
    before = _tree(paths["results"])
    outside = sorted(os.listdir(tmp_path))
    result = CliRunner().invoke(main, [
        "--data", str(paths["data"]), "--profiles-dir", str(paths["profiles"]),
        "--results", str(results), "--scenarios", str(paths["scenarios"]), "--store", "none",
        *args])  # the store's own failure handling: tests/store, tests/cli/test_store_cli.py
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exc_info}")
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.exit_code == case.code, result.output
    if case.code:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        text = lines[0]
    else:
        text = result.stdout
    assert re.search(case.message, text), text
    assert _tree(paths["results"]) == before  # results untouched
    assert sorted(os.listdir(tmp_path)) == outside  # nothing written beside it ...
    assert not Path("/tmp/abs-run").exists()  # ... or anywhere else an --out pointed


#: input mutations that ``check`` rejects and ``solve`` must reject the same way, before it
#: builds anything (``check`` used to pass 13 inputs that ``solve`` then failed on)
SAME_IN_SOLVE = ("demand-2040", "demand-row-missing", "county-on-export-bus", "costs-kw",
                 "boundary-arbitrage", "sites-station", "epw-missing-marker", "yaml-export-bus")


@pytest.mark.parametrize("case", [c for c in CASES if c.name in SAME_IN_SOLVE],
                         ids=list(SAME_IN_SOLVE))
def test_solve_rejects_what_check_rejects(case: Case, tmp_path: Path, built: Path) -> None:
    paths = _case_folder(tmp_path, case, built)
    case.edit(tmp_path)
    name = case.args[-1]
    before = _tree(paths["results"])
    result = CliRunner().invoke(main, [
        "--data", str(paths["data"]), "--profiles-dir", str(paths["profiles"]),
        "--results", str(paths["results"]), "--scenarios", str(paths["scenarios"]),
        "--store", "none", "solve", "-s", name, *SMALL])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()  # progress lines of the profile build, then
    assert [ln for ln in lines if ln.startswith("error: ")] == lines[-1:]  # one error line
    assert re.search(case.message, lines[-1]), result.stderr
    assert "Traceback" not in result.output
    assert _tree(paths["results"]) == before
