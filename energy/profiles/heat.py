"""District-heat demand and heat-pump COP from hourly air temperature.

Heat demand (heating-degree-hour method, per district-heating area):

* statutory season: ``heating_season_start`` (1 Nov, Taiyuan S42) to ``heating_season_end``
  (31 Mar, customary; low confidence); demand is exactly zero outside it;
* inside the season, space heat on days whose daily mean temperature is below
  ``heating_threshold_c`` (15 degC) is proportional to the heating degree hours
  ``max(0, T_base - T_eff)`` with ``T_base`` = 18 degC and ``T_eff`` the trailing 24 h mean of
  air temperature (building and network inertia), times an intraday operating shape;
* a hot-water / network-loss base of ``hot_water_share`` (5 %) of the design load runs in every
  season hour;
* the profile is scaled so that its peak equals floor area x design load, the definition of the
  design load; annual energy follows from the weather and is reported (full-load hours).

COP (Staffell et al. 2012, Energy Environ. Sci. 5, 9291, quadratic fits to manufacturer data, as
used in PyPSA-Eur):

* air source:    COP = 6.08 - 0.09 dT + 0.0005 dT^2
* ground source: COP = 10.29 - 0.21 dT + 0.0012 dT^2
* dT = T_sink - T_source [K]; T_sink is the area's heat-pump sink temperature
  (``heat_areas.csv`` ``hp_sink_c``; 55 degC = ``cop_sink_c`` as in PyPSA-Eur where the heat
  pump feeds a secondary network); source = air temperature (ASHP) or ground temperature
  (GSHP) = annual mean air temperature + damping x (30-day trailing mean air temperature,
  lagged 30 days - annual mean);
* the fits describe domestic heat pumps at sinks up to ~55 degC; beyond their data (a primary
  network, e.g. 120 degC behind the Gujiao main, S41) their quadratic turns upward (dT > ~90 K).
  So the COP is written as a second-law efficiency times the Carnot COP,
  ``COP = eta(min(dT, dT_max)) x (T_sink + 273.15) / dT`` with ``eta(d) = COP_fit(d) x d /
  (cop_sink_c + 273.15)`` the efficiency the fit implies at the reference sink and lift ``d``,
  and ``dT_max`` = ``cop_fit_max_lift_k`` (60 K, estimate of the fits' range). At the
  reference sink and lifts up to ``dT_max`` this is the fit itself; at larger lifts and hotter
  sinks the efficiency is held at its value at ``dT_max``, so the COP falls with the Carnot COP
  and rises with the source temperature;
* clipped to [1.0, 5] (the fits are decreasing in dT over the range that occurs here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy.profiles.params import ProfileParams


def heating_season_mask(index: pd.DatetimeIndex, start: str, end: str) -> np.ndarray:
    """Boolean mask of the hours inside the heating season.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly stamps (local time).
    start, end : str
        First and last day of the season, ``MM-DD``; the season wraps around New Year when
        ``start`` > ``end``.

    Returns
    -------
    numpy.ndarray
        True inside the season.
    """
    md = index.month * 100 + index.day
    s = int(start.replace("-", ""))
    e = int(end.replace("-", ""))
    if s <= e:
        return np.asarray((md >= s) & (md <= e))
    return np.asarray((md >= s) | (md <= e))


def _periodic_trailing_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` samples, wrapping around the (typical) year."""
    if window <= 1:
        return np.asarray(x, dtype=float)
    padded = np.concatenate([x[-(window - 1):], x])
    c = np.cumsum(np.insert(padded, 0, 0.0))
    return (c[window:] - c[:-window]) / window


def space_heat_shape(temp_air: pd.Series, params: ProfileParams) -> pd.Series:
    """Unscaled hourly district-heat demand shape (space heat + hot-water base).

    Parameters
    ----------
    temp_air : pandas.Series
        Hourly air temperature [degC], local-time index of one year.
    params : ProfileParams
        Base and threshold temperatures, season, inertia, intraday shape, hot-water share.

    Returns
    -------
    pandas.Series
        Shape with maximum 1 [p.u. of peak]; zero outside the heating season.
    """
    idx = temp_air.index
    t = temp_air.to_numpy(dtype=float)
    t_eff = _periodic_trailing_mean(t, params.heating_inertia_h)
    daily_mean = temp_air.groupby(idx.normalize()).transform("mean").to_numpy()
    season = heating_season_mask(idx, params.heating_season_start, params.heating_season_end)
    heating_day = daily_mean < params.heating_threshold_c
    hdh = np.clip(params.heating_base_c - t_eff, 0.0, None)
    intraday = np.asarray(params.dh_intraday_shape)[idx.hour]
    intraday = intraday / np.mean(params.dh_intraday_shape)
    space = np.where(season & heating_day, hdh * intraday, 0.0)
    if space.max() <= 0:
        raise ValueError("no heating degree hours in the heating season")
    space = space / space.max()
    # hot-water base: share of the design peak, space heat fills the remainder
    shape = np.where(season, params.hot_water_share + (1 - params.hot_water_share) * space, 0.0)
    return pd.Series(shape / shape.max(), index=idx)


