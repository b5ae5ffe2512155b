"""Capacity-expansion model of the Taiyuan–Xinzhou integrated economic zone (PyPSA + HiGHS)."""

import pypsa

# Keep PyPSA 1.x's current string handling explicitly (silences its pandas-3 FutureWarning).
pypsa.options.set_option("api.legacy_string_dtype", True)

__version__ = "0.1.0"
