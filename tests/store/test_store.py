"""The results store on SQLite and PostgreSQL: record, versions, atomicity, import, read back."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from energy.pipeline import ROOT
from energy.store import (
    StoreError,
    grid,
    import_folders,
    load,
    open_store,
    record_failure,
    record_reference,
    record_run,
    run_tables,
)
from energy.store import record as record_module
from tests.store_helpers import make_run, make_uncertainty

NETWORK_DATA = ROOT / "network_data"


def _count(url: str, table: str) -> int:
    with sa.create_engine(url, poolclass=sa.NullPool).connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar())


def test_record_reads_back_every_value(store_url: str, tmp_path: Path) -> None:
    folder = make_run(tmp_path / "base", "base", wind_mw=1_234.0)
    stored = record_run(folder, store_url, network_data=NETWORK_DATA)
    assert stored.version == 1
    data = load(store_url)
    feed = pd.read_csv(folder / "iamc.csv")
    got = data.iamc.set_index("variable").value
    for row in feed.itertuples():
        assert got[row.variable] == pytest.approx(row.value), row.variable
    assert got["Capacity|Electricity|Wind|Onshore"] == pytest.approx(1_234.0)
    assert got["Share|Heat|Clean"] == pytest.approx(80.0)  # derived from summary.json
    run = data.runs.iloc[0]
    assert (run.scenario, run.status, run.kind, run.config_hash) == ("base", "optimal",
                                                                     "solve", "c0ffee")
    assert run.system_cost == pytest.approx(6.0e9)
    targets = pd.read_csv(NETWORK_DATA / "targets.csv")
    actuals = pd.read_csv(NETWORK_DATA / "actuals.csv")
    assert len(data.plan) == len(targets) and len(data.actuals) == len(actuals)
    assert set(data.plan.source) == set(targets.source)
    assert len(data.counties) == 12
    buses, branches = grid(store_url, stored.run_id)
    assert list(buses.bus) == ["A", "B", "X"]
    assert branches.set_index("branch").expanded["corridor"] == pytest.approx(4_000.0)


def test_rerun_is_a_new_version_and_old_versions_stay(store_url: str, tmp_path: Path) -> None:
    first = record_run(make_run(tmp_path / "a" / "base", "base", wind_mw=1_000.0), store_url)
    second = record_run(make_run(tmp_path / "b" / "base", "base", wind_mw=2_000.0), store_url)
    assert (first.version, second.version) == (1, 2)
    data = load(store_url)
    assert data.runs.set_index("version").is_default.to_dict() == {1: False, 2: True}
    wind = data.iamc[data.iamc.variable == "Capacity|Electricity|Wind|Onshore"]
    assert wind.value.tolist() == [2_000.0]  # readers see the default version
    with sa.create_engine(store_url, poolclass=sa.NullPool).connect() as conn:
        old = conn.execute(sa.text(
            "SELECT value FROM taixin_iamc WHERE version = 1 AND "
            "variable = 'Capacity|Electricity|Wind|Onshore'")).scalar()
    assert old == 1_000.0


def test_failed_write_leaves_nothing(store_url: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    record_run(make_run(tmp_path / "ok", "base"), store_url)
    before = {t: _count(store_url, t) for t in ("run", "iamc_datapoint_universal",
                                                 "runmetaentry", "taixin_bus")}

    def broken(run_id: int, frame: object) -> list:
        raise RuntimeError("disk full")  # after ixmp4 has written the run's data points

    monkeypatch.setattr(record_module, "_table_rows", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        record_run(make_run(tmp_path / "bad", "base", wind_mw=9_999.0), store_url)
    after = {t: _count(store_url, t) for t in before}
    assert after == before
    assert load(store_url).runs.version.tolist() == [1]


def test_failed_solve_is_listed_but_never_the_default(store_url: str, tmp_path: Path) -> None:
    record_run(make_run(tmp_path / "base", "base"), store_url)
    record_failure(store_url, "base", "infeasible: no solution", {"kind": "solve",
                                                                   "status": "failed"})
    runs = load(store_url).runs.set_index("version")
    assert runs.loc[2, "status"] == "failed" and not runs.loc[2, "is_default"]
    assert runs.loc[1, "is_default"]
    assert "infeasible" in runs.loc[2, "reason"]


def test_reference_is_written_only_when_it_changed(store_url: str, tmp_path: Path) -> None:
    data = tmp_path / "network_data"
    data.mkdir()
    for name in ("targets.csv", "actuals.csv", "counties.csv"):
        (data / name).write_bytes((NETWORK_DATA / name).read_bytes())
    assert record_reference(store_url, data) is True
    assert record_reference(store_url, data) is False
    text = (data / "actuals.csv").read_text().replace(",2024,13.43,", ",2024,13.5,")
    (data / "actuals.csv").write_text(text)
    assert record_reference(store_url, data) is True
    cbm = load(store_url).actuals.set_index(["indicator_id", "year"]).value
    assert cbm[("shanxi_cbm_output", 2024)] == 13.5


def test_import_rebuilds_the_store_from_folders(store_url: str, tmp_path: Path) -> None:
    results = tmp_path / "results"
    for name, wind in (("base", 1_000.0), ("base-cap20", 3_000.0)):
        make_run(results / name, name, wind_mw=wind)
    (results / "report.html").write_text("<html/>")
    (results / "empty").mkdir()
    report = import_folders(store_url, results.iterdir(), NETWORK_DATA)
    assert sorted(report.recorded) == ["base", "base-cap20"]
    assert sorted(report.skipped) == ["empty", "report.html"] and report.reference
    again = import_folders(store_url, results.iterdir(), NETWORK_DATA)
    assert again.recorded == [] and sorted(again.present) == ["base", "base-cap20"]
    data = load(store_url)
    wind = data.iamc[data.iamc.variable == "Capacity|Electricity|Wind|Onshore"]
    assert wind.set_index("scenario").value.to_dict() == {"base": 1_000.0,
                                                          "base-cap20": 3_000.0}


def test_older_schema_version_is_refused_with_one_line(store_url: str, tmp_path: Path) -> None:
    record_run(make_run(tmp_path / "base", "base"), store_url)
    with sa.create_engine(store_url, poolclass=sa.NullPool).begin() as conn:
        conn.exec_driver_sql("UPDATE taixin_info SET value = '0.9' WHERE key = "
                             "'schema_version'")
    for call in (lambda: open_store(store_url), lambda: load(store_url),
                 lambda: record_run(tmp_path / "base", store_url)):
        with pytest.raises(StoreError) as err:
            call()
        assert "older schema version (0.9" in str(err.value)
        assert "\n" not in str(err.value)


def _writer(url: str, root: str, tag: str, count: int) -> None:
    for i in range(count):
        folder = make_run(Path(root) / f"{tag}{i}" / "shared", "shared", wind_mw=100.0 * i)
        record_run(folder, url)


def test_two_concurrent_writers_lose_nothing(store_url: str, tmp_path: Path) -> None:
    count = 2
    ctx = multiprocessing.get_context("fork")  # ixmp4 is imported already: fast start
    writers = [ctx.Process(target=_writer, args=(store_url, str(tmp_path), tag, count))
               for tag in ("a", "b")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=300)
    assert [w.exitcode for w in writers] == [0, 0]
    runs = load(store_url).runs
    assert sorted(runs.version) == list(range(1, 2 * count + 1))
    assert runs.is_default.sum() == 1
    per_run = _count(store_url, "iamc_datapoint_universal") / (2 * count)
    assert per_run == len(pd.read_csv(tmp_path / "a0" / "shared" / "iamc.csv")) + 2


def test_third_party_reads_the_store_as_the_readme_shows(store_url: str,
                                                         tmp_path: Path) -> None:
    pytest.importorskip("pyam")
    folder = make_run(tmp_path / "base", "base", wind_mw=1_500.0)
    record_run(folder, store_url)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, re.S)
                 if "read_ixmp4" in b)
    assert 'url = "sqlite:///results/store.sqlite3"' in block
    namespace: dict = {}
    exec(block.replace("sqlite:///results/store.sqlite3", store_url), namespace)  # noqa: S102
    df, rows = namespace["df"], namespace["rows"]
    wind = df.filter(variable="Capacity|Electricity|Wind|Onshore").timeseries()
    assert wind.iloc[0, 0] == pytest.approx(1_500.0)
    assert df.meta.loc[("taixin-energy", "base"), "config_hash"] == "c0ffee"
    costs = {variable: value for _, variable, _, _, value in rows}
    feed = pd.read_csv(folder / "iamc.csv").set_index("variable").value
    assert costs == pytest.approx({v: feed[v] for v in costs})
    assert "Cost|Total System" in costs


def test_validate_folder_with_a_second_model_is_recorded_together(store_url: str,
                                                                  tmp_path: Path) -> None:
    folder = make_run(tmp_path / "validate-2024", "validate-2024", year=2024)
    feed = pd.read_csv(folder / "iamc.csv")
    check = pd.DataFrame([{"model": "Validation", "scenario": "validate-2024",
                           "region": "Shanxi", "variable": "Share|Generation|Coal",
                           "unit": "%", "year": 2024, "value": 70.0}])
    pd.concat([feed, check]).to_csv(folder / "iamc.csv", index=False)
    record_run(folder, store_url, kind="validate")
    with sa.create_engine(store_url, poolclass=sa.NullPool).connect() as conn:
        rows = conn.execute(sa.text("SELECT model, scenario, region, value FROM taixin_iamc "
                                    "WHERE model = 'Validation'")).all()
        kinds = conn.execute(sa.text("SELECT DISTINCT model, value FROM taixin_meta "
                                     "WHERE key = 'kind'")).all()
    assert [tuple(r) for r in rows] == [("Validation", "validate-2024", "Shanxi", 70.0)]
    assert sorted(tuple(k) for k in kinds) == [("Validation", "validate"),
                                                ("taixin-energy", "validate")]


def test_inputs_and_near_optimal_ranges_of_a_run_are_recorded(store_url: str,
                                                              tmp_path: Path) -> None:
    folder = make_run(tmp_path / "base", "base", wind_mw=1_000.0)
    stored = record_run(folder, store_url)
    got = load(store_url).iamc.set_index("variable").value
    assert got["Near-Optimal|Onshore wind|Optimum"] == pytest.approx(1_000.0)
    assert got["Near-Optimal|Onshore wind|Min|2%"] == pytest.approx(800.0)
    assert got["Near-Optimal|Battery energy|Max|2%"] == pytest.approx(900.0)
    tables = run_tables(store_url, stored.run_id)
    headline = tables["taixin_headline_source"].iloc[0]
    assert (headline.figure, headline.sources, headline.low_share) == ("system cost",
                                                                      "S04;S66", 0.5)
    binding = tables["taixin_binding_input"].iloc[0]
    assert (binding.file, binding.row, binding.dual) == ("renewable_sites.csv", "wind_north",
                                                         -95_000.0)
    assert dict(zip(tables["taixin_source"].source, tables["taixin_source"].title,
                    strict=True))["S66"] == "Shanxi statistics"


def test_uncertainty_analysis_is_recorded_as_percentiles_and_ranking(store_url: str,
                                                                     tmp_path: Path) -> None:
    folder = make_uncertainty(tmp_path / "uncertainty-base", "base")
    stored = record_run(folder, store_url)
    data = load(store_url)
    run = data.runs.set_index("run_id").loc[stored.run_id]
    assert (run.kind, run.scenario, run.resolution, run.samples) == (
        "uncertainty", "uncertainty-base", "seg182", "4")
    got = data.iamc[data.iamc.scenario == "uncertainty-base"].set_index("variable")
    assert got.value["Uncertainty|Capacity|onwind|P5"] == pytest.approx(7_000.0)
    assert got.value["Uncertainty|System Cost|P95"] == pytest.approx(12.0e9)
    assert got.unit["Uncertainty|System Cost|Base"] == "CNY/a"
    assert not got.index.str.contains("bus_a").any()  # per-bus metrics stay in the folder
    ranking = run_tables(store_url, stored.run_id)["taixin_influence"]
    assert list(ranking.factor) == ["demand_2035", "wind_potential"]
    assert bool(ranking.significant.iloc[0]) and ranking.value.iloc[0] == pytest.approx(0.72)
    assert import_folders(store_url, [folder]).present == ["uncertainty-base"]  # not twice


def test_run_recorded_before_its_rename_is_not_imported_again(store_url: str,
                                                               tmp_path: Path) -> None:
    # the pipeline records the temporary folder, then renames it into place
    temporary = make_run(tmp_path / ".base.tmp-1", "base")
    final = tmp_path / "base"
    record_run(temporary, store_url, name="base", final=final)
    temporary.rename(final)
    report = import_folders(store_url, [final])
    assert (report.present, report.recorded) == (["base"], [])
