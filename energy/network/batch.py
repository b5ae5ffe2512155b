"""Add many components of one class in few ``n.add`` calls.

Each ``n.add`` call costs PyPSA a pass over every attribute of the class (about 0.05 s for a
Link), whatever the number of components it adds; adding a table's rows one call at a time made
the heat supply half of a network build. :func:`add_batched` groups the rows by the attributes
they set and adds each group in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pypsa


def add_batched(n: pypsa.Network, component: str,
                entries: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Add components of ``component`` given as ``(name, attributes)`` pairs.

    Entries that set the same attributes, with the same of them time-varying (a
    ``pandas.Series`` on the snapshots), are added together in their order; groups are added in
    the order of their first entry.

    Parameters
    ----------
    n : pypsa.Network
        The network being built.
    component : str
        PyPSA component class (``"Link"``, ``"Generator"`` ...).
    entries : sequence of (str, dict)
        Component name and its attributes as one ``n.add`` call would take them.
    """
    groups: dict[tuple[tuple[str, bool], ...], list[tuple[str, dict[str, Any]]]] = {}
    for name, attrs in entries:
        key = tuple((k, isinstance(v, pd.Series)) for k, v in sorted(attrs.items()))
        groups.setdefault(key, []).append((name, attrs))
    for key, items in groups.items():
        names = [name for name, _ in items]
        kwargs: dict[str, Any] = {}
        for attr, varying in key:
            if varying:
                kwargs[attr] = pd.DataFrame({name: a[attr] for name, a in items})
            else:
                kwargs[attr] = [a[attr] for _, a in items]
        n.add(component, names, **kwargs)
