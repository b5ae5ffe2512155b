"""What every command shares: exit codes, the one-line error, the error guard, the paths.

Exit codes (README, "Exit codes"): 0 ok; 1 bad input, configuration or an unusable file
location (one line naming file, row and column, or the key, or the path); 2 usage error
(click); 3 no optimal solution; 130 interrupted (Ctrl-C or SIGTERM). Nothing ends in a
traceback: an error no check anticipated is reported in one line as an internal error
(exit 1; ``-v`` shows the traceback).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from functools import wraps
from typing import Any

import click

from energy.atomic import OutputError
from energy.carriers import RegistryError
from energy.config import ConfigError
from energy.inputs import InputError
from energy.optimize.errors import SolveError
from energy.pipeline import Paths
from energy.results.io import RunError
from energy.store import StoreError, resolve_url

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_SOLVE = 3
EXIT_VALIDATION = 4
EXIT_INTERRUPTED = 130

logger = logging.getLogger(__name__)

#: the --store option of commands that read or write the results store
store_option = click.option(
    "--store", "store", default=None, metavar="URL",
    help="Results store: sqlite:///FILE, postgresql://USER@HOST/DB or 'none' "
         "(default: $TAIXIN_STORE, the scenario's 'store', else <results>/store.sqlite3).")


def fail(message: str, code: int) -> None:
    """Print ``error: <message>`` (one line) on stderr and exit with ``code``."""
    text = " ".join(str(message).split())  # one line, whatever the message held
    click.echo(f"error: {text}", err=True)
    sys.exit(code)


def _terminate(signum: int, frame: Any) -> None:  # noqa: ARG001
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Handle SIGTERM like Ctrl-C (KeyboardInterrupt) for the ``with`` block.

    So ``kill`` and container stops clean up like Ctrl-C: temporary folders are removed, the
    solver is cancelled, and the exit code is 130.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guard(func: Any) -> Any:
    """Turn every error into a one-line message and its documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with sigterm_as_interrupt():
                return func(*args, **kwargs)
        except (InputError, ConfigError, RegistryError, RunError, OutputError) as err:
            fail(str(err), EXIT_INPUT)
        except SolveError as err:
            fail(str(err), EXIT_SOLVE)
        except StoreError as err:
            fail(str(err), EXIT_INPUT)
        except KeyboardInterrupt:
            fail("interrupted; nothing was written (results/ is as it was)", EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence: never a traceback
            logger.debug("internal error", exc_info=True)
            first = (str(err).strip().splitlines() or [""])[0][:300]
            fail(f"internal error ({type(err).__name__}: {first}); re-run with -vv for the "
                 "traceback and please report it", EXIT_INPUT)

    return wrapper


def paths_of(ctx: click.Context) -> Paths:
    """The input and output locations of the command line's global options."""
    return ctx.obj["paths"]


def with_store(ctx: click.Context, local: str | None, config: str | None = None) -> Paths:
    """The command's paths with the results store resolved.

    Order: the command's ``--store``, the global ``--store``, ``$TAIXIN_STORE``, the scenario's
    ``store`` key, then ``<results>/store.sqlite3``; ``none`` switches recording off.
    """
    paths = paths_of(ctx)
    cli = local if local is not None else ctx.obj.get("store")
    return dataclasses.replace(paths, store=resolve_url(cli, config, paths.results))
