"""What the samples say: metrics per run, percentiles, and each factor's influence.

Metrics come from each run's ``summary.json``: system cost [CNY/a], CO2 [t/a], capacity per
technology [MW] (generation and storage, electric side), storage energy [MWh], line capacity
[MW], the export corridor [MW] and capacity per bus and technology [MW]. Percentiles (P5, P50,
P95) are taken over the samples that finished; failed samples are excluded and listed.
Influence: Spearman rank correlation of each factor's multiplier with each metric (Latin
hypercube), or Morris elementary effects (``mu_star``, ``sigma``) from complete trajectories.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from energy.results.iamc import technology

PERCENTILES = (5, 50, 95)
#: samples from which a rank correlation's p-value is taken as evidence
MIN_SAMPLES = 10
#: headline metrics of the "what matters" ranking (when present)
HEADLINE = ("system_cost", "co2_emissions", "capacity_mw:PHS", "capacity_mw:battery discharger",
            "capacity_mw:onwind", "capacity_mw:solar", "capacity_mw:OCGT", "capacity_mw:CCGT",
            "corridor_mw", "line_capacity_mw")


def run_metrics(summary: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Metric name -> (value, unit) of one run's summary."""
    out: dict[str, tuple[float, str]] = {
        "system_cost": (float(summary.get("system_cost", np.nan)), "CNY/a"),
        "co2_emissions": (float(summary.get("co2_emissions", np.nan)), "t/a"),
        "line_capacity_mw": (float((summary.get("line_capacity_mw") or {})
                                   .get("optimal", np.nan)), "MW"),
        "corridor_mw": (float((summary.get("export") or {}).get("corridor_mw_total", 0.0)),
                        "MW"),
    }
    for carrier, mw in (summary.get("capacity_mw") or {}).items():
        if technology(carrier).role in ("generation", "storage"):
            out[f"capacity_mw:{carrier}"] = (float(mw), "MW")
    for carrier, mwh in (summary.get("storage_mwh") or {}).items():
        out[f"storage_mwh:{carrier}"] = (float(mwh), "MWh")
    for bus, by_carrier in (summary.get("capacity_mw_by_bus") or {}).items():
        for carrier, mw in by_carrier.items():
            out[f"capacity_mw:{bus}:{carrier}"] = (float(mw), "MW")
    return out


