"""The sample design: quantiles in the unit cube, multipliers, one sweep run per sample.

Quantiles ``u`` in [0, 1]^k come from :class:`scipy.stats.qmc.LatinHypercube` (every factor's
range cut into N equal-probability strata, one sample in each) or from SALib's Morris sampler
(``r`` trajectories of ``k + 1`` points that change one factor at a time, 4 levels); each factor
turns its quantile into a multiplier (:meth:`energy.uncertainty.factors.Factor.ppf`). A sample is
the base scenario with ``input_scaling`` set, run exactly like a sweep case
(:class:`energy.sweep.RunSpec`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import qmc

from energy.config import InputScaling, Scenario
from energy.sweep import RunSpec
from energy.uncertainty.factors import Factor

Method = Literal["lhs", "morris"]
#: name of the run with every factor at 1 (the inputs as they are)
BASE = "base"
#: Morris grid levels
MORRIS_LEVELS = 4


def morris_problem(factors: list[Factor]) -> dict:
    """SALib problem over the unit cube (one dimension per factor)."""
    return {"num_vars": len(factors), "names": [f.factor_id for f in factors],
            "bounds": [[0.0, 1.0]] * len(factors)}


def unit_design(factors: list[Factor], samples: int, method: Method = "lhs",
                seed: int = 0) -> np.ndarray:
    """Quantiles of every sample and factor, shape (runs, factors).

    Parameters
    ----------
    factors : list of Factor
        The uncertain inputs.
    samples : int
        LHS: number of samples. Morris: number of trajectories (runs = samples x (k + 1)).
    method : {"lhs", "morris"}
        Design.
    seed : int
        Random seed (the same seed gives the same design, so a re-run resumes).

    Returns
    -------
    numpy.ndarray
        Quantiles in [0, 1].
    """
    if samples < 1:
        raise ValueError("expected at least one sample")
    if method == "lhs":
        return qmc.LatinHypercube(d=len(factors), rng=np.random.default_rng(seed)).random(samples)
    from SALib.sample import morris

    return morris.sample(morris_problem(factors), N=samples, num_levels=MORRIS_LEVELS,
                         seed=seed)


def design_table(factors: list[Factor], unit: np.ndarray) -> pd.DataFrame:
    """Multipliers per sample [p.u.]: index ``s000``..., one column per factor."""
    names = [f"s{i:03d}" for i in range(len(unit))]
    return pd.DataFrame({f.factor_id: f.ppf(unit[:, j]) for j, f in enumerate(factors)},
                        index=pd.Index(names, name="sample"))


def sample_specs(base: Scenario, factors: list[Factor], design: pd.DataFrame
                 ) -> list[RunSpec]:
    """One run per sample, plus the base run (every multiplier 1) named :data:`BASE`.

    Parameters
    ----------
    base : Scenario
        The resolved scenario every sample starts from.
    factors : list of Factor
        Factors in the design's column order.
    design : pandas.DataFrame
        :func:`design_table`.

    Returns
    -------
    list of RunSpec
        ``name`` = sample id; ``parameters`` = factor id -> multiplier.
    """
    by_id = {f.factor_id: f for f in factors}
    specs = [RunSpec(BASE, base.name, {k: 1.0 for k in design.columns},
                     base.model_copy(update={"name": BASE}))]
    for sample, row in design.iterrows():
        scalings = [InputScaling(file=by_id[k].file, rows=by_id[k].rows,
                                 column=by_id[k].column, factor=float(v), factor_id=k)
                    for k, v in row.items()]
        scenario = base.model_copy(update={
            "name": str(sample), "input_scaling": [*base.input_scaling, *scalings],
            "description": f"{base.description} [uncertainty sample {sample}]".strip()})
        specs.append(RunSpec(str(sample), base.name, {k: float(v) for k, v in row.items()},
                             scenario))
    return specs
