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
    s = resolve_scenario("co2-price-200", SCENARIOS, ["snapshots_limit=24"])
    again = Scenario.model_validate(yaml.safe_load(s.to_yaml()))
    assert again == s
