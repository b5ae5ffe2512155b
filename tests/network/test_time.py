"""Segment values that keep duration curves (energy.network.time)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest
import tsam

from energy.network.time import duration_values, segment, segment_features, segment_starts


@pytest.fixture
def series() -> pd.DataFrame:
    """Three hourly series over ten days: a random walk, a sine and a step [p.u.]."""
    rng = np.random.default_rng(7)
    hours = np.arange(240)
    return pd.DataFrame({
        "walk": rng.random(240).cumsum() % 1.0,
        "sine": np.sin(hours / 7.0) ** 2,
        "step": (hours % 48 < 12).astype(float),
    })


def test_duration_values_match_tsam(series: pd.DataFrame) -> None:
    """Same segment values as TSAM's own Distribution(scope="global") representation."""
    result = tsam.aggregate(
        series, n_clusters=1, period_duration=len(series),
        segments=tsam.SegmentConfig(n_segments=30,
                                    representation=tsam.Distribution(scope="global")),
    )
    expected = result.cluster_representatives
    length = expected.index.get_level_values("Segment Duration").to_numpy()
    segment = np.repeat(np.arange(len(length)), length)
    values = duration_values(series.to_numpy(), segment, len(length))
    np.testing.assert_allclose(values, expected.to_numpy(), atol=1e-12)


def test_duration_values_keep_energy_bounds_and_curve(series: pd.DataFrame) -> None:
    """Annual mean exact, values within [min, max], peak above the segment-mean peak."""
    segment = np.repeat(np.arange(40), 6)  # 40 segments of 6 h
    length = np.full(40, 6)
    values = duration_values(series.to_numpy(), segment, 40)
    hourly = series.to_numpy()
    np.testing.assert_allclose((values * length[:, None]).sum(axis=0), hourly.sum(axis=0))
    assert (values >= hourly.min(axis=0) - 1e-12).all()
    assert (values <= hourly.max(axis=0) + 1e-12).all()
    means = series.groupby(segment).mean().to_numpy()
    assert (values.max(axis=0) >= means.max(axis=0) - 1e-12).all()
    assert values[:, 0].max() > means[:, 0].max() + 0.05  # the walk's peak survives
    # the duration curve of the segments is the hourly one, averaged in blocks of 6 h
    block = np.sort(hourly, axis=0).reshape(40, 6, 3).mean(axis=1)
    np.testing.assert_allclose(np.sort(values, axis=0), block, atol=1e-12)


def _toy(series: pd.DataFrame) -> pypsa.Network:
    """One bus: a load following ``walk`` [MW] and a wind generator with ``sine`` [p.u.]."""
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=len(series), freq="h"))
    n.add("Bus", "b")
    n.add("Load", "demand", bus="b", p_set=100.0 + 50.0 * series["walk"].to_numpy())
    n.add("Generator", "wind", bus="b", p_nom_extendable=True,
          p_max_pu=series["sine"].to_numpy(), capital_cost=1.0)
    return n


def test_network_segments_share_boundaries_and_keep_energy(series: pd.DataFrame) -> None:
    """Both representations: same segments; duration values keep energy, bounds and the peak."""
    n = _toy(series)
    by_mean = segment(n, 30, "mean")
    by_curve = segment(n, 30, "duration")
    pd.testing.assert_frame_equal(by_mean.snapshot_weightings, by_curve.snapshot_weightings)
    weights = by_curve.snapshot_weightings.generators
    for m in (by_mean, by_curve):
        energy = m.loads_t.p_set.mul(weights, axis=0).sum()
        np.testing.assert_allclose(energy, n.loads_t.p_set.sum())
    p_max_pu = by_curve.generators_t.p_max_pu["wind"]
    assert p_max_pu.between(0.0, 1.0).all()
    assert p_max_pu.max() > by_mean.generators_t.p_max_pu["wind"].max()
    assert by_curve.loads_t.p_set["demand"].max() > by_mean.loads_t.p_set["demand"].max()
    assert weights.sum() == len(series)


def test_segments_are_tsams_and_mean_values_pypsas(series: pd.DataFrame) -> None:
    """Same boundaries as PyPSA's segment (TSAM's Ward clustering), same segment means."""
    n = _toy(series)
    reference = n.cluster.temporal.segment(30)
    mine = segment(n, 30, "mean")
    pd.testing.assert_index_equal(mine.snapshots, reference.snapshots)
    pd.testing.assert_frame_equal(mine.snapshot_weightings, reference.snapshot_weightings,
                                  check_dtype=False)
    for attr in ("p_max_pu",):
        pd.testing.assert_frame_equal(mine.generators_t[attr], reference.generators_t[attr],
                                      check_dtype=False, atol=1e-12, check_freq=False)
    pd.testing.assert_frame_equal(mine.loads_t.p_set, reference.loads_t.p_set,
                                  check_dtype=False, atol=1e-12, check_freq=False)


def test_segment_starts_cut_one_tree(series: pd.DataFrame) -> None:
    """Fewer segments merge whole segments of a finer cut (one Ward tree), starting at 0."""
    features = segment_features(_toy(series))
    fine, coarse = segment_starts(features, 60), segment_starts(features, 15)
    assert fine[0] == coarse[0] == 0 and len(fine) == 60 and len(coarse) == 15
    assert set(coarse) <= set(fine)
    np.testing.assert_array_equal(segment_starts(features, 240), np.arange(240))
