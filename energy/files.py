"""Names and formats of the project's own files: run names, YAML with unique keys, overrides.

Both raise the error class the caller passes (``ConfigError`` for the configuration), with a
one-line message naming the file and line or the option.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

#: a run (folder) name: letters, digits and ``-._=+,``; not starting with a dot
RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=+,-]{0,199}$")


def check_run_name(name: str, what: str = "--out", error: type[Exception] = ValueError) -> str:
    """Return ``name`` if it is a plain run-folder name, else raise ``error``.

    A run name is one folder under the results folder: no path separators, not ``.`` or
    ``..``, no leading dot (hidden names are the temporary folders of atomic writing). To write
    somewhere else, move the whole results folder (``--results``).
    """
    if not RUN_NAME.match(str(name)):
        raise error(
            f"{what} {str(name)!r}: expected a run name (letters, digits and -._=+, only; no "
            "'/', not '.' or '..', no leading dot); use --results DIR to write elsewhere"
        )
    return str(name)


def parse_override(text: str, error: type[Exception] = ValueError) -> tuple[str, Any]:
    """Parse one ``dotted.key=value`` override; the value is read as YAML (``3``, ``true``).

    Parameters
    ----------
    text : str
        The override as typed on the command line.
    error : type
        Exception class to raise.

    Returns
    -------
    tuple of (str, Any)
        The dotted key and its parsed value.
    """
    if "=" not in text:
        raise error(f"--set {text!r}: expected dotted.key=value")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key or any(not p for p in key.split(".")):
        raise error(f"--set {text!r}: empty key")
    try:
        value = yaml.load(raw, Loader=UniqueKeyLoader) if raw.strip() else None  # noqa: S506
    except yaml.YAMLError as err:
        raise error(f"--set {text!r}: value is not valid YAML") from err
    return key, value


def set_dotted(tree: dict[str, Any], key: str, value: Any,
               error: type[Exception] = ValueError) -> None:
    """Set ``tree[a][b][c] = value`` for ``key = "a.b.c"``, creating sections as needed."""
    parts = key.split(".")
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise error(f"--set {key}: '{part}' is not a section")
        node = child
    node[parts[-1]] = value


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that rejects a key given twice in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """Build a mapping; a repeated key is an error naming both lines."""
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice (lines {seen[key]} and {line})",
                    key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, what: str, error: type[Exception] = ValueError) -> Any:
    """Read a UTF-8 YAML file with unique keys; every problem is one ``error`` line.

    Parameters
    ----------
    path : Path
        The file.
    what : str
        What it holds, for messages (``"scenarios"``).
    error : type
        Exception class to raise.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise error(f"{path}: {what} file not found") from err
    except IsADirectoryError as err:
        raise error(f"{path}: expected a YAML file, found a folder") from err
    except OSError as err:
        raise error(f"{path}: cannot read {what} ({err.strerror or err})") from err
    except UnicodeDecodeError as err:
        raise error(f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8") from err
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise error(f"{path}{where}: invalid YAML ({problem})") from err
