"""Issue #21: a NaN that reaches the built network is an error, never a dropped load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pypsa
import pytest

from energy.inputs import InputError
from energy.network.sanity import check_network


def network(load: list[float]) -> pypsa.Network:
    n = pypsa.Network()
    n.set_snapshots(pd.date_range("2035-01-01", periods=len(load), freq="h"))
    n.add("Bus", "A")
    n.add("Load", "A load", bus="A", p_set=pd.Series(load, index=n.snapshots))
    n.add("Generator", "A gas", bus="A", p_nom=100.0, marginal_cost=10.0)
    return n


def test_clean_network_passes_with_pypsa_unset_attributes() -> None:
    check_network(network([1.0, 2.0]))  # p_nom_set, ramp limits ... are NaN = unset: fine


def test_nan_load_is_named() -> None:
    """A county demand of 1e308 used to become a NaN load, silently not served."""
    with pytest.raises(InputError, match=r"built network: Load 'A load' has no valid 'p_set' at "
                       r"2035-01-01 01:00:00 \(NaN\)"):
        check_network(network([1.0, np.nan]))


def test_nan_availability_is_named() -> None:
    n = network([1.0, 2.0])
    n.generators_t.p_max_pu["A gas"] = [1.0, np.nan]
    with pytest.raises(InputError, match=r"Generator 'A gas' has no valid 'p_max_pu' at "
                       "2035-01-01 01:00:00"):
        check_network(n)
