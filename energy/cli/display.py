"""What a person sees: progress of long steps (rich, only on a terminal) and the solve table.

Progress goes to stderr and only when stderr is a terminal; in logs and pipes the commands stay
quiet. The solver's own console output (the HiGHS banner) is kept off stdout so that stdout
carries only the answer (the table, or one JSON line with ``--json``).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from energy.carriers import carrier_info
from energy.results.iamc import technology

#: what each pipeline step is called on screen
LABELS = {"profiles": "profiles (cached unless inputs changed)", "build": "build network",
          "solve": "solve (HiGHS)", "check": "full-year check (8,760 h)",
          "write": "write results", "write + store": "write results + results store"}


def interactive() -> bool:
    """Whether progress should be shown (stderr is a terminal)."""
    return sys.stderr.isatty()


class Steps:
    """Progress of the pipeline's steps: a spinner and the elapsed time per step (rich).

    Use as ``with Steps() as steps: run(..., steps=steps)``; each step is ``with steps(name)``.
    On a non-terminal it does nothing.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = interactive() if enabled is None else enabled
        self.progress = Progress(SpinnerColumn(finished_text="[green]✓"),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=False)

    def __enter__(self) -> Steps:
        if self.enabled:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()

    @contextmanager
    def _step(self, name: str) -> Iterator[None]:
        task = self.progress.add_task(LABELS.get(name, name), total=1)
        try:
            yield
        finally:
            self.progress.update(task, completed=1)

    def __call__(self, name: str) -> AbstractContextManager[Any]:
        """Context manager around one step."""
        return self._step(name) if self.enabled else nullcontext()


def counter(description: str, total: int) -> Progress | None:
    """A started progress bar over ``total`` items on a terminal, else None (caller stops it)."""
    if not interactive() or total <= 1:
        return None
    bar = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    bar.add_task(description, total=total)
    bar.start()
    return bar


def _flush_c_stdio() -> None:
    """Flush the C library's stdio buffers (HiGHS prints through them, buffered in pipes)."""
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):  # pragma: no cover - no libc symbols (not Linux)
        pass


@contextmanager
def solver_output_to_stderr() -> Iterator[None]:
    """Send everything written to file descriptor 1 (the HiGHS banner) to stderr meanwhile.

    C-level output is flushed before descriptor 1 is restored: in a pipe it is block-buffered
    and would otherwise reach stdout at exit.
    """
    try:
        sys.stdout.flush()
        _flush_c_stdio()
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no usable descriptor 1 (embedded use): nothing to protect
        yield
        return
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            _flush_c_stdio()
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.{digits}f}"


def capacity_rows(folder: Path) -> pd.DataFrame:
    """Electricity capacity by carrier: existing, new, total [MW] (plants and storage power)."""
    path = Path(folder) / "capacity.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["existing", "new", "total"])
    cap = pd.read_csv(path)
    if not {"installed", "expanded", "optimal", "unit", "bus_carrier"} <= set(cap.columns):
        return pd.DataFrame(columns=["existing", "new", "total"])
    keep = ((cap.unit == "MW") & (cap.component != "Line") & (cap.optimal > 0)
            & (cap.bus_carrier == "AC")
            & cap.carrier.map(lambda c: technology(c).role in ("generation", "storage")))
    grouped = cap[keep].groupby("carrier")[["installed", "expanded", "optimal"]].sum()
    table = grouped.rename(columns={"installed": "existing", "expanded": "new",
                                    "optimal": "total"})
    table = table[table.total >= 0.5].sort_values("total", ascending=False)
    table.index = [_nice(c) for c in table.index]
    return table


def _nice(carrier: str) -> str:
    info = carrier_info(carrier)
    return str(info.nice_name) if info is not None and info.nice_name else carrier


def _add(table: Table, label: str, value: str) -> None:
    """A row whose text is shown as is (units in brackets are not rich markup)."""
    table.add_row(escape(label), escape(value))


