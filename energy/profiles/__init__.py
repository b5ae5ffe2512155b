"""Hourly profiles from real weather: PV, wind, electricity load, district heat, heat-pump COP.

Public API: :func:`build_profiles`, :func:`load_profiles`, :func:`ensure_profiles`,
:func:`plot_profiles`, :class:`Profiles`, :class:`ProfileParams`. Methods and sources are in
``profiles/README.md``.
"""

from energy.profiles.build import build_profiles, ensure_profiles
from energy.profiles.cache import Profiles, load_profiles
from energy.profiles.params import ProfileParams
from energy.profiles.plot import plot_profiles

__all__ = ["ProfileParams", "Profiles", "build_profiles", "ensure_profiles", "load_profiles",
           "plot_profiles"]
