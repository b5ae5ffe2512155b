"""Time resolution of a network: resampling, segmentation, a partial year standing for a year.

:func:`set_resolution` applies a scenario's resolution with PyPSA's temporal clustering;
:func:`segment` is segmentation whose segment values keep each series' duration curve.

PyPSA's ``n.cluster.temporal.segment`` finds N variable-length segments of adjacent hours with
TSAM and gives each segment the **mean** of its hours. Averaging smooths away the peaks of load
and the troughs of wind and solar, so a segmented LP underestimates operating cost (Jensen: the
dispatch cost is convex in the net load). On ``base`` 2035 the mean values put ``seg730``
0.94 % below the hourly optimum and ``seg1460`` still 0.49 % below (benchmarks/README.md).

TSAM's ``Distribution(scope="global")`` representation keeps the segment boundaries but gives
each series the values that reproduce its duration curve over the whole year: the segments are
ranked by their mean, the hourly values are sorted, and each segment takes the mean of the
block of sorted hours matching its rank and length. The annual mean (energy) stays exact, every
value lies between the series' minimum and maximum, and the peaks and troughs survive.
TSAM 4's implementation of it loops in pandas (≈ 60 s for base's 52 series × 8,760 h), so
:func:`duration_values` does the same arithmetic in numpy; ``tests/test_segmentation.py``
checks it against TSAM's own result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import scipy.sparse as sp

from energy.config import SegmentRepresentation as Representation

HOURS_PER_YEAR = 8760.0

EXCLUDED_ATTRS = ("e_min_pu",)
"""Attributes PyPSA's ``segment`` leaves out of the clustering (its default ``exclude_attrs``)."""


def duration_values(hourly: np.ndarray, segment: np.ndarray, n_segments: int) -> np.ndarray:
    """Segment values that reproduce each column's duration curve.

    Parameters
    ----------
    hourly : numpy.ndarray
        Hourly values, shape (hours, columns) [any unit].
    segment : numpy.ndarray
        Segment number (0 … n_segments − 1) of every hour, shape (hours,); segments are runs of
        adjacent hours, but any grouping works.
    n_segments : int
        Number of segments.

    Returns
    -------
    numpy.ndarray
        Shape (n_segments, columns) [unit of ``hourly``]: for each column, the segments ranked
        by their mean (ties by segment number) take the means of consecutive blocks of the
        column's sorted hourly values, each block as long as its segment. Same as TSAM's
        ``Distribution(scope="global")`` segment representation.
    """
    hourly = np.asarray(hourly, dtype=float)
    length = np.bincount(segment, minlength=n_segments)
    sums = np.zeros((n_segments, hourly.shape[1]))
    np.add.at(sums, segment, hourly)
    means = np.round(sums / length[:, None], 10)
    rank_order = np.argsort(means, axis=0, kind="stable")  # segments, lowest mean first
    ends = np.cumsum(length[rank_order], axis=0)  # block end of each ranked segment [h]
    cumulative = np.vstack([np.zeros((1, hourly.shape[1])),
                            np.cumsum(np.sort(hourly, axis=0), axis=0)])
    block_sum = (np.take_along_axis(cumulative, ends, axis=0)
                 - np.take_along_axis(cumulative, ends - length[rank_order], axis=0))
    values = np.empty_like(block_sum)
    np.put_along_axis(values, rank_order, block_sum / length[rank_order], axis=0)
    return values


def segment_features(n: pypsa.Network) -> np.ndarray:
    """The hourly series that decide where segments fall, each scaled to [0, 1].

    Every time-varying input of the network except :data:`EXCLUDED_ATTRS` (what PyPSA's
    ``segment`` hands to TSAM), min-max scaled per column as TSAM does before clustering.

    Returns
    -------
    numpy.ndarray
        Shape (snapshots, series) [p.u.].
    """
    columns = [df.to_numpy(dtype=float) for c in n.components if not c.static.empty
               for attr, df in c.dynamic.items() if not df.empty and attr not in EXCLUDED_ATTRS]
    if not columns:
        raise ValueError("no time-varying data to segment")
    x = np.nan_to_num(np.hstack(columns))
    low, high = x.min(axis=0), x.max(axis=0)
    return (x - low) / np.where(high > low, high - low, 1.0)


