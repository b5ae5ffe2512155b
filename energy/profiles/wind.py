"""Hourly capacity factor of onshore wind from 10 m station wind and a real power curve.

Method (all steps use windpowerlib 0.2.2 offline data and functions):

1. hub-height speed by the power law (``windpowerlib.wind_speed.hellman``), exponent 1/7,
   10 m -> 129 m;
2. air density at hub height from station pressure and temperature
   (``windpowerlib.temperature.linear_gradient`` + ``windpowerlib.density.ideal_gas``);
3. power curve of the Enercon E-141/4200 (IEC III, 4.2 MW) from
   ``windpowerlib/oedb/power_curves.csv``, smoothed for a wind farm
   (``windpowerlib.power_curves.smooth_power_curve``, Staffell & Pfenninger std);
4. the density correction of ``windpowerlib.power_output.power_curve_density_correction``
   (Svenningsen), vectorised here in :func:`density_corrected_power` (same numbers, tested);
5. a flat loss factor (wakes, availability, electrical; 12 %);
6. calibration: the hub-height speed is multiplied by one factor, found by bisection, so that
   the annual full-load hours hit the site's target. Scaling the *speed* keeps the shape of the
   power curve (cut-in, rated, cut-out) and the hours of calm; scaling the *output* instead would
   give a turbine that never reaches rated power and could exceed 1 p.u.

The 10 m valley/basin station winds (1.9-2.8 m/s mean) understate ridge sites badly
(PROVENANCE caveat 2), so the raw capacity factor is a lower bound and the calibration factor
is large; both are reported in the manifest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from windpowerlib import density as wpl_density
from windpowerlib import power_curves as wpl_curves
from windpowerlib import temperature as wpl_temperature
from windpowerlib import wind_speed as wpl_wind_speed
from windpowerlib.wind_turbine import WindTurbine

from energy.profiles.calibration import calibrate_scale
from energy.profiles.params import ProfileParams


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
    turbine = WindTurbine(turbine_type=params.turbine_type, hub_height=params.hub_height_m)
    pc = turbine.power_curve
    speeds = pc["wind_speed"].to_numpy(dtype=float)
    power = pc["value"].to_numpy(dtype=float)
    if params.wind_smooth_power_curve:
        smooth = wpl_curves.smooth_power_curve(
            pd.Series(speeds), pd.Series(power), standard_deviation_method="Staffell_Pfenninger")
        speeds = smooth["wind_speed"].to_numpy(dtype=float)
        power = smooth["value"].to_numpy(dtype=float)
    nominal = float(turbine.nominal_power)
    return speeds, np.clip(power / nominal, 0.0, 1.0), nominal


def density_corrected_power(wind_speed: np.ndarray, curve_speeds: np.ndarray,
                            curve_power: np.ndarray, density: np.ndarray) -> np.ndarray:
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

    Returns
    -------
    numpy.ndarray
        Power per hour, unit of ``curve_power``.
    """
    v = np.asarray(wind_speed, dtype=float)
    expo = np.interp(curve_speeds, [7.5, 12.5], [1 / 3, 2 / 3])
    curves = (1.225 / np.asarray(density, dtype=float))[:, None] ** expo[None, :] * curve_speeds
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
    """Hub-height wind speed and air density from station weather.

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
        Hub-height wind speed before calibration [m/s].
    density : numpy.ndarray
        Air density at hub height [kg/m^3].
    """
    v_hub = wpl_wind_speed.hellman(weather["wind_speed"].to_numpy(), params.measurement_height_m,
                                   params.hub_height_m, hellman_exponent=params.hellman_exponent)
    t_hub = wpl_temperature.linear_gradient(weather["temp_air"].to_numpy() + 273.15, 2.0,
                                            params.hub_height_m)
    rho = wpl_density.ideal_gas(weather["pressure"].to_numpy(), 2.0, params.hub_height_m, t_hub)
    return np.asarray(v_hub, dtype=float), np.asarray(rho, dtype=float)


def wind_capacity_factor(weather: pd.DataFrame, altitude: float, params: ProfileParams,
                         target_flh: float | None = None) -> tuple[pd.Series, dict]:
    """Hourly capacity factor of a wind farm, optionally calibrated to full-load hours.

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned station weather, see :func:`hub_height_conditions`.
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
        ``raw_cf``, ``calibrated_cf`` [-], ``raw_flh``, ``flh`` [h], ``speed_factor`` [-],
        ``mean_hub_speed_raw``, ``mean_hub_speed`` [m/s].
    """
    speeds, power, _ = turbine_power_curve(params)
    v_hub, rho = hub_height_conditions(weather, altitude, params)
    keep = 1.0 - params.wind_losses

    def cf_of(k: float) -> np.ndarray:
        return keep * density_corrected_power(k * v_hub, speeds, power, rho)

    raw = cf_of(1.0)
    k = 1.0
    if params.wind_calibrate and target_flh is not None and np.isfinite(target_flh):
        k = calibrate_scale(lambda x: cf_of(x).sum(), target_flh, lo=0.3, hi=8.0,
                            rtol=params.calibration_tolerance)
    cf = raw if k == 1.0 else cf_of(k)
    info = {"raw_cf": float(raw.mean()), "calibrated_cf": float(cf.mean()),
            "raw_flh": float(raw.sum()), "flh": float(cf.sum()), "speed_factor": float(k),
            "mean_hub_speed_raw": float(v_hub.mean()), "mean_hub_speed": float(k * v_hub.mean())}
    return pd.Series(np.clip(cf, 0.0, 1.0), index=weather.index), info
