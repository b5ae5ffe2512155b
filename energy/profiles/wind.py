"""Hourly capacity factor of onshore wind from 10 m station wind and a real power curve.

Method (windpowerlib 0.2.2 offline data and functions, :mod:`energy.profiles.hub_wind`):

1. hub-height wind speed (``wind_method="stability_weibull"``, default): the order of the hours
   from a stability-dependent shear of the 10 m wind (SRDT classes, Irwin exponents), the values
   from a Weibull distribution at hub height whose shape is the station's projected by Justus &
   Mikhail (1976); see :mod:`energy.profiles.hub_wind`;
2. air density at hub height from station pressure and temperature
   (``windpowerlib.temperature.linear_gradient`` + ``windpowerlib.density.ideal_gas``);
3. power curve of the Enercon E-141/4200 (4.2 MW, cut-out 25 m/s) from
   ``windpowerlib/oedb/power_curves.csv``, smoothed for a wind farm
   (``windpowerlib.power_curves.smooth_power_curve``, Staffell & Pfenninger std);
4. the density correction of ``windpowerlib.power_output.power_curve_density_correction``
   (Svenningsen), vectorised here in :func:`density_corrected_power` (same numbers, tested);
5. a flat loss factor (wakes, availability, electrical; 12 %);
6. calibration: the Weibull scale at hub height is found by bisection so that the annual
   full-load hours hit the site's target. The whole distribution moves; no hour is pushed past
   cut-out (a capped hour would be reported in ``hours_capped``).

``wind_method="fixed_shear"`` keeps the earlier method for comparison: one Hellman exponent
(1/7) and a factor on the hub-height speed stretched until the target is met, which keeps the
valley's afternoon maximum and pushes windy hours beyond cut-out.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from windpowerlib import density as wpl_density
from windpowerlib import power_curves as wpl_curves
from windpowerlib import temperature as wpl_temperature
from windpowerlib import wind_speed as wpl_wind_speed
from windpowerlib.wind_turbine import WindTurbine

from energy.profiles import hub_wind
from energy.profiles.calibration import calibrate_scale
from energy.profiles.params import ProfileParams

#: Hub-height speed cap below the cut-out [m/s] (``cut_out - CUT_OUT_MARGIN``).
CUT_OUT_MARGIN = 0.01


def turbine_power_curve(params: ProfileParams) -> tuple[np.ndarray, np.ndarray, float]:
    """Return the (optionally smoothed) power curve of the configured turbine.

    Parameters
    ----------
    params : ProfileParams
        ``turbine_type``, ``hub_height_m``, ``wind_smooth_power_curve``.

    Returns
    -------
    speeds : numpy.ndarray
        Wind speeds of the curve [m/s].
    power : numpy.ndarray
        Power [p.u. of nominal power].
    nominal_power : float
        Nominal power [W].
    """
    speeds, power, nominal, _ = _turbine(params.turbine_type, params.hub_height_m,
                                         params.wind_smooth_power_curve)
    return speeds, power, nominal


@functools.lru_cache(maxsize=8)
def _turbine(turbine_type: str, hub_height_m: float,
             smooth: bool) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(curve speeds [m/s], power [p.u.], nominal power [W], cut-out [m/s]); cached."""
    turbine = WindTurbine(turbine_type=turbine_type, hub_height=hub_height_m)
    pc = turbine.power_curve
    speeds = pc["wind_speed"].to_numpy(dtype=float)
    power = pc["value"].to_numpy(dtype=float)
    cut_out = float(speeds.max())
    if smooth:
        curve = wpl_curves.smooth_power_curve(
            pd.Series(speeds), pd.Series(power), standard_deviation_method="Staffell_Pfenninger")
        speeds = curve["wind_speed"].to_numpy(dtype=float)
        power = curve["value"].to_numpy(dtype=float)
    nominal = float(turbine.nominal_power)
    power = np.clip(power / nominal, 0.0, 1.0)
    speeds.flags.writeable = False
    power.flags.writeable = False
    return speeds, power, nominal, cut_out


def stretched_curves(curve_speeds: np.ndarray, density: np.ndarray) -> np.ndarray:
    """Curve speeds stretched per hour by the density correction [m/s], shape (hours, points).

    Parameters
    ----------
    curve_speeds : numpy.ndarray
        Power-curve wind speeds [m/s], increasing.
    density : numpy.ndarray
        Air density at hub height [kg/m^3].

    Returns
    -------
    numpy.ndarray
        ``(1.225 / rho) ** p(u) * u`` per hour and curve point.
    """
    expo = np.interp(curve_speeds, [7.5, 12.5], [1 / 3, 2 / 3])
    return (1.225 / np.asarray(density, dtype=float))[:, None] ** expo[None, :] * curve_speeds


