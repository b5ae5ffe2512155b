"""Which input row and column each component attribute was built from (provenance links).

Builders call :func:`link` where an input value becomes a limit or price of a component (a
potential ``p_nom_max``, an existing ``p_nom``, an annual ``e_sum_max``, a ``marginal_cost``).
The links are kept in ``n.meta["input_links"]`` (saved with ``network.nc``) as rows
``[component, name, attribute, file, row id, column]``; the results layer reads them to find the
low-confidence inputs that bind at the optimum (:mod:`energy.results.provenance`). :func:`link`
also records the rows as used (``inputs.usage``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import pypsa

from energy.inputs import Inputs, row_id
from energy.inputs.usage import key_frame

META_KEY = "input_links"
COLUMNS = ["component", "name", "attribute", "file", "row", "column"]


def link(n: pypsa.Network, inputs: Inputs, file: str, rows: pd.DataFrame, component: str,
         names: Sequence[str], attrs: Mapping[str, str]) -> None:
    """Record that ``attrs`` of components ``names`` come from ``rows`` of ``file``.

    Parameters
    ----------
    n : pypsa.Network
        The network being built.
    inputs : Inputs
        Its inputs (the rows are recorded as used).
    file : str
        Input file name, e.g. ``"renewable_sites.csv"``.
    rows : pandas.DataFrame
        The rows, aligned one-to-one with ``names`` (key columns or key index).
    component : str
        PyPSA component class (``"Generator"``, ``"StorageUnit"`` ...).
    names : sequence of str
        Component names, one per row.
    attrs : mapping of str to str
        Component attribute -> input column (``{"p_nom_max": "p_nom_max_mw"}``).
    """
    inputs.use(file, rows)
    keys = [row_id(k) for k in key_frame(file, rows).itertuples(index=False, name=None)]
    if len(keys) != len(names):
        raise ValueError(f"{file}: {len(keys)} rows for {len(names)} {component} names")
    records = list(n.meta.get(META_KEY, []))
    for name, key in zip(names, keys, strict=True):
        records += [[component, str(name), attr, file, key, column]
                    for attr, column in attrs.items()]
    n.meta[META_KEY] = records


def input_links(n: pypsa.Network) -> pd.DataFrame:
    """The network's provenance links as a table with columns :data:`COLUMNS`."""
    return pd.DataFrame(list(n.meta.get(META_KEY, []) or []), columns=COLUMNS)
