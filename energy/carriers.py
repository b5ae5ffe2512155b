"""The carrier registry: what each PyPSA carrier of the model is, described once, as data.

``energy/data/carriers.csv`` has one row per carrier. Every module that needs to know what a
carrier is (its nice name and colour, whether it is renewable or coal-fired heat, how it is
reported in the IAMC feed, its default capacity credit) reads it from here; adding a
technology is a row in that file plus, at most, one builder change.

Columns
-------
carrier : str
    The PyPSA carrier name (unique).
bus_carrier : str
    Carrier of the bus where the carrier's output (or the component) sits: ``AC``, ``heat``,
    ``gas``, ``battery`` ...; empty when it depends on the bus (load shedding).
nice_name, color : str
    Label and ``#rrggbb`` colour for tables and figures.
role : str
    One of :data:`ROLES`: how results count the carrier (a plant producing energy, storage,
    the export corridor, trade, unserved energy, a fuel, a transfer, a demand, or nothing).
iamc, iamc_energy, iamc_fuel, iamc_emissions : str
    IAMC technology path (``Wind|Onshore``), energy carrier of the capacity when the bus does
    not tell, the fuel path of primary energy and combustion CO2, and an emissions variable
    of its own (imports).
fuel : str
    Input carrier of a converter (``coal``, ``gas``, ``CMM``, ``AC``); empty otherwise.
renewable : bool
    Counts as wind and solar (renewable share, clean export).
coal_heat : bool
    Coal-fired district heat (clean-heating share).
reserve_credit : float
    Default capacity credit in the reserve margin [p.u. of capacity]; empty = not credited
    (storage is credited by its duration instead).
operating_reserve : str
    Which units may hold operating reserve (:data:`OPERATING_RESERVE`): ``fast`` (gas
    turbines, pumped hydro, batteries: from any headroom, also when idle), ``spinning``
    (coal and CHP: only from the headroom of committed capacity, and only when the scenario
    allows thermal units, ``reserves.thermal``), empty = none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

REGISTRY = Path(__file__).resolve().parent / "data" / "carriers.csv"

#: what a carrier does in the accounting of results
ROLES = ("generation", "storage", "corridor", "import", "export", "unserved", "fuel",
         "transfer", "demand", "ignore")
#: kinds of operating-reserve provider (column ``operating_reserve``; empty = none)
OPERATING_RESERVE = ("fast", "spinning")
_BOOL = {"true": True, "false": False}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TEXT = ("bus_carrier", "nice_name", "color", "role", "iamc", "iamc_energy", "iamc_fuel",
         "iamc_emissions", "fuel", "operating_reserve", "note")


class RegistryError(ValueError):
    """The carrier registry does not match its schema."""


def _fail(row: int, column: str, message: str) -> RegistryError:
    return RegistryError(f"{REGISTRY.name}, row {row} (line {row + 1}), column '{column}': "
                         f"{message}")


def read_registry(path: Path = REGISTRY) -> pd.DataFrame:
    """Read and validate a carrier registry.

    Parameters
    ----------
    path : Path
        The registry CSV (default: the package's ``energy/data/carriers.csv``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``carrier``, in file order; booleans as ``bool``, ``reserve_credit`` as
        float (NaN = not credited), empty text as ``""``.

    Raises
    ------
    RegistryError
        A duplicate carrier, an unknown role, a bad colour, flag or credit.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in ("carrier", *_TEXT, "renewable", "coal_heat", "reserve_credit")
               if c not in raw.columns]
    if missing:
        raise RegistryError(f"{Path(path).name}: missing column(s) {missing}")
    credits = []
    for i, row in enumerate(raw.itertuples(index=False), start=1):
        if row.role not in ROLES:
            raise _fail(i, "role", f"expected one of {list(ROLES)}, got {row.role!r}")
        if not _COLOR.match(row.color):
            raise _fail(i, "color", f"expected #rrggbb, got {row.color!r}")
        if row.operating_reserve and row.operating_reserve not in OPERATING_RESERVE:
            raise _fail(i, "operating_reserve", f"expected one of {list(OPERATING_RESERVE)} "
                        f"or empty, got {row.operating_reserve!r}")
        for flag in ("renewable", "coal_heat"):
            if getattr(row, flag) not in _BOOL:
                raise _fail(i, flag, f"expected true/false, got {getattr(row, flag)!r}")
        credit = float(row.reserve_credit) if row.reserve_credit else float("nan")
        if credit == credit and not 0.0 <= credit <= 1.0:
            raise _fail(i, "reserve_credit", f"expected a number in [0, 1], got {credit:g}")
        credits.append(credit)
    dup = raw.carrier.duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0]) + 1
        raise _fail(i, "carrier", f"expected a unique carrier, got {raw.carrier[i - 1]!r} twice")
    table = raw.set_index("carrier")
    for flag in ("renewable", "coal_heat"):
        table[flag] = table[flag].map(_BOOL).astype(bool)
    table["reserve_credit"] = credits
    return table


@lru_cache(maxsize=1)
def registry() -> pd.DataFrame:
    """The package's carrier registry (read once, validated); do not modify the result."""
    return read_registry()


def carrier_info(carrier: str) -> pd.Series | None:
    """The registry row of one carrier, or None for a carrier it does not list."""
    table = registry()
    return table.loc[carrier] if carrier in table.index else None


def with_role(*roles: str) -> tuple[str, ...]:
    """Carriers whose ``role`` is one of ``roles``."""
    table = registry()
    return tuple(table.index[table.role.isin(roles)])


def shedding_carrier() -> str:
    """The carrier of load shedding: the registry's one carrier with role ``unserved``."""
    (carrier,) = with_role("unserved")
    return carrier


def renewable_carriers() -> tuple[str, ...]:
    """Wind and solar carriers (``renewable = true``)."""
    table = registry()
    return tuple(table.index[table.renewable])


def coal_heat_carriers() -> tuple[str, ...]:
    """Carriers of coal-fired district heat (``coal_heat = true``)."""
    table = registry()
    return tuple(table.index[table.coal_heat])


def reserve_credits() -> dict[str, float]:
    """Default capacity credit per credited carrier [p.u. of capacity]."""
    credit = registry().reserve_credit.dropna()
    return {str(k): float(v) for k, v in credit.items()}


def reserve_providers(*kinds: str) -> tuple[str, ...]:
    """Carriers whose ``operating_reserve`` is one of ``kinds`` (``fast``, ``spinning``)."""
    table = registry()
    return tuple(table.index[table.operating_reserve.isin(kinds)])


def fuel_of(carrier: str) -> str:
    """Input carrier (fuel bus) of a converter carrier, e.g. ``coal CHP`` -> ``coal``.

    Raises
    ------
    RegistryError
        The carrier is not a converter in the registry.
    """
    info = carrier_info(carrier)
    if info is None or not info.fuel:
        raise RegistryError(f"{REGISTRY.name}: carrier {carrier!r} has no fuel")
    return str(info.fuel)


def converters(bus_carrier: str, fuels: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Converter carriers producing at ``bus_carrier`` (optionally only from ``fuels``)."""
    table = registry()
    mask = (table.bus_carrier == bus_carrier) & (table.fuel != "")
    if fuels is not None:
        mask &= table.fuel.isin(fuels)
    return tuple(table.index[mask])
