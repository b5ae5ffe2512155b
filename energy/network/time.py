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


def segment(n: pypsa.Network, n_segments: int,
            representation: Representation = "duration") -> pypsa.Network:
    """Segment the year into ``n_segments`` TSAM segments.

    Parameters
    ----------
    n : pypsa.Network
        Network at hourly resolution.
    n_segments : int
        Number of segments.
    representation : {"duration", "mean"}
        ``"mean"``: PyPSA's ``n.cluster.temporal.segment`` unchanged (segment means).
        ``"duration"``: the same segments, with every time-varying series replaced by
        :func:`duration_values` of its hourly values.

    Returns
    -------
    pypsa.Network
        The segmented network; snapshot weightings carry each segment's length [h].
    """
    clustered = n.cluster.temporal.get_segment_result(n_segments)
    m = clustered.n
    if representation == "mean":
        return m
    segment_of_hour = m.snapshots.get_indexer(clustered.snapshot_map.to_numpy())
    for c in n.components:
        if c.static.empty:
            continue
        for attr, df in c.dynamic.items():
            if df.empty or attr in EXCLUDED_ATTRS:
                continue
            values = duration_values(df.to_numpy(), segment_of_hour, len(m.snapshots))
            m.c[c.name].dynamic[attr] = pd.DataFrame(values, index=m.snapshots,
                                                     columns=df.columns)
    return m


def set_resolution(n: pypsa.Network, resolution: str,
                   representation: Representation = "duration") -> pypsa.Network:
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

    Returns
    -------
    pypsa.Network
        A network whose snapshot weightings carry the hours each snapshot stands for.
    """
    if resolution == "1h":
        return n
    if resolution.startswith("seg"):
        return segment(n, int(resolution[3:]), representation)
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
