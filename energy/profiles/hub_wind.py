"""Hub-height wind speed from a 10 m valley-station wind: stability, shear and distribution.

The station anemometers stand at 10 m in the Taiyuan and Xinding basins; the wind farms stand on
ridges hundreds of metres higher. Three steps turn the station wind into a hub-height series
(sources and confidence in ``profiles/README.md`` and :class:`ProfileParams`):

1. **Stability class per hour** by the EPA solar-radiation/delta-T (SRDT) key
   (EPA-454/R-99-005, section 6.4.2, table 6-7): by day from global horizontal irradiance and the
   10 m wind; by night from the 10 m wind, taking the surface inversion of a continental night
   (vertical temperature gradient >= 0) because the files carry no temperature gradient and their
   cloud cover is unusable.
2. **Timing at hub height**: a reference wind times a stability-dependent power law,
   ``v = v_ref (z / 10 m) ** alpha(class)``. The reference is the larger of the hour's 10 m wind
   and the station's running daily (synoptic) mean: a valley wind below its daily mean (the
   calm, decoupled basin at night and in the morning) says little about the ridges, where the
   synoptic flow goes on. With the large stable-class exponents this turns the valley's
   afternoon maximum into the nocturnal maximum seen on mountain tops and at hub height over
   continents.
3. **Distribution at hub height**: the hours keep the order of step 2 but take the quantiles of
   a Weibull distribution whose shape is the station's 10 m shape projected to hub height by
   Justus & Mikhail (1976); its scale is the calibration variable (:mod:`energy.profiles.wind`).
   Calibration therefore moves the whole distribution instead of stretching a series past
   cut-out, and no hour exceeds the top Weibull quantile of the year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Pasquill-Gifford class (0 = A ... 5 = F) by day, SRDT key (EPA-454/R-99-005 table 6-7):
#: rows = 10 m wind [m/s] <2, 2-3, 3-5, 5-6, >=6; columns = GHI [W/m^2] >=925, 675-925,
#: 175-675, <175.
SRDT_DAY = np.array([[0, 0, 1, 3],
                     [0, 1, 2, 3],
                     [1, 1, 2, 3],
                     [2, 2, 3, 3],
                     [2, 3, 3, 3]])
#: Upper bounds of the SRDT day wind rows [m/s] and GHI columns [W/m^2].
SRDT_DAY_WIND = (2.0, 3.0, 5.0, 6.0)
SRDT_DAY_GHI = (925.0, 675.0, 175.0)
#: SRDT by night with a surface inversion (delta-T >= 0): F below 2.0 m/s, E to 2.5, D above.
SRDT_NIGHT_WIND = (2.0, 2.5)
#: GHI below this counts as night [W/m^2] (hour mean; the SRDT key has no radiation by night).
NIGHT_GHI = 1.0
#: Justus & Mikhail (1976) power-law exponent n = a + b ln(V10) for a 10 m reference height.
JM_A, JM_B = 0.37, -0.0881
CLASS_NAMES = ("A", "B", "C", "D", "E", "F")


def stability_class(wind_10m: np.ndarray, ghi: np.ndarray) -> np.ndarray:
    """Pasquill-Gifford stability class per hour by the SRDT key (night: inversion assumed).

    Parameters
    ----------
    wind_10m : numpy.ndarray
        Wind speed at 10 m [m/s].
    ghi : numpy.ndarray
        Global horizontal irradiance, hour mean [W/m^2].

    Returns
    -------
    numpy.ndarray
        Class index 0..5 (A..F), int.
    """
    v = np.asarray(wind_10m, dtype=float)
    g = np.asarray(ghi, dtype=float)
    col = np.searchsorted(-np.asarray(SRDT_DAY_GHI), -g, side="left")  # >=925 -> 0, <175 -> 3
    row = np.searchsorted(np.asarray(SRDT_DAY_WIND), v, side="right")   # <2 -> 0, >=6 -> 4
    day = SRDT_DAY[row, col]
    night = np.select([v < SRDT_NIGHT_WIND[0], v < SRDT_NIGHT_WIND[1]], [5, 4], 3)
    return np.where(g >= NIGHT_GHI, day, night).astype(int)


def weibull_moments(speeds: np.ndarray) -> tuple[float, float]:
    """Weibull shape and scale from mean and standard deviation (Justus et al. 1978).

    ``k = (sigma / mean) ** -1.086``, ``c = mean / Gamma(1 + 1/k)``.

    Parameters
    ----------
    speeds : numpy.ndarray
        Wind speeds above the calm threshold [m/s].

    Returns
    -------
    k : float
        Shape [-].
    c : float
        Scale [m/s].
    """
    v = np.asarray(speeds, dtype=float)
    k = float((v.std() / v.mean()) ** -1.086)
    return k, float(v.mean() / math.gamma(1.0 + 1.0 / k))


def project_weibull(k_ref: float, c_ref: float, z: float, z_ref: float = 10.0) -> tuple[float,
                                                                                          float]:
    """Weibull parameters at height ``z`` from those at 10 m (Justus & Mikhail 1976).

    ``c(z) = c_ref (z / z_ref) ** n`` with ``n = (0.37 - 0.0881 ln c_ref) /
    (1 - 0.0881 ln(z / 10))`` and ``k(z) = k_ref (1 - 0.0881 ln(z_ref / 10)) /
    (1 - 0.0881 ln(z / 10))``; the constants hold for a 10 m reference height.

    Parameters
    ----------
    k_ref, c_ref : float
        Shape [-] and scale [m/s] at ``z_ref``.
    z, z_ref : float
        Target and reference heights [m].

    Returns
    -------
    k, c : float
        Shape [-] and scale [m/s] at ``z``.
    """
    if z_ref != 10.0:
        raise ValueError("the Justus-Mikhail constants hold for a 10 m reference height")
    denom = 1.0 + JM_B * math.log(z / 10.0)
    n = (JM_A + JM_B * math.log(c_ref)) / denom
    return k_ref / denom, c_ref * (z / z_ref) ** n


def hub_timing(wind_10m: np.ndarray, ghi: np.ndarray, exponents: tuple[float, ...],
               hub_height_m: float, calm_m_s: float, synoptic_window_h: int,
               measurement_height_m: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Stability-sheared hub-height wind that fixes the order of the hours (step 2).

    Parameters
    ----------
    wind_10m : numpy.ndarray
        Station wind at ``measurement_height_m`` [m/s].
    ghi : numpy.ndarray
        Global horizontal irradiance [W/m^2].
    exponents : tuple of float
        Power-law exponent per class A..F [-].
    hub_height_m, measurement_height_m : float
        Heights [m].
    calm_m_s : float
        Floor for calm hours [m/s] (the files round to whole m/s).
    synoptic_window_h : int
        Length of the centred running mean that stands for the synoptic wind [h]; the
        reference wind is the larger of the hour's wind and this mean.

    Returns
    -------
    speed : numpy.ndarray
        Hub-height wind before the distribution mapping [m/s].
    classes : numpy.ndarray
        Stability class per hour (0..5 = A..F).
    """
    v = np.maximum(np.asarray(wind_10m, dtype=float), 0.0)
    classes = stability_class(v, ghi)
    n = len(v)
    half = synoptic_window_h // 2
    padded = np.r_[v[n - half:], v, v[:synoptic_window_h - half]]  # periodic year
    synoptic = pd.Series(padded).rolling(synoptic_window_h, center=True).mean().to_numpy()
    synoptic = synoptic[half:half + n]
    ref = np.maximum(v, synoptic)
    alpha = np.asarray(exponents, dtype=float)[classes]
    ratio = hub_height_m / measurement_height_m
    return np.maximum(ref, calm_m_s) * ratio ** alpha, classes


