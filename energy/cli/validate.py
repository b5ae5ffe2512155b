"""``validate``: dispatch a statistics year and compare it with published figures."""

from __future__ import annotations

import sys

import click

from energy.cli._common import EXIT_VALIDATION, guard, store_option, with_store
from energy.cli.display import solver_output_to_stderr
from energy.pipeline import validate


def format_table(table) -> str:  # noqa: ANN001
    """The comparison as aligned text: figure, model, reference, band, verdict."""
    lines = [f"{'figure':<20} {'scope':<8} {'model':>11} {'reference':>11} "
             f"{'band':>23} {'unit':<6} {'conf.':<6} result"]
    for r in table.itertuples():
        verdict = "pass" if r.passed else ("FAIL" if r.gating else "fail (not gating)")
        band = f"[{r.lower:,.4g}, {r.upper:,.4g}]"
        lines.append(f"{r.figure_id:<20} {r.scope:<8} {r.model:>11,.4g} {r.reference:>11,.4g} "
                     f"{band:>23} {r.unit:<6} {r.confidence:<6} {verdict}")
    return "\n".join(lines)


@click.command("validate")
@click.option("--year", type=int, default=None,
              help="Statistics year (default: the latest year of network_data/validation.csv).")
@click.option("-r", "--resolution", default=None,
              help="Time resolution (default: 3h, a dispatch-only year).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a setting of the validation scenario (repeatable).")
@click.option("--out", default=None, help="Result folder name (default: validate-<year>).")
@store_option
@click.pass_context
@guard
def validate_cmd(ctx: click.Context, year: int | None, resolution: str | None,
                 overrides: tuple[str, ...], out: str | None, store: str | None) -> None:
    """Dispatch a statistics year's fleet (no expansion) and compare with published figures.

    Compares with network_data/validation.csv; exits 4 when a high-confidence figure fails.
    """
    paths = with_store(ctx, store)
    with solver_output_to_stderr():
        table, info = validate(paths, year, overrides, resolution, out)
    click.echo(format_table(table))
    folder = paths.results / (out or info["scenario"])
    gating = table[table.gating & ~table.passed]
    click.echo(f"{int(table.passed.sum())}/{len(table)} within tolerance; results: {folder}")
    if not gating.empty:
        click.echo(f"error: high-confidence figure(s) outside tolerance: "
                   f"{', '.join(gating.figure_id)}", err=True)
        sys.exit(EXIT_VALIDATION)
