"""The package layout: every module imports on its own, and importing changes no global option."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import energy

PACKAGE = Path(energy.__file__).resolve().parent

#: imports every module in a fresh child interpreter state: heavy third-party packages are
#: loaded once in the parent, then each module of ours is imported in a forked child that has
#: none of our modules loaded, so an import circle or a missing import fails there
_PROBE = r"""
import json, os, sys
import numpy, pandas, xarray, pypsa, linopy, pvlib, plotly, dask, distributed, click, pydantic
import sqlalchemy, dash, rich
before = {k: pypsa.options.get_option(k) for k in ("api.legacy_string_dtype",)}
failures = {}
for name in json.loads(sys.argv[1]):
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
            after = {k: pypsa.options.get_option(k) for k in before}
            os._exit(0 if after == before else 2)
        except BaseException as err:  # noqa: BLE001
            sys.stderr.write(f"{name}: {type(err).__name__}: {err}\n")
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code:
        failures[name] = "import failed" if code == 1 else "changed a global PyPSA option"
print(json.dumps(failures))
"""


def modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


@pytest.mark.slow
def test_every_module_imports_alone_and_changes_no_global_option() -> None:
    names = modules()
    assert len(names) > 40 and "energy.cli" in names and "energy.optimize.screening" in names
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(names)], capture_output=True,
                         text=True, timeout=300, check=True)
    failures = json.loads(out.stdout.strip().splitlines()[-1])
    assert failures == {}, out.stderr


def test_no_module_is_longer_than_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 420}
    assert long == {}