def weibull_quantiles(order_key: np.ndarray, k: float) -> np.ndarray:
    """Unit-scale Weibull quantile of every hour by its rank in ``order_key`` (step 3).

    Ties are broken by a centred 3-hour mean of the key, then by time, so that the mapping is
    deterministic. Plotting positions are Hazen's, ``(rank + 0.5) / N``.

    Parameters
    ----------
    order_key : numpy.ndarray
        Series whose order the result keeps (hub-height timing, [m/s]).
    k : float
        Weibull shape [-].

    Returns
    -------
    numpy.ndarray
        ``(-ln(1 - q)) ** (1/k)`` per hour; multiply by the Weibull scale [m/s].
    """
    key = np.asarray(order_key, dtype=float)
    smooth = pd.Series(key).rolling(3, center=True, min_periods=1).mean().to_numpy()
    order = np.lexsort((np.arange(len(key)), smooth, key))
    rank = np.empty(len(key))
    rank[order] = np.arange(len(key))
    q = (rank + 0.5) / len(key)
    return (-np.log1p(-q)) ** (1.0 / k)


def night_day_ratio(series: pd.Series) -> float:
    """Mean over 22-06 h divided by the mean over 10-18 h local time (stamps = hour starts).

    Parameters
    ----------
    series : pandas.Series
        Hourly values on a local-time index (capacity factor or wind speed).

    Returns
    -------
    float
        Night/day ratio [-].
    """
    hour = series.index.hour
    night = series[(hour >= 22) | (hour < 6)].mean()
    day = series[(hour >= 10) & (hour < 18)].mean()
    return float(night / day)
