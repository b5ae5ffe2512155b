"""What every command shares: exit codes, the one-line error, the error guard, the paths."""

from __future__ import annotations

import dataclasses
import sys
from functools import wraps
from typing import Any

import click

from energy.carriers import RegistryError
from energy.config import ConfigError
from energy.inputs import InputError
from energy.optimize.errors import SolveError
from energy.pipeline import Paths
from energy.store import StoreError, resolve_url

EXIT_INPUT = 1
EXIT_SOLVE = 3
EXIT_INTERRUPTED = 130

#: the --store option of commands that read or write the results store
store_option = click.option(
    "--store", "store", default=None, metavar="URL",
    help="Results store: sqlite:///FILE, postgresql://USER@HOST/DB or 'none' "
         "(default: $TAIXIN_STORE, the scenario's 'store', else <results>/store.sqlite3).")


def fail(message: str, code: int) -> None:
    """Print ``error: <message>`` on stderr and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def guard(func: Any) -> Any:
    """Turn known errors into a one-line message and a non-zero exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (InputError, ConfigError, RegistryError) as err:
            fail(str(err), EXIT_INPUT)
        except SolveError as err:
            fail(str(err), EXIT_SOLVE)
        except StoreError as err:
            fail(str(err), EXIT_INPUT)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)

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