def density_corrected_power(wind_speed: np.ndarray, curve_speeds: np.ndarray,
                            curve_power: np.ndarray, density: np.ndarray,
                            curves: np.ndarray | None = None) -> np.ndarray:
    """Vectorised windpowerlib density-corrected power curve.

    Same formula as :func:`windpowerlib.power_output.power_curve_density_correction`:
    the curve speeds are stretched per hour by ``(1.225/rho)**p(v)`` with ``p`` rising from
    1/3 (<= 7.5 m/s) to 2/3 (>= 12.5 m/s); outside the curve the power is zero.

    Parameters
    ----------
    wind_speed : numpy.ndarray
        Hub-height wind speed [m/s].
    curve_speeds : numpy.ndarray
        Power-curve wind speeds [m/s], increasing.
    curve_power : numpy.ndarray
        Power-curve values (any unit; returned in the same unit).
    density : numpy.ndarray
        Air density at hub height [kg/m^3].
    curves : numpy.ndarray, optional
        :func:`stretched_curves` of ``curve_speeds`` and ``density``, when already computed
        (calibration evaluates the same hours many times).

    Returns
    -------
    numpy.ndarray
        Power per hour, unit of ``curve_power``.
    """
    v = np.asarray(wind_speed, dtype=float)
    if curves is None:
        curves = stretched_curves(curve_speeds, density)
    j = (v[:, None] >= curves).sum(axis=1) - 1  # segment index per hour
    inside = (j >= 0) & (j < len(curve_speeds) - 1)
    jj = np.clip(j, 0, len(curve_speeds) - 2)
    rows = np.arange(len(v))
    x0, x1 = curves[rows, jj], curves[rows, jj + 1]
    y0, y1 = curve_power[jj], curve_power[jj + 1]
    frac = np.where(x1 > x0, (v - x0) / np.where(x1 > x0, x1 - x0, 1.0), 0.0)
    out = np.where(inside, y0 + frac * (y1 - y0), 0.0)
    # exactly at the last curve point windpowerlib's np.interp returns the last value
    out = np.where(v == curves[:, -1], curve_power[-1], out)
    return out


def hub_height_conditions(weather: pd.DataFrame, altitude: float,
                          params: ProfileParams) -> tuple[np.ndarray, np.ndarray]:
    """Hub-height wind by one fixed Hellman exponent, and air density, from station weather.

    The speed is that of ``wind_method="fixed_shear"``; the density serves both methods.

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned weather: wind_speed [m/s] at ``measurement_height_m``, temp_air [degC],
        pressure [Pa].
    altitude : float
        Station elevation [m] (only documented; pressure already refers to it).
    params : ProfileParams
        Hub height, measurement height, Hellman exponent.

    Returns
    -------
    wind_speed : numpy.ndarray
        Hub-height wind speed by the fixed exponent, before calibration [m/s].
    density : numpy.ndarray
        Air density at hub height [kg/m^3].
    """
    v_hub = wpl_wind_speed.hellman(weather["wind_speed"].to_numpy(), params.measurement_height_m,
                                   params.hub_height_m, hellman_exponent=params.hellman_exponent)
    t_hub = wpl_temperature.linear_gradient(weather["temp_air"].to_numpy() + 273.15, 2.0,
                                            params.hub_height_m)
    rho = wpl_density.ideal_gas(weather["pressure"].to_numpy(), 2.0, params.hub_height_m, t_hub)
    return np.asarray(v_hub, dtype=float), np.asarray(rho, dtype=float)


def cut_out_speed(params: ProfileParams) -> float:
    """Cut-out wind speed of the configured turbine: last point of its oedb power curve [m/s]."""
    return _turbine(params.turbine_type, params.hub_height_m, params.wind_smooth_power_curve)[3]


