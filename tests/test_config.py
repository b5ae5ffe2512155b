from pathlib import Path

import pytest
import yaml

from energy.config import ConfigError, Scenario, resolve_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios.yaml"


def test_defaults_are_the_base_scenario():
    s = resolve_scenario("base", SCENARIOS)
    assert s.year == 2035
    assert s.name == "base"
    assert s.technologies.new_coal is False


def test_named_scenario_overrides_defaults():
    s = resolve_scenario("base-hourly", SCENARIOS)
    assert s.resolution == "1h"
    assert s.discount_rate == Scenario().discount_rate


def test_cli_override_sets_nested_value_with_yaml_typing():
    s = resolve_scenario("base", SCENARIOS, ["co2.cap_mt=12.5", "technologies.battery=false"])
    assert s.co2.cap_mt == 12.5
    assert s.technologies.battery is False


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("co2.cap_gt=3", "unknown key 'co2.cap_gt'"),
        ("year=2040", "'year'"),
        ("discount_rate=abc", "'discount_rate'"),
        ("resolution=weekly", "'resolution'"),
        ("nonsense", "expected dotted.key=value"),
    ],
)
def test_bad_override_is_a_one_line_error(override, message):
    with pytest.raises(ConfigError, match=message) as err:
        resolve_scenario("base", SCENARIOS, [override])
    assert "\n" not in str(err.value)


def test_unknown_scenario_names_the_known_ones():
    with pytest.raises(ConfigError, match="unknown scenario 'nope'.*base"):
        resolve_scenario("nope", SCENARIOS)


def test_unknown_key_in_scenarios_file_is_an_error(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("x:\n  co2:\n    capp: 1\n")
    with pytest.raises(ConfigError, match="unknown key 'co2.capp'"):
        resolve_scenario("x", bad)


def test_resolved_config_round_trips_through_yaml():
    s = resolve_scenario("co2-price-200", SCENARIOS, ["snapshots_limit=24"], "1h")
    again = Scenario.model_validate(yaml.safe_load(s.to_yaml()))
    assert again == s


# --- issue #21: configuration that used to pass silently or end in a traceback ---------------


def test_scenario_defined_twice_is_an_error(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("base:\n  year: 2030\nother: {}\nbase:\n  year: 2025\n")
    with pytest.raises(ConfigError, match=r"s.yaml, line 4: invalid YAML \(key 'base' given "
                       r"twice \(lines 1 and 4\)\)"):
        resolve_scenario("base", bad)


def test_nested_duplicate_key_is_an_error(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("base:\n  co2:\n    cap_mt: 10\n    cap_mt: 20\n")
    with pytest.raises(ConfigError, match="key 'cap_mt' given twice"):
        resolve_scenario("base", bad)


def test_gbk_encoded_scenarios_file_is_one_line(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_bytes("base:\n  description: 太原－忻州一体化经济区\n".encode("gbk"))
    with pytest.raises(ConfigError, match=r"s.yaml: not UTF-8 text \(byte \d+\); save it as UTF-8"):
        resolve_scenario("base", bad)


def test_scenarios_path_that_is_a_folder_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match="expected a YAML file, found a folder"):
        resolve_scenario("base", tmp_path)


@pytest.mark.parametrize(("override", "message"), [
    ("policy.reserve_credit.coal=-0.5", "credit of 'coal' must be within 0..1"),
    ("policy.reserve_credit.caol=0.9", "unknown carrier 'caol'"),
    ("co2.cap_mt=.inf", "'co2.cap_mt'"),
    ("co2.price_cny_per_t=.nan", "'co2.price_cny_per_t'"),
    ("co2.price_cny_per_t=1e9", "'co2.price_cny_per_t': Input should be less than or equal to"),
    ("export.price_cny_per_mwh=1e12", "'export.price_cny_per_mwh'"),
    ("load_shedding.voll_cny_per_mwh=1e300", "'load_shedding.voll_cny_per_mwh'"),
    ("gas.import_price_cny_per_m3=3000", "'gas.import_price_cny_per_m3'"),
])
def test_absurd_or_unknown_settings_are_errors(override, message):
    with pytest.raises(ConfigError, match=message) as err:
        resolve_scenario("base", SCENARIOS, [override])
    assert str(err.value).startswith("--set") and "\n" not in str(err.value)


def test_segments_need_as_many_hours_as_segments():
    """`--set snapshots_limit=48` on the seg1095 default used to crash inside TSAM."""
    with pytest.raises(ConfigError, match="resolution seg1095 needs at least 1095 hours but "
                       "snapshots_limit is 48: use -r 1h"):
        resolve_scenario("base", SCENARIOS, ["snapshots_limit=48"])
    assert resolve_scenario("base", SCENARIOS, ["snapshots_limit=48"], "1h").resolution == "1h"
    short = resolve_scenario("base", SCENARIOS, ["snapshots_limit=48"], "seg24")
    assert short.snapshots_limit == 48


@pytest.mark.parametrize("name", [".", "..", "../x", "/tmp/x", "a/b", ".hidden", "", "a\\b"])
def test_run_names_are_plain_folder_names(name):
    from energy.config import check_run_name

    with pytest.raises(ConfigError, match="expected a run name"):
        check_run_name(name)
    assert check_run_name("base--co2.cap_mt=10") == "base--co2.cap_mt=10"


def test_scenario_name_must_be_a_run_name(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("'../escape': {}\n")
    with pytest.raises(ConfigError, match="scenario name '../escape': expected a run name"):
        resolve_scenario("../escape", bad)