def metric_table(summaries: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Wide table: one row per run (index = run name), one column per metric.

    A metric a run does not report (a technology it did not build at all) counts as 0.
    """
    rows = {name: {k: v for k, (v, _) in run_metrics(s).items()}
            for name, s in summaries.items() if s}
    return pd.DataFrame.from_dict(rows, orient="index").fillna(0.0).sort_index(axis=1)


def metric_units(summaries: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Metric -> unit."""
    units: dict[str, str] = {}
    for s in summaries.values():
        units |= {k: u for k, (_, u) in run_metrics(s).items()} if s else {}
    return units


def percentiles(metrics: pd.DataFrame, samples: list[str], base: str | None,
                units: dict[str, str]) -> pd.DataFrame:
    """P5 / P50 / P95 (and min, mean, max) of every metric over the finished samples.

    Parameters
    ----------
    metrics : pandas.DataFrame
        :func:`metric_table`.
    samples : list of str
        The samples that finished (failed ones are not in it).
    base : str, optional
        Name of the base run (its value is reported beside the percentiles).
    units : dict
        Metric -> unit.

    Returns
    -------
    pandas.DataFrame
        Columns metric, unit, base, p5, p50, p95, min, mean, max, n.
    """
    done = metrics.loc[metrics.index.intersection(samples)]
    rows = []
    for metric in metrics.columns:
        values = done[metric].dropna().to_numpy(dtype=float)
        q = (np.percentile(values, PERCENTILES) if len(values)
             else [np.nan] * len(PERCENTILES))
        rows.append({"metric": metric, "unit": units.get(metric, ""),
                     "base": float(metrics.at[base, metric]) if base in metrics.index
                     else np.nan,
                     **{f"p{p}": float(v) for p, v in zip(PERCENTILES, q, strict=True)},
                     "min": float(values.min()) if len(values) else np.nan,
                     "mean": float(values.mean()) if len(values) else np.nan,
                     "max": float(values.max()) if len(values) else np.nan,
                     "n": len(values)})
    return pd.DataFrame(rows)


def rank_correlations(design: pd.DataFrame, metrics: pd.DataFrame, samples: list[str]
                      ) -> pd.DataFrame:
    """Spearman rank correlation of every factor with every metric over the finished samples.

    Returns
    -------
    pandas.DataFrame
        Columns metric, factor, method (``spearman``), value (rho [-1, 1]), p_value (t
        approximation, meaningful from about 10 samples), n; NaN where a metric or factor does
        not vary.
    """
    done = [s for s in samples if s in design.index and s in metrics.index]
    rows = []
    for metric in metrics.columns:
        y = metrics.loc[done, metric].to_numpy(dtype=float)
        for factor in design.columns:
            x = design.loc[done, factor].to_numpy(dtype=float)
            rho, p = (np.nan, np.nan)
            if len(done) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 1e-9 * max(abs(y).max(), 1.0):
                res = stats.spearmanr(x, y)
                rho, p = float(res.statistic), float(res.pvalue)
            rows.append({"metric": metric, "factor": factor, "method": "spearman",
                         "value": rho, "p_value": p, "n": len(done)})
    return pd.DataFrame(rows)


def morris_indices(problem: dict, unit: np.ndarray, design_index: list[str],
                   metrics: pd.DataFrame, samples: list[str]) -> pd.DataFrame:
    """Morris ``mu_star`` (and ``sigma``) per metric and factor from the complete trajectories.

    A trajectory with a failed sample is left out whole (an elementary effect needs both of its
    points). Multipliers are analysed on the quantile scale [0, 1].

    Returns
    -------
    pandas.DataFrame
        Columns metric, factor, method (``morris``), value (mu_star, in the metric's unit per
        unit quantile), p_value (NaN), sigma.
    """
    from SALib.analyze import morris

    k = problem["num_vars"]
    done = set(samples)
    keep = [t for t in range(len(design_index) // (k + 1))
            if all(design_index[t * (k + 1) + j] in done for j in range(k + 1))]
    if not keep:
        return pd.DataFrame(columns=["metric", "factor", "method", "value", "p_value", "sigma"])
    rows_ix = [t * (k + 1) + j for t in keep for j in range(k + 1)]
    x = unit[rows_ix]
    names = [design_index[i] for i in rows_ix]
    rows = []
    for metric in metrics.columns:
        y = metrics.loc[names, metric].to_numpy(dtype=float)
        result = morris.analyze(problem, x, y, num_levels=4, seed=0)
        for j, factor in enumerate(problem["names"]):
            rows.append({"metric": metric, "factor": factor, "method": "morris",
                         "value": float(result["mu_star"][j]), "p_value": np.nan,
                         "sigma": float(result["sigma"][j])})
    return pd.DataFrame(rows)


def holm(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of p-values for testing many hypotheses at once.

    With 21 factors and 9 headline metrics, 189 correlations are tested: at 5 % about nine
    would pass by chance alone. Holm's adjusted p-values keep the chance of any false
    "significant" at ``alpha`` (family-wise), without assuming the tests are independent.
    NaN stays NaN.
    """
    valid = p_values.dropna()
    m = len(valid)
    if m == 0:
        return p_values.copy()
    order = valid.sort_values(kind="stable")
    scaled = order.to_numpy() * (m - np.arange(m))
    adjusted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return pd.Series(adjusted, index=order.index).reindex(p_values.index)


def what_matters(influence: pd.DataFrame, metrics: tuple[str, ...] = HEADLINE,
                 alpha: float = 0.05) -> pd.DataFrame:
    """Factors ranked by their largest influence on the headline metrics.

    For rank correlations the strength is ``|rho|``, and a factor counts as ``significant``
    when that correlation's p-value, adjusted by :func:`holm` over every factor and headline
    metric tested, is below ``alpha`` and it rests on at least :data:`MIN_SAMPLES` samples
    (the p-value's t approximation says p = 0 for |rho| = 1 even with 4 samples, where chance
    gives it 1 time in 12); significant factors rank first. ``p_value`` is the adjusted one. For
    Morris the strength is ``mu_star`` over the metric's largest ``mu_star`` (so metrics of
    different units compare) and every factor counts as significant.

    Returns
    -------
    pandas.DataFrame
        Columns rank, factor, strength [0, 1], metric (where it is largest), value, p_value,
        significant; one row per factor.
    """
    columns = ["rank", "factor", "strength", "metric", "value", "p_value", "significant"]
    frame = influence[influence.metric.isin(metrics)].dropna(subset=["value"]).copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    if (frame.method == "morris").any():
        top = frame.groupby("metric").value.transform(lambda v: v.abs().max() or 1.0)
        frame["strength"] = frame.value.abs() / top
        frame["significant"] = True
    else:
        frame["strength"] = frame.value.abs()
        frame["p_value"] = holm(frame.p_value)
        frame["significant"] = (frame.p_value < alpha) & (frame.n >= MIN_SAMPLES)
    frame["order"] = frame.p_value.fillna(0.0)
    best = frame.sort_values(["significant", "strength", "order"],
                             ascending=[False, False, True]).drop_duplicates("factor")
    best = best.reset_index(drop=True)
    best.insert(0, "rank", range(1, len(best) + 1))
    return best[columns]
