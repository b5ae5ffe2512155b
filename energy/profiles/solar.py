"""Hourly AC capacity factor of utility PV from station weather (pvlib, PVWatts chain).

The chain is the one pvlib's ``ModelChain.with_pvwatts`` runs, written out as functions so that
the plane-of-array irradiance is computed once and the calibration only re-runs the cheap
temperature / DC / inverter steps:

1. solar position at the centre of each hour (stamp + 30 min, weather already aligned);
2. fixed tilt (default 33 deg, south) or horizontal N-S single-axis tracking with backtracking;
3. Perez (1990) transposition with albedo 0.2 (CSWD files carry no albedo);
4. Fresnel/physical incidence-angle loss on the beam;
5. SAPM cell temperature (open rack, glass/glass);
6. PVWatts DC (gamma -0.35 %/K) with PVWatts system losses 14.08 %;
7. PVWatts inverter (98 % nominal), DC/AC 1.2, output per unit of AC rating, clipped at 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib

from energy.profiles.calibration import calibrate_scale
from energy.profiles.params import ProfileParams


@dataclass(frozen=True)
class PoaInputs:
    """Plane-of-array irradiance components and weather needed after transposition.

    Attributes
    ----------
    poa_direct, poa_diffuse : numpy.ndarray
        Beam (after incidence-angle loss) and diffuse in-plane irradiance [W/m^2].
    temp_air : numpy.ndarray
        Air temperature [degC].
    wind_speed : numpy.ndarray
        Wind speed at 10 m [m/s].
    """

    poa_direct: np.ndarray
    poa_diffuse: np.ndarray
    temp_air: np.ndarray
    wind_speed: np.ndarray


def plane_of_array(weather: pd.DataFrame, latitude: float, longitude: float, altitude: float,
                   params: ProfileParams) -> PoaInputs:
    """Transpose hourly horizontal irradiance to the module plane.

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned weather (ghi, dni, dhi [W/m^2], temp_air [degC], wind_speed [m/s],
        pressure [Pa]); stamps are hour starts, values centred at stamp + 30 min.
    latitude, longitude : float
        Site coordinates [deg].
    altitude : float
        Elevation used for the solar position [m].
    params : ProfileParams
        Tilt, azimuth, tracking, albedo.

    Returns
    -------
    PoaInputs
        In-plane beam (incidence-angle loss applied) and diffuse irradiance [W/m^2].
    """
    times = weather.index + pd.Timedelta(minutes=30)
    weather = weather.set_axis(times)
    sp = pvlib.solarposition.get_solarposition(times, latitude, longitude, altitude=altitude,
                                               pressure=weather["pressure"].to_numpy(),
                                               temperature=weather["temp_air"].to_numpy())
    if params.pv_tracking:
        trk = pvlib.tracking.singleaxis(sp["apparent_zenith"], sp["azimuth"], axis_tilt=0,
                                        axis_azimuth=180, max_angle=60, backtrack=True,
                                        gcr=params.pv_gcr)
        tilt = trk["surface_tilt"].fillna(0.0)
        azimuth = trk["surface_azimuth"].fillna(180.0)
    else:
        tilt, azimuth = params.pv_tilt_deg, params.pv_azimuth_deg
    dni_extra = pvlib.irradiance.get_extra_radiation(times)
    airmass = pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"])
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azimuth, sp["apparent_zenith"], sp["azimuth"], weather["dni"], weather["ghi"],
        weather["dhi"], dni_extra=dni_extra, airmass=airmass, albedo=params.albedo,
        model="perez")
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sp["apparent_zenith"], sp["azimuth"])
    iam = np.nan_to_num(pvlib.iam.physical(aoi), nan=0.0)
    direct = np.nan_to_num(poa["poa_direct"].to_numpy() * np.asarray(iam), nan=0.0)
    diffuse = np.nan_to_num(poa["poa_diffuse"].to_numpy(), nan=0.0)
    return PoaInputs(np.clip(direct, 0, None), np.clip(diffuse, 0, None),
                     weather["temp_air"].to_numpy(), weather["wind_speed"].to_numpy())


def pv_ac_per_unit(poa: PoaInputs, params: ProfileParams, scale: float = 1.0) -> np.ndarray:
    """AC output per unit of inverter rating from plane-of-array irradiance.

    Parameters
    ----------
    poa : PoaInputs
        Output of :func:`plane_of_array`.
    params : ProfileParams
        DC/AC ratio, temperature coefficient, losses, inverter efficiency.
    scale : float
        Multiplier on all irradiance components [-] (calibration; 1 = raw weather).

    Returns
    -------
    numpy.ndarray
        AC capacity factor per hour [p.u. of AC rating], in [0, 1].
    """
    eff = scale * (poa.poa_direct + poa.poa_diffuse)
    tp = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_glass"]
    temp_cell = pvlib.temperature.sapm_cell(eff, poa.temp_air, poa.wind_speed, **tp)
    pdc = pvlib.pvsystem.pvwatts_dc(eff, temp_cell, pdc0=params.pv_dc_ac_ratio,
                                    gamma_pdc=params.pv_gamma_pdc)
    pdc = np.clip(np.asarray(pdc) * (1.0 - params.pv_losses_percent / 100.0), 0.0, None)
    pac = pvlib.inverter.pvwatts(pdc, pdc0=1.0 / params.pv_inverter_eta,
                                 eta_inv_nom=params.pv_inverter_eta)
    return np.clip(np.nan_to_num(np.asarray(pac, dtype=float), nan=0.0), 0.0, 1.0)


def solar_capacity_factor(weather: pd.DataFrame, latitude: float, longitude: float,
                          altitude: float, params: ProfileParams,
                          target_flh: float | None = None) -> tuple[pd.Series, dict]:
    """Hourly AC capacity factor of a PV site, optionally calibrated to full-load hours.

    Calibration multiplies all irradiance components by one factor (found by bisection) before
    the temperature, DC and inverter models, so clipping and temperature losses stay physical
    and the result stays in [0, 1].

    Parameters
    ----------
    weather : pandas.DataFrame
        Aligned station weather, see :func:`plane_of_array`.
    latitude, longitude : float
        Site coordinates [deg].
    altitude : float
        Elevation [m].
    params : ProfileParams
        PV parameters; ``pv_calibrate`` switches calibration.
    target_flh : float, optional
        Target AC full-load hours [h/a]; NaN/None = no calibration.

    Returns
    -------
    cf : pandas.Series
        AC capacity factor [p.u.].
    info : dict
        ``raw_cf``, ``calibrated_cf`` [-], ``raw_flh``, ``flh`` [h], ``scale`` [-].
    """
    poa = plane_of_array(weather, latitude, longitude, altitude, params)
    raw = pv_ac_per_unit(poa, params)
    scale = 1.0
    if params.pv_calibrate and target_flh is not None and np.isfinite(target_flh):
        scale = calibrate_scale(lambda k: pv_ac_per_unit(poa, params, k).sum(), target_flh,
                                lo=0.2, hi=5.0, rtol=params.calibration_tolerance)
    cf = raw if scale == 1.0 else pv_ac_per_unit(poa, params, scale)
    info = {"raw_cf": float(raw.mean()), "calibrated_cf": float(cf.mean()),
            "raw_flh": float(raw.sum()), "flh": float(cf.sum()), "scale": float(scale)}
    return pd.Series(cf, index=weather.index), info