def heat_demand(temp_air: pd.Series, floor_area_mm2: float, design_load_w_per_m2: float,
                params: ProfileParams) -> pd.Series:
    """Hourly district-heat demand of one area.

    Parameters
    ----------
    temp_air : pandas.Series
        Hourly air temperature [degC].
    floor_area_mm2 : float
        Heated floor area [Mm^2].
    design_load_w_per_m2 : float
        Design heat load per floor area [W/m^2].
    params : ProfileParams
        See :func:`space_heat_shape`.

    Returns
    -------
    pandas.Series
        Heat demand [MW_th]; peak = floor area x design load.
    """
    peak_mw = floor_area_mm2 * design_load_w_per_m2  # Mm^2 x W/m^2 = MW
    return space_heat_shape(temp_air, params) * peak_mw


def ground_temperature(temp_air: pd.Series, params: ProfileParams) -> pd.Series:
    """Ground (borehole) source temperature from a damped, lagged air temperature.

    Parameters
    ----------
    temp_air : pandas.Series
        Hourly air temperature [degC].
    params : ProfileParams
        ``ground_damping`` [-], ``ground_lag_days`` [d].

    Returns
    -------
    pandas.Series
        Ground temperature [degC] (about annual mean air temperature +- a few K).
    """
    t = temp_air.to_numpy(dtype=float)
    monthly = _periodic_trailing_mean(t, 30 * 24)
    lagged = np.roll(monthly, params.ground_lag_days * 24)
    mean = t.mean()
    return pd.Series(mean + params.ground_damping * (lagged - mean), index=temp_air.index)


def _cop(fit, source: pd.Series, params: ProfileParams, sink_c: float | None) -> pd.Series:  # noqa: ANN001
    """Second-law efficiency of the Staffell fit times the Carnot COP (module docstring) [-]."""
    sink = params.cop_sink_c if sink_c is None else float(sink_c)
    lift = np.maximum(sink - source, 1.0)
    within = np.minimum(lift, params.cop_fit_max_lift_k)
    efficiency = fit(within) * within / (params.cop_sink_c + 273.15)
    cop = efficiency * (sink + 273.15) / lift
    return pd.Series(np.asarray(cop, dtype=float), index=source.index).clip(
        params.cop_min, params.cop_max)


def cop_ashp(temp_air: pd.Series, params: ProfileParams,
             sink_c: float | None = None) -> pd.Series:
    """Air-source heat-pump COP (Staffell et al. 2012), clipped.

    Parameters
    ----------
    temp_air : pandas.Series
        Source (air) temperature [degC].
    params : ProfileParams
        ``cop_sink_c`` [degC], ``cop_min``/``cop_max`` [-].
    sink_c : float, optional
        Sink temperature of the area [degC]; default ``params.cop_sink_c``.

    Returns
    -------
    pandas.Series
        COP [-].
    """
    return _cop(lambda dt: 6.08 - 0.09 * dt + 0.0005 * dt**2, temp_air, params, sink_c)


def cop_gshp(temp_air: pd.Series, params: ProfileParams,
             sink_c: float | None = None) -> pd.Series:
    """Ground-source heat-pump COP (Staffell et al. 2012) on :func:`ground_temperature`.

    Parameters
    ----------
    temp_air : pandas.Series
        Air temperature [degC] (drives the ground temperature).
    params : ProfileParams
        ``cop_sink_c`` [degC], ground damping and lag, clip limits.
    sink_c : float, optional
        Sink temperature of the area [degC]; default ``params.cop_sink_c``.

    Returns
    -------
    pandas.Series
        COP [-].
    """
    ground = ground_temperature(temp_air, params)
    return _cop(lambda dt: 10.29 - 0.21 * dt + 0.0012 * dt**2, ground, params, sink_c)
