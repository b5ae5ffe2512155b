"""PNG overview of the built profiles (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from energy.profiles.cache import Profiles, load_profiles  # noqa: E402


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
        duration curve.
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
    ]
