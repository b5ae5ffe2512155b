"""What every command shares: exit codes, the one-line error, the error guard, the paths."""

from __future__ import annotations

import sys
from functools import wraps
from typing import Any

import click

from energy.carriers import RegistryError
from energy.config import ConfigError
from energy.inputs import InputError
from energy.optimize.errors import SolveError
from energy.pipeline import Paths

EXIT_INPUT = 1
EXIT_SOLVE = 3
EXIT_VALIDATION = 4


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

    return wrapper


def paths_of(ctx: click.Context) -> Paths:
    """The input and output locations of the command line's global options."""
    return ctx.obj["paths"]
