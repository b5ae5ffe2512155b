"""The bibliography of the inputs: source ids and titles from ``network_data/README.md``.

The README's "Sources used" table has one line per source, ``| S04 | short title |``; URLs are in
the fact base's ``sources.md``. A row's ``source`` cell holds one or more ids separated by
``;`` or the word ``estimate``.
"""

from __future__ import annotations

import re
from pathlib import Path

_ROW = re.compile(r"^\|\s*(S\d+)\s*\|\s*(.+?)\s*\|\s*$")
_ID = re.compile(r"^S\d+$")
ESTIMATE = "estimate"


def source_titles(directory: Path) -> dict[str, str]:
    """Source id -> short title, read from ``<directory>/README.md`` (empty when missing)."""
    readme = Path(directory) / "README.md"
    if not readme.is_file():
        return {}
    titles = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            titles[match.group(1)] = match.group(2)
    return titles


def source_ids(cell: object) -> list[str]:
    """The source ids (and ``estimate``) named in one ``source`` cell."""
    tokens = [t.strip() for t in str(cell or "").replace(",", ";").split(";")]
    return [t for t in tokens if _ID.match(t) or t == ESTIMATE]