def segment_starts(features: np.ndarray, n_segments: int) -> np.ndarray:
    """First hour of each of ``n_segments`` segments of adjacent hours.

    TSAM's segmentation: Ward clustering of the hours where only neighbouring hours may merge
    (scikit-learn's ``ward_tree`` with a chain connectivity), cut at ``n_segments``
    clusters. TSAM passes the connectivity as a dense hours x hours matrix (0.6 GB and
    ≈ 15 s for a year); here it is sparse (0.4 s), and the boundaries are the same
    (``tests/network/test_time.py``).

    Parameters
    ----------
    features : numpy.ndarray
        Shape (hours, series), e.g. :func:`segment_features`.
    n_segments : int
        Number of segments (1 … hours).

    Returns
    -------
    numpy.ndarray
        Ascending start hours, the first 0.
    """
    from sklearn.cluster import ward_tree
    from sklearn.cluster._agglomerative import _hc_cut

    hours = len(features)
    if not 1 <= n_segments <= hours:
        raise ValueError(f"n_segments must be within 1 … {hours}, got {n_segments}")
    if n_segments == hours:
        return np.arange(hours)
    if n_segments == 1:
        return np.zeros(1, dtype=int)
    chain = sp.diags([np.ones(hours - 1), np.ones(hours - 1)], [-1, 1], format="csr")
    children, _, leaves, _ = ward_tree(features, connectivity=chain, n_clusters=None)
    labels = _hc_cut(n_segments, children, leaves)
    return np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])


def segment(n: pypsa.Network, n_segments: int,
            representation: Representation = "duration",
            starts: np.ndarray | None = None) -> pypsa.Network:
    """Segment the year into ``n_segments`` TSAM segments.

    Parameters
    ----------
    n : pypsa.Network
        Network at hourly resolution.
    n_segments : int
        Number of segments.
    representation : {"duration", "mean"}
        ``"mean"``: each series takes the mean of the segment's hours (PyPSA's ``segment``).
        ``"duration"``: the same segments, with every time-varying series replaced by
        :func:`duration_values` of its hourly values.
    starts : numpy.ndarray, optional
        First hour of each segment (e.g. one segmentation shared by several years); default
        :func:`segment_starts` of the network's own series.

    Returns
    -------
    pypsa.Network
        The segmented network; snapshot weightings carry each segment's length [h].
    """
    if starts is None:
        starts = segment_starts(segment_features(n), n_segments)
    starts = np.asarray(starts, dtype=int)
    hours = len(n.snapshots)
    length = np.diff(np.append(starts, hours))
    segment_of_hour = np.repeat(np.arange(len(starts)), length)
    m = n.copy()
    m.set_snapshots(n.snapshots[starts])
    m.snapshot_weightings = pd.DataFrame(
        {col: length.astype(float) for col in n.snapshot_weightings.columns}, index=m.snapshots)
    for c in n.components:
        if c.static.empty:
            continue
        for attr, df in c.dynamic.items():
            if df.empty or attr in EXCLUDED_ATTRS:
                continue
            hourly = df.to_numpy(dtype=float)
            if representation == "mean":
                sums = np.zeros((len(starts), hourly.shape[1]))
                np.add.at(sums, segment_of_hour, hourly)
                values = sums / length[:, None]
            else:
                values = duration_values(hourly, segment_of_hour, len(starts))
            m.c[c.name].dynamic[attr] = pd.DataFrame(values, index=m.snapshots,
                                                     columns=df.columns)
    return m


def set_resolution(n: pypsa.Network, resolution: str,
                   representation: Representation = "duration",
                   starts: np.ndarray | None = None) -> pypsa.Network:
    """Apply the scenario's time resolution with PyPSA's temporal clustering.

    Parameters
    ----------
    n : pypsa.Network
        Network at hourly resolution.
    resolution : str
        ``"1h"`` (unchanged), ``"<k>h"`` (``n.cluster.temporal.resample``) or ``"seg<N>"``
        (N variable-length TSAM segments, :func:`segment`).
    representation : {"duration", "mean"}
        Values of a segment (``seg<N>`` only): ``"duration"`` keeps each series' duration
        curve, ``"mean"`` takes the segment mean (PyPSA's default).
    starts : numpy.ndarray, optional
        ``seg<N>`` only: the first hour of each segment (one segmentation shared by several
        years, :func:`segment`); default the network's own.

    Returns
    -------
    pypsa.Network
        A network whose snapshot weightings carry the hours each snapshot stands for.
    """
    if resolution == "1h":
        return n
    if resolution.startswith("seg"):
        return segment(n, int(resolution[3:]), representation, starts=starts)
    return n.cluster.temporal.resample(resolution)


def represent_full_year(n: pypsa.Network) -> None:
    """Let a partial year (``snapshots_limit``) stand for a whole year.

    Objective and generator weightings are scaled by 8,760 h / modelled hours, so operating
    costs, energy and emissions are annual [per a] and comparable with annualised capital costs
    and an annual CO2 cap. Store weightings stay as they are: state-of-charge physics is hourly.
    """
    w = n.snapshot_weightings.copy()
    if isinstance(w.index, pd.MultiIndex):  # investment periods: one year per period
        hours = w.objective.groupby(level=0).transform("sum")
    else:
        hours = pd.Series(float(w.objective.sum()), index=w.index)
    factor = (HOURS_PER_YEAR / hours).where(hours < HOURS_PER_YEAR - 1e-6, 1.0)
    for col in ("objective", "generators"):
        w[col] = w[col] * factor
    n.snapshot_weightings = w
