"""Errors of the optimisation layer."""

from __future__ import annotations


class SolveError(RuntimeError):
    """No preset returned an optimal solution (or the model is infeasible)."""


class InfeasibleError(SolveError):
    """HiGHS proved the model infeasible (or unbounded)."""
