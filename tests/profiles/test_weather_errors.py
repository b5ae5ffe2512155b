"""Issue #21: weather files with missing markers, NaN, truncation or bad values are errors
naming file, line and field; station mistakes and damaged caches are one line too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from energy.inputs import InputError
from energy.pipeline import ROOT
from energy.profiles.cache import CacheError, load_profiles, stale_reason
from energy.profiles.epw import check_epw
from energy.profiles.sources import check_profile_inputs

WEATHER = ROOT / "profiles" / "weather"
TAIYUAN = "CHN_Shanxi.Taiyuan.537720_CSWD.epw"


@pytest.fixture()
def profiles(tmp_path: Path) -> Path:
    """A profiles folder whose weather files are links to the shipped ones (edit = replace)."""
    wdir = tmp_path / "profiles" / "weather"
    wdir.mkdir(parents=True)
    for f in WEATHER.iterdir():
        (wdir / f.name).symlink_to(f)
    return tmp_path / "profiles"


def own(profiles: Path, name: str) -> Path:
    """Replace the link of a weather file by a copy that may be edited."""
    path = profiles / "weather" / name
    path.unlink()
    shutil.copy(WEATHER / name, path)
    return path


def set_field(path: Path, line: int, field: int, value: str, count: int = 1) -> None:
    """Set EPW field ``field`` (0-based) on ``count`` lines from ``line`` (1-based)."""
    lines = path.read_text(encoding="latin-1").splitlines()
    for k in range(line - 1, line - 1 + count):
        parts = lines[k].split(",")
        parts[field] = value
        lines[k] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")


@pytest.mark.parametrize(("field", "value", "expected"), [
    (6, "99.9", r"line 20, field 'temp_air' \(EPW column 7\): 99.9 is the EPW missing-value "
                r"marker \(744 such hours\)"),
    (6, "nan", r"line 20, field 'temp_air' \(EPW column 7\): expected a number, got 'nan'"),
    (6, "", r"line 20, field 'temp_air' \(EPW column 7\): empty"),
    (21, "999", r"line 20, field 'wind_speed' \(EPW column 22\): 999 is the EPW missing"),
    (9, "999999", r"line 20, field 'atmospheric_pressure'.*missing-value marker"),
    (13, "9999", r"line 20, field 'ghi'.*missing-value marker"),
    (6, "-95", r"line 20, field 'temp_air' \(EPW column 7\): expected -70..70 degC, got -95"),
    (13, "-5", r"line 20, field 'ghi'.*expected 0..1600 Wh/m2, got -5"),
])
def test_bad_epw_field_names_file_line_and_field(profiles: Path, field: int, value: str,
                                                 expected: str) -> None:
    path = own(profiles, TAIYUAN)
    # a whole January of it from line 20 on (the case: 99.9 degC for all of January)
    set_field(path, 20, field, value, count=744 if value == "99.9" else 1)
    with pytest.raises(InputError, match=rf"^{path}, {expected}"):
        check_epw(path)
    with pytest.raises(InputError, match=expected):  # ``check`` and the build run the same
        check_profile_inputs(ROOT / "network_data", profiles)


def test_truncated_epw_is_an_error(profiles: Path) -> None:
    path = own(profiles, TAIYUAN)
    text = path.read_text(encoding="latin-1")
    path.write_text(text[: len(text) // 2], encoding="latin-1")  # cut mid-line
    with pytest.raises(InputError, match=rf"{path}: 43\d\d data lines, expected 8760 .*truncated"):
        check_profile_inputs(ROOT / "network_data", profiles)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: p.unlink(), "column 'file': weather file .* not found"),
    (lambda p: (p.unlink(), p.mkdir()), "column 'file': weather file .* not found"),
])
def test_missing_weather_file_is_one_line(profiles: Path, make, expected: str) -> None:  # noqa: ANN001
    make(profiles / "weather" / TAIYUAN)
    with pytest.raises(InputError, match=rf"stations.csv, row 1 \(line 2\), {expected}"):
        check_profile_inputs(ROOT / "network_data", profiles)


def test_unknown_weather_station_names_the_row(profiles: Path, data_copy: Path) -> None:
    df = pd.read_csv(data_copy / "renewable_sites.csv", dtype=str, keep_default_na=False)
    df.loc[2, "weather_station"] = "taiyaun"
    df.to_csv(data_copy / "renewable_sites.csv", index=False)
    with pytest.raises(InputError, match=r"renewable_sites.csv, row 3 \(line 4\), column "
                       r"'weather_station': expected a station of stations.csv \(taiyuan, .*\), "
                       "got 'taiyaun'"):
        check_profile_inputs(data_copy, profiles)


def test_bad_station_registry_is_one_line(profiles: Path) -> None:
    reg = profiles / "weather" / "stations.csv"
    text = reg.read_text(encoding="utf-8")
    reg.unlink()
    reg.write_text(text.replace(",epw,0,yes,", ",wav,0,yes,", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"stations.csv, row 1 \(line 2\), column 'format': "
                       "expected 'epw' or 'pvgis', got 'wav'"):
        check_profile_inputs(ROOT / "network_data", profiles)


def test_damaged_cache_file_is_stale_and_unreadable_one_line(tmp_path: Path) -> None:
    built = ROOT / "profiles" / "built"
    if not (built / "manifest.json").is_file() or "outputs" not in json.loads(
            (built / "manifest.json").read_text()):
        pytest.skip("needs profiles built by this version (python run.py profiles)")
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "weather").symlink_to(WEATHER)
    shutil.copytree(built, profiles / "built")
    assert stale_reason(ROOT / "network_data", profiles) is None
    solar = profiles / "built" / "solar.parquet"
    solar.write_bytes(solar.read_bytes()[:1000])  # truncated by a crash or a full disk
    assert stale_reason(ROOT / "network_data", profiles) == (
        "outputs changed (damaged cache): solar.parquet")  # so solve rebuilds it
    with pytest.raises(CacheError, match=rf"{solar}: unreadable profile cache file .*profiles "
                       "--force"):
        load_profiles(profiles)
    (profiles / "built" / "manifest.json").write_text("{not json")
    assert stale_reason(ROOT / "network_data", profiles) == "unreadable manifest"
    with pytest.raises(CacheError, match="unreadable profile manifest"):
        load_profiles(profiles)


def test_zero_demand_county_gets_a_zero_load_shape() -> None:
    """A county with no demand (annual 0, peak 0) used to crash the profile build."""
    from energy.profiles.load import scale_affine

    shape = pd.Series([1.0, 2.0, 3.0])
    assert scale_affine(shape, 0.0, 0.0).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="must exceed the mean load"):
        scale_affine(shape, 3.0, 1.0)


def test_unreadable_csv_is_one_line(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied (root reads anything, so the refusal is simulated)."""
    from energy.inputs import load_inputs

    real = pd.read_csv

    def refuse(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(path).name == "plants.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", refuse)
    with pytest.raises(InputError, match=r"^plants.csv: cannot read \(Permission denied\)$"):
        load_inputs(data_copy)