def solve_table(info: dict[str, Any], folder: Path, console: Console) -> None:
    """Print the planner's view of a solved run: cost, CO2, capacity, export, the check."""
    s = info
    head = Table(title=f"{s.get('scenario', '')}: {s.get('status', '')}", show_header=False,
                 title_justify="left")
    head.add_column("what")
    head.add_column("value", justify="right")
    if "periods" in s:
        _add(head, "Discounted total cost [bn CNY]",
                     _fmt((s.get("discounted_total_cost") or 0) / 1e9, 2))
        for period, p in sorted((s.get("periods") or {}).items()):
            _add(head, f"{period}: system cost [bn CNY/a] / CO2 [Mt/a]",
                         f"{_fmt(p.get('system_cost', 0) / 1e9, 3)} / "
                         f"{_fmt(p.get('co2_emissions', 0) / 1e6, 2)}")
    else:
        _add(head, "Year, resolution", f"{s.get('year', '')}, {s.get('resolution', '')}")
        _add(head, "System cost [bn CNY/a]", _fmt((s.get("system_cost") or 0) / 1e9, 3))
        _add(head, "CO2 emissions [Mt/a]", _fmt((s.get("co2_emissions") or 0) / 1e6, 2))
        _add(head, "Unserved energy [MWh/a]", _fmt(s.get("unserved_energy_mwh"), 1))
    export = s.get("export") or {}
    if isinstance(export, dict) and export.get("corridor_mw_total") is not None:
        share = export.get("clean_share_annual")
        _add(head, "Export to Xiong'an: corridor [MW], energy [TWh/a], clean share",
                     f"{_fmt(export.get('corridor_mw_total'))}, "
                     f"{_fmt(export.get('exported_twh'), 2)}, "
                     f"{'–' if share is None else f'{100 * share:.0f} %'}")
    check = s.get("verify")
    if isinstance(check, dict) and "periods" in check:  # a pathway: one check per period
        for period, c in sorted(check["periods"].items()):
            rel = c.get("extra_cost_rel")
            _add(head, f"{period}: full-year check (8,760 h) of the period's design",
                 f"{'passed' if c.get('passed') else 'FAILED'}: unserved "
                 f"{_fmt(c.get('unserved_energy_mwh'), 1)} MWh"
                 f"{'' if rel is None else f', {100 * rel:+.2f} % cost vs the design'}")
    elif isinstance(check, dict):
        verdict = "passed" if check.get("passed") else "FAILED"
        rel = check.get("extra_cost_rel")
        _add(head, "Full-year check (8,760 h); cost of the whole modelled system (zone and "
             "rest of Shanxi) operated hourly",
             f"{verdict}: {_fmt((check.get('system_cost_hourly_cny_per_a') or 0) / 1e9, 3)}"
             f" bn CNY/a{'' if rel is None else f' ({100 * rel:+.2f} % vs the design)'}, "
             f"unserved {_fmt(check.get('unserved_energy_mwh'), 1)} MWh")
    elif "periods" not in s:
        _add(head, "Full-year check (8,760 h)", "not run (hourly solve or verify=false)")
    timings = s.get("timings") or {}
    if timings.get("total_s") is not None:
        _add(head, "Time [s]: total (solve, full-year check)",
                     f"{_fmt(timings.get('total_s'))} ({_fmt(timings.get('solve_s'))}, "
                     f"{_fmt(timings.get('verify_s'))})")
    console.print(head)
    cap = capacity_rows(folder)
    if len(cap):
        table = Table(title="Electricity capacity [MW]", title_justify="left")
        for column, justify in (("carrier", "left"), ("existing", "right"), ("new", "right"),
                                ("total", "right")):
            table.add_column(column, justify=justify)
        for carrier, row in cap.iterrows():
            table.add_row(str(carrier), _fmt(row.existing), _fmt(row.new), _fmt(row.total))
        console.print(table)
