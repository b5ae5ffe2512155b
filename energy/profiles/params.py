"""All tunable parameters of the profile build, in one frozen dataclass.

Every field has a documented default. The whole dataclass is hashed into
``profiles/built/manifest.json`` so that changing any value triggers a rebuild.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass

#: Hourly shape of a working day, electricity load, hours 0..23 local time [p.u. of daily mean].
#: Low-confidence estimate for an industry-heavy North China grid: night trough ~0.85,
#: morning ramp, a midday plateau and the evening peak at 18-19 h, chosen so that
#: together with the heating term a cold December weekday has its maximum at 17-19 h and a
#: daily load factor (mean/max) of ~0.8, close to the Taiyuan record day of 2018-12-08/10
#: (peak 4,300 MW at 17:50, 85.15 GWh/day = 3.55 GW mean -> 0.83; facts demand.csv, S67).
WEEKDAY_SHAPE: tuple[float, ...] = (
    0.86, 0.84, 0.83, 0.82, 0.83, 0.86, 0.92, 0.99, 1.05, 1.08, 1.09, 1.08,
    1.03, 1.04, 1.07, 1.07, 1.07, 1.10, 1.15, 1.15, 1.12, 1.06, 0.98, 0.91,
)
#: Hourly shape of a weekend day / holiday [p.u. of weekday daily mean]: ~4 % less energy,
#: flatter midday (commercial and light industry off), same evening peak (households).
WEEKEND_SHAPE: tuple[float, ...] = (
    0.85, 0.83, 0.82, 0.81, 0.81, 0.83, 0.87, 0.92, 0.97, 1.00, 1.01, 1.01,
    0.98, 0.97, 0.98, 0.99, 1.01, 1.06, 1.12, 1.13, 1.10, 1.04, 0.96, 0.89,
)
#: Intraday weighting of electric space heating [p.u., mean 1]: evening/night heavy
#: (households at home; off-peak tariff storage heaters run 20-08 h). Low-confidence estimate.
ELECTRIC_HEATING_SHAPE: tuple[float, ...] = (
    1.10, 1.10, 1.10, 1.10, 1.10, 1.10, 1.15, 1.10, 0.95, 0.85, 0.80, 0.75,
    0.75, 0.75, 0.75, 0.80, 0.90, 1.10, 1.25, 1.20, 1.15, 1.10, 1.10, 1.10,
)
#: Intraday operating shape of district heating [p.u., mean 1]: modest morning boost after
#: night set-back in public buildings. Multiplies the temperature-driven demand.
#: Low-confidence estimate (typical North China DH operation); temperature drives most
#: of the variation.
DH_INTRADAY_SHAPE: tuple[float, ...] = (
    1.00, 1.00, 1.00, 1.00, 1.02, 1.06, 1.10, 1.08, 1.04, 1.00, 0.97, 0.95,
    0.94, 0.94, 0.95, 0.96, 0.98, 1.00, 1.02, 1.02, 1.01, 1.00, 0.99, 0.98,
)


#: Methods of the hub-height wind (see ``ProfileParams.wind_method``).
WIND_METHODS = ("stability_weibull", "fixed_shear")


@dataclass(frozen=True)
class ProfileParams:
    """Parameters of the hourly profile build (defaults documented per field).

    Attributes
    ----------
    year : int
        Reference calendar year the typical-year weather is mapped onto; must not be a leap
        year (8,760 h). Weekday/weekend of the load shape follows this calendar.
    tz : str
        Time zone of the output index (UTC+8, no DST).
    pv_tilt_deg : float
        Fixed-tilt module tilt [deg]; ~latitude minus 3-5 deg, usual for utility PV at 38 N.
    pv_azimuth_deg : float
        Module azimuth [deg], 180 = south.
    pv_tracking : bool
        Use horizontal single-axis N-S tracking (backtracking, GCR ``pv_gcr``) instead of
        fixed tilt.
    pv_gcr : float
        Ground coverage ratio of the tracker rows [-].
    pv_dc_ac_ratio : float
        DC/AC ratio; output is per unit of AC (inverter) rating.
    pv_gamma_pdc : float
        PVWatts temperature coefficient of power [1/degC].
    pv_losses_percent : float
        PVWatts system losses [%] (soiling, mismatch, wiring, availability, ...); pvlib default
        ``pvwatts_losses()`` is 14.08 %.
    pv_inverter_eta : float
        PVWatts nominal inverter efficiency [-].
    albedo : float
        Ground albedo [-]; CSWD files carry no albedo (999), so one value is used everywhere.
    pv_calibrate : bool
        Scale irradiance (all components, before the PV model) so that the AC full-load hours hit
        ``full_load_hours_target`` of each solar site.
    turbine_type : str
        windpowerlib oedb turbine type whose power curve is shipped offline
        (``windpowerlib/oedb/power_curves.csv``, cut-out 25 m/s). Default Enercon E-141/4200:
        4.2 MW, 141 m rotor, 269 W/m^2 specific power (oedb ``turbine_data.csv``: IEC/EN IIA),
        a low-specific-power machine suited to low-wind inland sites. Choice = estimate, low
        confidence (a representative turbine, not a named project's).
    hub_height_m : float
        Hub height [m]; one of the E-141 catalogue heights 99/129/135/159 m (oedb
        ``turbine_data.csv``). Choice = estimate, low confidence.
    measurement_height_m : float
        Height of the EPW wind speed [m] (10 m, EPW convention; high confidence).
    wind_method : str
        ``"stability_weibull"`` (default, issue #17): stability-dependent shear for the timing
        of the hours and a Weibull distribution at hub height whose scale is calibrated
        (:mod:`energy.profiles.hub_wind`). ``"fixed_shear"``: the earlier method, one Hellman
        exponent and a speed factor stretched until the full-load hours are met (afternoon
        maximum, hours beyond cut-out); kept only to compare against.
    stability_exponents : tuple of float
        Power-law exponent per Pasquill class A..F [-]. A-E: rural values of Irwin (1979), as
        tabulated in EPA-454/R-99-005 section 6.2.5 (0.07, 0.07, 0.10, 0.15, 0.35; medium
        confidence). F: 0.40 instead of Irwin's 0.55, the upper end of the 0.35-0.40 plateau of
        shear measured under strong stability on the 140 m Zhangjiakou (Hebei) tower (Liang et
        al. 2024); medium-low confidence. Only the order of the hours depends on them (step 3
        maps the order onto a Weibull distribution).
    wind_calm_m_s : float
        Calm threshold [m/s]: the floor of the 10 m wind before shearing, and the threshold
        above which the station's Weibull shape is fitted. Estimate (half the 1 m/s rounding of
        the CSWD files), low confidence.
    wind_synoptic_window_h : int
        Window of the centred running mean of the 10 m wind that stands for the synoptic wind
        aloft [h]; the sheared reference is the larger of the hour's wind and this mean (a valley
        wind below its daily mean is taken as decoupled from the ridges). Estimate (one day
        removes the diurnal cycle), low confidence.
    wind_weibull_k : float or None
        Weibull shape at hub height [-]; None = the station's 10 m shape (moments method of
        Justus et al. 1978, hours above ``wind_calm_m_s``) projected to hub height by Justus &
        Mikhail (1976): 1.9-2.3 for the CSWD stations. Medium-low confidence.
    hellman_exponent : float
        Power-law shear exponent of ``wind_method="fixed_shear"`` [-] (1/7, the neutral-stability
        textbook value).
    wind_smooth_power_curve : bool
        Smooth the turbine curve with a Gaussian (windpowerlib, Staffell & Pfenninger std) to
        represent a wind farm rather than one turbine.
    wind_losses : float
        Fraction of gross output lost to wakes, availability and electrical losses [-].
    wind_calibrate : bool
        Calibrate so that the full-load hours hit ``full_load_hours_target`` of each wind site
        (bisection): the Weibull scale at hub height (``stability_weibull``) or a factor on the
        hub-height speed (``fixed_shear``).
    calibration_tolerance : float
        Relative tolerance of the calibration on full-load hours [-].
    heating_base_c : float
        Base temperature of the heating-degree-hour method [degC].
    heating_threshold_c : float
        Space heating runs only on days whose daily mean temperature is below this [degC].
    heating_season_start : str
        Statutory start of the district-heating season, ``MM-DD`` (Taiyuan: 1 Nov, S42).
    heating_season_end : str
        Last day of the heating season, ``MM-DD`` (customary Shanxi 31 Mar; low confidence).
    heating_inertia_h : int
        Length of the trailing mean of air temperature representing building inertia [h].
    hot_water_share : float
        Hot-water base load inside the heating season as share of the design load [-].
    cop_sink_c : float
        Heat-pump sink (flow) temperature [degC] of a secondary network, 55 degC as in
        PyPSA-Eur; also the temperature up to which the Staffell fits are used as they are
        (an area's own sink is ``heat_areas.csv`` ``hp_sink_c``).
    ground_damping : float
        Ratio of the ground-temperature swing to the (30-day mean) air-temperature swing [-].
    ground_lag_days : int
        Lag of the ground temperature behind the air temperature [d].
    cop_fit_max_lift_k : float
        Largest temperature lift at which the Staffell fits are used as they are [K]; above it
        (and for sinks hotter than ``cop_sink_c``) the heat pump keeps the fit's second-law
        efficiency at that lift (60 K, estimate of the range of the fits' data).
    cop_min : float
        Lower clip of the COP [-].
    cop_max : float
        Upper clip of the COP [-].
    load_heating_base_c : float
        Base temperature for electric space heating in the electricity load [degC].
    load_cooling_base_c : float
        Base temperature for cooling in the electricity load [degC].
    load_heating_share_at_peak : float
        Share of electric space heating in the load at the coldest hour [-]; 1,000 of 4,300 MW in
        Dec 2018 (S67).
    load_cooling_share_at_peak : float
        Share of cooling in the load at the hottest hour [-] (low-confidence estimate).
    weekday_shape, weekend_shape, electric_heating_shape, dh_intraday_shape : tuple of float
        24 hourly factors, see the module constants.
    """

    year: int = 2035
    tz: str = "Asia/Shanghai"
    pv_tilt_deg: float = 33.0
    pv_azimuth_deg: float = 180.0
    pv_tracking: bool = False
    pv_gcr: float = 0.35
    pv_dc_ac_ratio: float = 1.2
    pv_gamma_pdc: float = -0.0035
    pv_losses_percent: float = 14.08
    pv_inverter_eta: float = 0.98
    albedo: float = 0.2
    pv_calibrate: bool = True
    turbine_type: str = "E-141/4200"
    hub_height_m: float = 129.0
    measurement_height_m: float = 10.0
    wind_method: str = "stability_weibull"
    stability_exponents: tuple[float, ...] = (0.07, 0.07, 0.10, 0.15, 0.35, 0.40)
    wind_calm_m_s: float = 0.5
    wind_synoptic_window_h: int = 24
    wind_weibull_k: float | None = None
    hellman_exponent: float = 1.0 / 7.0
    wind_smooth_power_curve: bool = True
    wind_losses: float = 0.12
    wind_calibrate: bool = True
    calibration_tolerance: float = 0.002
    heating_base_c: float = 18.0
    heating_threshold_c: float = 15.0
    heating_season_start: str = "11-01"
    heating_season_end: str = "03-31"
    heating_inertia_h: int = 24
    hot_water_share: float = 0.05
    cop_sink_c: float = 55.0
    ground_damping: float = 0.25
    ground_lag_days: int = 30
    cop_fit_max_lift_k: float = 60.0
    cop_min: float = 1.0
    cop_max: float = 5.0
    load_heating_base_c: float = 14.0
    load_cooling_base_c: float = 24.0
    load_heating_share_at_peak: float = 0.23
    load_cooling_share_at_peak: float = 0.15
    weekday_shape: tuple[float, ...] = WEEKDAY_SHAPE
    weekend_shape: tuple[float, ...] = WEEKEND_SHAPE
    electric_heating_shape: tuple[float, ...] = ELECTRIC_HEATING_SHAPE
    dh_intraday_shape: tuple[float, ...] = DH_INTRADAY_SHAPE

    def __post_init__(self) -> None:
        """Check the calendar, the 24-hour shapes and the wind options."""
        if (self.year % 4 == 0 and self.year % 100 != 0) or self.year % 400 == 0:
            raise ValueError(f"year={self.year} is a leap year; use a non-leap reference year")
        for name in ("weekday_shape", "weekend_shape", "electric_heating_shape",
                     "dh_intraday_shape"):
            if len(getattr(self, name)) != 24:
                raise ValueError(f"{name} must have 24 hourly values")
        if self.wind_method not in WIND_METHODS:
            raise ValueError(f"wind_method={self.wind_method!r}: expected one of {WIND_METHODS}")
        if len(self.stability_exponents) != 6 or min(self.stability_exponents) < 0:
            raise ValueError("stability_exponents must hold 6 non-negative values (classes A-F)")
        if self.wind_weibull_k is not None and self.wind_weibull_k <= 0:
            raise ValueError(f"wind_weibull_k={self.wind_weibull_k}: expected > 0 or None")

    def to_dict(self) -> dict:
        """Return the parameters as a JSON-serialisable dict."""
        return {k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(self).items()}

    def digest(self) -> str:
        """Return the sha256 of the canonical JSON of all parameters."""
        text = json.dumps(self.to_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