def hub_wind_speed(weather: pd.DataFrame, altitude: float, params: ProfileParams,
                   target_flh: float | None = None) -> tuple[pd.Series, np.ndarray, dict]:
    """Calibrated hub-height wind speed, air density and the calibration record.

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned station weather: wind_speed [m/s] at ``measurement_height_m``, ghi [W/m^2],
        temp_air [degC], pressure [Pa].
    altitude : float
        Station elevation [m].
    params : ProfileParams
        Turbine, heights, ``wind_method`` and its parameters, losses, ``wind_calibrate``.
    target_flh : float, optional
        Target full-load hours [h/a]; NaN/None = no calibration.

    Returns
    -------
    speed : pandas.Series
        Hub-height wind speed [m/s].
    density : numpy.ndarray
        Air density at hub height [kg/m^3].
    info : dict
        ``raw_cf``, ``calibrated_cf`` [-], ``raw_flh``, ``flh`` [h], ``speed_factor`` [-]
        (calibrated over uncalibrated hub speed), ``mean_hub_speed_raw``, ``mean_hub_speed``
        [m/s], ``hours_above_cut_out`` [h], ``night_day_ratio`` [-]; for ``stability_weibull``
        also ``weibull_k`` [-], ``weibull_scale``, ``weibull_scale_projected`` [m/s],
        ``hours_capped`` [h], ``stable_share`` [-].
    """
    speeds, power, _ = turbine_power_curve(params)
    v_fixed, rho = hub_height_conditions(weather, altitude, params)
    keep = 1.0 - params.wind_losses
    cut_out = cut_out_speed(params)
    calibrate = params.wind_calibrate and target_flh is not None and np.isfinite(target_flh)
    info: dict = {}
    if params.wind_method == "fixed_shear":
        def speed_of(x: float) -> np.ndarray:
            return x * v_fixed
        raw_scale, lo, hi = 1.0, 0.3, 8.0
    else:
        v10 = np.maximum(weather["wind_speed"].to_numpy(dtype=float), 0.0)
        timing, classes = hub_wind.hub_timing(
            v10, weather["ghi"].to_numpy(), params.stability_exponents, params.hub_height_m,
            params.wind_calm_m_s, params.wind_synoptic_window_h, params.measurement_height_m)
        k10, c10 = hub_wind.weibull_moments(v10[v10 > params.wind_calm_m_s])
        k_hub, raw_scale = hub_wind.project_weibull(k10, c10, params.hub_height_m,
                                                    params.measurement_height_m)
        k_hub = params.wind_weibull_k or k_hub
        unit = hub_wind.weibull_quantiles(timing, k_hub)

        def speed_of(x: float) -> np.ndarray:
            return np.minimum(x * unit, cut_out - CUT_OUT_MARGIN)
        lo, hi = 0.1 * raw_scale, 5.0 * raw_scale
        info |= {"weibull_k": float(k_hub), "weibull_k_10m": float(k10),
                 "weibull_scale_projected": float(raw_scale),
                 "stable_share": float((classes >= 4).mean())}

    curves = stretched_curves(speeds, rho)

    def cf_of(x: float) -> np.ndarray:
        return keep * density_corrected_power(speed_of(x), speeds, power, rho, curves)

    scale = raw_scale
    if calibrate:
        scale = calibrate_scale(lambda x: cf_of(x).sum(), target_flh, lo=lo, hi=hi,
                                rtol=params.calibration_tolerance)
    raw, cf = cf_of(raw_scale), cf_of(scale)
    speed = pd.Series(speed_of(scale), index=weather.index)
    info |= {"raw_cf": float(raw.mean()), "calibrated_cf": float(cf.mean()),
             "raw_flh": float(raw.sum()), "flh": float(cf.sum()),
             "speed_factor": float(scale / raw_scale),
             "mean_hub_speed_raw": float(speed_of(raw_scale).mean()),
             "mean_hub_speed": float(speed.mean()),
             "hours_above_cut_out": int((speed >= cut_out).sum()),
             "night_day_ratio": hub_wind.night_day_ratio(pd.Series(cf, index=weather.index))}
    if params.wind_method != "fixed_shear":
        info |= {"weibull_scale": float(scale),
                 "hours_capped": int((scale * unit >= cut_out - CUT_OUT_MARGIN).sum())}
    return speed, rho, info


def wind_capacity_factor(weather: pd.DataFrame, altitude: float, params: ProfileParams,
                         target_flh: float | None = None) -> tuple[pd.Series, dict]:
    """Hourly capacity factor of a wind farm, optionally calibrated to full-load hours.

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned station weather, see :func:`hub_wind_speed`.
    altitude : float
        Station elevation [m].
    params : ProfileParams
        Turbine, shear, losses; ``wind_calibrate`` switches calibration.
    target_flh : float, optional
        Target full-load hours [h/a]; NaN/None = no calibration.

    Returns
    -------
    cf : pandas.Series
        Capacity factor [p.u. of nominal power], in [0, 1 - losses].
    info : dict
        Calibration record, see :func:`hub_wind_speed`.
    """
    speed, rho, info = hub_wind_speed(weather, altitude, params, target_flh)
    return capacity_factor_of(speed, rho, params), info


def capacity_factor_of(speed: pd.Series, density: np.ndarray,
                       params: ProfileParams) -> pd.Series:
    """Capacity factor of the configured wind farm at given hub-height conditions.

    Parameters
    ----------
    speed : pandas.Series
        Hub-height wind speed [m/s].
    density : numpy.ndarray
        Air density at hub height [kg/m^3].
    params : ProfileParams
        Turbine, power-curve smoothing, losses.

    Returns
    -------
    pandas.Series
        Capacity factor [p.u. of nominal power], in [0, 1 - losses].
    """
    speeds, power, _ = turbine_power_curve(params)
    cf = (1.0 - params.wind_losses) * density_corrected_power(speed.to_numpy(), speeds, power,
                                                                density)
    return pd.Series(np.clip(cf, 0.0, 1.0), index=speed.index)
