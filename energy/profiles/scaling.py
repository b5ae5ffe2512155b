"""Profiles under an uncertainty sample: county loads scaled with their demand rows."""

from __future__ import annotations

import dataclasses
from typing import Any


def scale_load(profiles: Any, factors: dict[tuple, float]) -> Any:
    """Profiles with the county loads of scaled demand rows scaled by the same factor.

    A county's load is ``a + b x shape`` with ``a``, ``b`` set by its annual energy and peak
    (:func:`energy.profiles.load.scale_affine`); both scale linearly when energy and peak scale
    by one factor, so the hourly load scales by it exactly and the profiles need no rebuild.

    Parameters
    ----------
    profiles : energy.profiles.Profiles
        Built profiles.
    factors : dict
        ``(county_id, year) -> factor`` [p.u.].

    Returns
    -------
    energy.profiles.Profiles
        A copy with scaled ``load`` tables [MW].
    """
    if not factors:
        return profiles
    load = {year: frame.copy() for year, frame in profiles.load.items()}
    for (county, year), factor in factors.items():
        if int(year) in load and county in load[int(year)].columns:
            load[int(year)][county] = load[int(year)][county] * float(factor)
    return dataclasses.replace(profiles, load=load)
