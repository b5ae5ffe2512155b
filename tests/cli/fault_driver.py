"""Run ``solve`` and kill copies of it at its build, solve and write stages (issue #21).

Usage: ``python fault_driver.py LOG -- <run.py arguments>``. The driver runs the command line
in this process. When the run enters a stage, the driver forks *victims*: copies of the
process at exactly that point, which go on into the stage and stop there (a pause inside
``build_hourly``, ``solve_network`` or, for the write stage, inside the run folder's writing,
after the result tables are in the temporary folder). Each victim is then sent a signal, or
meets a fault:

* ``SIGTERM`` (a ``kill``, a container stop) and ``SIGINT`` (Ctrl-C): must exit 130 and leave
  nothing behind;
* ``SIGKILL``: dies on the spot; may leave a hidden temporary folder, which the next run cleans;
* ``ENOSPC`` (write stage): the disk fills up while writing: exit 1, nothing half-written.

After each victim has ended, the driver records its exit status and the listing of the
results folder (one JSON line per victim in LOG), then goes on with the real stage. The run
the driver finishes is "the next run" after the kills. stdout is left to the command line (the
test checks it holds the JSON line only).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

import energy.pipeline as pipeline
from energy.cli import main
from energy.config import Scenario

LOG = Path(sys.argv[1])
ARGS = sys.argv[sys.argv.index("--") + 1:]
RESULTS = Path(ARGS[ARGS.index("--results") + 1])
FAULTS = {"build": ("SIGTERM", "SIGKILL"), "solve": ("SIGTERM", "SIGINT", "SIGKILL"),
          "write": ("SIGTERM", "SIGKILL", "ENOSPC")}
READY = RESULTS.parent / "victim-ready"
_victim: str | None = None  # the fault this process is a victim of (None: the driver)


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _pause() -> None:
    """Where a victim stops: tell the driver, then wait for the signal (or fail on ENOSPC)."""
    if _victim == "ENOSPC":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    READY.write_text(str(os.getpid()))
    time.sleep(120)  # the driver's signal ends this
    os._exit(99)  # never reached unless the driver failed to signal


def _spawn(stage: str) -> None:
    """Fork a victim per fault of the stage; wait for each to end; log what it left."""
    global _victim
    for fault in FAULTS[stage]:
        READY.unlink(missing_ok=True)
        pid = os.fork()
        if pid == 0:
            _victim = fault
            if stage != "write":
                _pause()
            # a write-stage victim writes the result tables into its temporary run folder and
            # stops at the next file (config.yaml, written from the scenario)
            Scenario.to_yaml = lambda self: _pause()  # type: ignore[method-assign]
            return
        if fault.startswith("SIG"):
            deadline = time.monotonic() + 120
            while not READY.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            os.kill(pid, getattr(signal, fault))
        _, status = os.waitpid(pid, 0)
        entries = sorted(os.listdir(RESULTS))
        record = {"stage": stage, "fault": fault, "exit": os.waitstatus_to_exitcode(status),
                  "entries": entries,
                  "base": _digest(RESULTS / "base") if (RESULTS / "base").is_dir() else None}
        with LOG.open("a") as f:
            f.write(json.dumps(record) + "\n")


def _staged(stage: str, real):  # noqa: ANN001, ANN202
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if _victim is None:
            _spawn(stage)
        return real(*args, **kwargs)
    return wrapper


pipeline.build_hourly = _staged("build", pipeline.build_hourly)  # the hourly network first
pipeline.solve_network = _staged("solve", pipeline.solve_network)
pipeline.write_results = _staged("write", pipeline.write_results)
LOG.write_text(json.dumps({"stage": "before", "base": _digest(RESULTS / "base")}) + "\n")
try:
    main(ARGS, prog_name="run.py")
except SystemExit as err:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(err.code if isinstance(err.code, int) else 1)
