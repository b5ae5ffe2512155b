"""Hourly electricity load per county from temperature and a documented day/week shape.

Shape (before scaling), per hour t with local hour h and day type d (weekday or weekend of the
reference calendar; public holidays are not modelled):

``s_t = base_d[h] + beta_h * HDH_t / max(HDH) * e[h] / max(e) + beta_c * CDH_t / max(CDH)``

* ``base`` = ``ProfileParams.weekday_shape`` / ``weekend_shape`` (24 values each, low-confidence
  estimate of an industry-heavy North China grid, set so that a cold December weekday peaks at
  17-19 h with a daily load factor ~0.8: the Taiyuan record day 2018-12-08 peaked at 4,300 MW at
  17:50 with 85.15 GWh/day, i.e. 3.55 GW mean, load factor 0.83; facts demand.csv, S67);
* ``HDH_t = max(0, 14 degC - T24_t)`` with ``T24`` the trailing 24 h mean air temperature,
  weighted by the evening/night electric-heating shape ``e``; ``beta_h`` makes electric heating
  23 % of the load in the coldest hour (1,000 of 4,300 MW in Dec 2018, S67);
* ``CDH_t = max(0, T_t - 24 degC)``; ``beta_c`` makes cooling 15 % of the load in the hottest
  hour (estimate).

Scaling to a county's annual energy ``E`` [MWh] and peak ``P`` [MW] is affine,
``L_t = a + b s_t`` with ``b = (P - E/8760) / (max s - mean s)`` and ``a = E/8760 - b mean s``,
so that the sum is ``E`` and the maximum is ``P`` exactly; it fails loudly if the result would be
negative (peak too high for the energy).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy.profiles.heat import _periodic_trailing_mean
from energy.profiles.params import ProfileParams


def load_shape(temp_air: pd.Series, params: ProfileParams) -> pd.Series:
    """Unscaled hourly electricity-load shape for one weather station.

    Parameters
    ----------
    temp_air : pandas.Series
        Hourly air temperature [degC], local-time index of the reference year.
    params : ProfileParams
        Day shapes, heating/cooling base temperatures and shares.

    Returns
    -------
    pandas.Series
        Shape [arbitrary units, mean ~1].
    """
    idx = temp_air.index
    hour = idx.hour
    weekend = np.asarray(idx.dayofweek >= 5)
    base = np.where(weekend, np.asarray(params.weekend_shape)[hour],
                    np.asarray(params.weekday_shape)[hour])
    t = temp_air.to_numpy(dtype=float)
    t24 = _periodic_trailing_mean(t, 24)
    hdh = np.clip(params.load_heating_base_c - t24, 0.0, None)
    cdh = np.clip(t - params.load_cooling_base_c, 0.0, None)
    eh = np.asarray(params.electric_heating_shape)[hour] / max(params.electric_heating_shape)
    top = base.max()
    s = base.copy()
    if hdh.max() > 0:
        beta_h = params.load_heating_share_at_peak / (1 - params.load_heating_share_at_peak) * top
        s = s + beta_h * hdh / hdh.max() * eh
    if cdh.max() > 0:
        beta_c = params.load_cooling_share_at_peak / (1 - params.load_cooling_share_at_peak) * top
        s = s + beta_c * cdh / cdh.max()
    return pd.Series(s, index=idx)


def scale_affine(shape: pd.Series, annual_mwh: float, peak_mw: float) -> pd.Series:
    """Scale a shape to a given annual energy and peak with ``a + b * shape``.

    Parameters
    ----------
    shape : pandas.Series
        Hourly shape (not constant).
    annual_mwh : float
        Annual energy [MWh].
    peak_mw : float
        Peak load [MW]; must satisfy ``annual_mwh / len(shape) < peak_mw`` (or both zero: no
        demand).

    Returns
    -------
    pandas.Series
        Load [MW]; sum = ``annual_mwh``, max = ``peak_mw``, min >= 0.

    Raises
    ------
    ValueError
        If the peak is not above the mean or the scaled load would become negative.
    """
    s = shape.to_numpy(dtype=float)
    mean_mw = annual_mwh / len(s)
    if annual_mwh == 0 and peak_mw == 0:  # a county without demand (e.g. not yet built up)
        return pd.Series(0.0, index=shape.index)
    if not peak_mw > mean_mw:
        raise ValueError(f"peak {peak_mw:.1f} MW must exceed the mean load {mean_mw:.1f} MW")
    b = (peak_mw - mean_mw) / (s.max() - s.mean())
    a = mean_mw - b * s.mean()
    out = a + b * s
    if out.min() < 0:
        raise ValueError(f"load factor {mean_mw / peak_mw:.2f} too low for the shape: the "
                         f"scaled load would reach {out.min():.1f} MW")
    return pd.Series(out, index=shape.index)
