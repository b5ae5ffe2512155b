"""PNG overview of the built profiles (matplotlib, Agg backend)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from energy.profiles import weather, wind  # noqa: E402
from energy.profiles.cache import Profiles, load_profiles  # noqa: E402
from energy.profiles.hub_wind import night_day_ratio  # noqa: E402
from energy.profiles.params import ProfileParams  # noqa: E402

#: Stations of the before/after wind comparison (the three CSWD files the sites use).
WIND_STATIONS = ("taiyuan", "yuanping", "datong")


def _week(df: pd.DataFrame, start: str, tz: str) -> pd.DataFrame:
    t0 = pd.Timestamp(start, tz=tz)
    return df.loc[t0:t0 + pd.Timedelta(days=7) - pd.Timedelta(hours=1)]


def _plot_monthly_cf(p: Profiles, path: Path) -> Path:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, (name, df) in zip(axes, (("solar", p.solar), ("onwind", p.wind)), strict=True):
        monthly = df.groupby(df.index.month).mean()
        for col in monthly.columns:
            ax.plot(monthly.index, monthly[col], marker="o", lw=1, label=col)
        ax.set_title(f"{name}: monthly mean capacity factor")
        ax.set_xlabel("month")
        ax.set_xticks(range(1, 13))
        ax.legend(fontsize=6, ncol=2)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("capacity factor [p.u.]")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _plot_week(p: Profiles, start: str, label: str, path: Path) -> Path:
    tz = str(p.solar.index.tz)
    year = max(p.load)
    fig, axes = plt.subplots(3, 1, figsize=(11, 8), sharex=True)
    s = _week(p.solar, start, tz)
    w = _week(p.wind, start, tz)
    axes[0].plot(s.index, s.mean(axis=1), label="solar (mean of sites)")
    axes[0].plot(w.index, w.mean(axis=1), label="onwind (mean of sites)")
    axes[0].set_ylabel("capacity factor [p.u.]")
    axes[0].legend(fontsize=8)
    ld = _week(p.load[year], start, tz).sum(axis=1)
    axes[1].plot(ld.index, ld, color="k", label=f"zone load {year}")
    axes[1].set_ylabel("[MW]")
    axes[1].legend(fontsize=8)
    hd = _week(p.heat_demand[max(p.heat_demand)], start, tz).sum(axis=1)
    ax2 = axes[2]
    ax2.plot(hd.index, hd, color="tab:red", label="district heat demand")
    ax2.set_ylabel("[MW_th]")
    cop = _week(p.cop_ashp, start, tz).mean(axis=1)
    ax3 = ax2.twinx()
    ax3.plot(cop.index, cop, color="tab:blue", ls="--", label="ASHP COP (mean)")
    ax3.set_ylabel("COP [-]")
    ax2.legend(loc="upper left", fontsize=8)
    ax3.legend(loc="upper right", fontsize=8)
    fig.suptitle(f"{label} week from {start}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _plot_heat_duration(p: Profiles, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for year, df in sorted(p.heat_demand.items()):
        total = np.sort(df.sum(axis=1).to_numpy())[::-1]
        ax.plot(np.arange(1, len(total) + 1), total, label=str(year))
    ax.set_xlabel("hours of the year, sorted")
    ax.set_ylabel("district heat demand, zone total [MW_th]")
    ax.set_title("Heat-demand duration curve")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def compare_wind_methods(profiles_dir: Path, target_flh: float = 2100.0,
                         stations: tuple[str, ...] = WIND_STATIONS,
                         params: ProfileParams | None = None) -> tuple[pd.DataFrame, dict]:
    """Hub-height wind of the fixed-shear ("before") and stability-Weibull ("after") methods.

    "Before" also reads block-held series as they are in the file; "after" interpolates them.

    Parameters
    ----------
    profiles_dir : pathlib.Path
        Folder with ``weather/`` (files and ``stations.csv``).
    target_flh : float
        Full-load hours both methods are calibrated to [h/a].
    stations : tuple of str
        Station ids of ``stations.csv``.
    params : ProfileParams, optional
        Other parameters (default ``ProfileParams()``); ``wind_method`` is set per method.

    Returns
    -------
    table : pandas.DataFrame
        One row per station and method: ``night_day_ratio`` [-] (capacity factor 22-06 h over
        10-18 h), ``flh`` [h], ``hours_above_cut_out`` [h], ``hours_at_zero`` [h],
        ``mean_hub_speed``, ``max_hub_speed`` [m/s].
    series : dict
        ``(station, method) -> (capacity factor, hub speed)`` as pandas Series.
    """
    base = params or ProfileParams()
    reg = weather.read_station_registry(Path(profiles_dir) / "weather")
    rows, series = [], {}
    for st in stations:
        row = reg.loc[st]
        for label, method in (("before", "fixed_shear"), ("after", "stability_weibull")):
            data, meta = weather.read_weather_file(row["path"], row["format"], base.year,
                                                   base.tz, float(row["time_offset_min"]),
                                                   interpolate_held=label == "after")
            p = dataclasses.replace(base, wind_method=method)
            speed, rho, info = wind.hub_wind_speed(data, meta["altitude"], p, target_flh)
            cf = wind.capacity_factor_of(speed, rho, p)
            series[(st, label)] = (cf, speed)
            rows.append({"station": st, "method": label,
                         "night_day_ratio": night_day_ratio(cf), "flh": float(cf.sum()),
                         "hours_above_cut_out": info["hours_above_cut_out"],
                         "hours_at_zero": int((cf <= 1e-6).sum()),
                         "mean_hub_speed": float(speed.mean()),
                         "max_hub_speed": float(speed.max())})
    return pd.DataFrame(rows), series


def plot_wind_comparison(profiles_dir: Path, path: Path, target_flh: float = 2100.0) -> Path:
    """PNG of the diurnal cycle and the hub-speed distribution, before and after issue #17.

    Parameters
    ----------
    profiles_dir : pathlib.Path
        Folder with ``weather/``.
    path : pathlib.Path
        Output PNG.
    target_flh : float
        Full-load hours both methods are calibrated to [h/a].

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    table, series = compare_wind_methods(profiles_dir, target_flh)
    stations = list(dict.fromkeys(table["station"]))
    fig, axes = plt.subplots(2, len(stations), figsize=(4.2 * len(stations), 7.5))
    axes = np.asarray(axes).reshape(2, len(stations))
    cut_out = float(wind.cut_out_speed(ProfileParams()))
    bins = np.arange(0.0, 41.0, 1.0)
    for j, st in enumerate(stations):
        for label, style in (("before", "--"), ("after", "-")):
            cf, speed = series[(st, label)]
            ratio = table.query("station == @st and method == @label")["night_day_ratio"].iloc[0]
            daily = cf.groupby(cf.index.hour).mean()
            axes[0, j].plot(daily.index, daily.to_numpy(), style, marker=".",
                            label=f"{label} (night/day {ratio:.2f})")
            hist, _ = np.histogram(speed.to_numpy(), bins=bins)
            axes[1, j].step(bins[:-1], hist, style, where="post",
                            label=f"{label} (max {speed.max():.1f} m/s)")
        axes[0, j].set_title(f"{st}: mean capacity factor by hour")
        axes[0, j].set_xlabel("hour of day (UTC+8)")
        axes[0, j].set_xticks(range(0, 24, 3))
        axes[1, j].axvline(cut_out, color="k", lw=0.8, ls=":", label=f"cut-out {cut_out:.0f} m/s")
        axes[1, j].set_yscale("log")
        axes[1, j].set_title(f"{st}: hub-height wind speed")
        axes[1, j].set_xlabel("wind speed at hub height [m/s]")
        for ax in axes[:, j]:
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    axes[0, 0].set_ylabel("capacity factor [p.u.]")
    axes[1, 0].set_ylabel("hours per 1 m/s bin")
    fig.suptitle(f"Wind before (fixed shear, speed stretched) and after (stability shear, "
                 f"Weibull at hub height); both at {target_flh:.0f} full-load hours", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_profiles(profiles_dir: Path, out_dir: Path) -> list[Path]:
    """Write overview PNGs of the built profiles.

    Parameters
    ----------
    profiles_dir : pathlib.Path
        Folder whose ``built/`` holds the profiles.
    out_dir : pathlib.Path
        Folder for the PNG files (created).

    Returns
    -------
    list of pathlib.Path
        Written files: monthly capacity factors, a winter and a summer week, the heat-demand
        duration curve, the wind before/after comparison (:func:`plot_wind_comparison`).
    """
    p = load_profiles(profiles_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    year = p.solar.index[0].year
    return [
        _plot_monthly_cf(p, out / "monthly_capacity_factors.png"),
        _plot_week(p, f"{year}-01-14", "Winter", out / "week_winter.png"),
        _plot_week(p, f"{year}-07-15", "Summer", out / "week_summer.png"),
        _plot_heat_duration(p, out / "heat_demand_duration.png"),
        plot_wind_comparison(profiles_dir, out / "wind_before_after.png"),
    ]
