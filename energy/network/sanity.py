"""A built network holds no NaN: a number that went missing on the way is an error, not a gap.

PyPSA treats a NaN load or cost as if the component were not there (a NaN load is simply not
served, and the run still reports "optimal"), so the built network is checked before solving.
(A NaN given to ``n.add`` for a static attribute is replaced by PyPSA's default on the way in,
so static inputs are guarded by the finite checks of :mod:`energy.inputs`; this check catches
what arrives in time series and what is set directly.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa

from energy.inputs import InputError


def _defined(c: pypsa.components.Components) -> set[str]:
    """Numeric attributes whose default is a number: NaN there is never "unset"."""
    d = c.defaults
    default = pd.to_numeric(d["default"], errors="coerce")
    return set(d.index[default.notna()])


def _first_nan(frame: pd.DataFrame, attrs: set[str] | None = None) -> tuple[str, str] | None:
    numeric = frame.select_dtypes(include="number")
    if attrs is not None:
        numeric = numeric[[c for c in numeric.columns if c in attrs]]
    if numeric.empty:
        return None
    mask = numeric.isna().to_numpy()
    if not mask.any():
        return None
    row, col = (int(v[0]) for v in np.nonzero(mask))
    return str(numeric.index[row]), str(numeric.columns[col])


def check_network(n: pypsa.Network) -> None:
    """Raise :class:`InputError` naming the first NaN in a component's data or time series.

    Parameters
    ----------
    n : pypsa.Network
        The built (not yet solved) network.
    """
    for c in n.components:
        if c.static.empty:
            continue
        defined = _defined(c)
        hit = _first_nan(c.static, defined)
        if hit is not None:
            raise InputError(f"built network: {c.name} {hit[0]!r} has no valid '{hit[1]}' (NaN); "
                             "an input number is missing or out of range")
        for attr, series in c.dynamic.items():
            if series.empty or attr not in defined:
                continue
            hit = _first_nan(series)
            if hit is not None:
                raise InputError(f"built network: {c.name} {hit[1]!r} has no valid '{attr}' at "
                                 f"{hit[0]} (NaN); an input number is missing or out of range")
