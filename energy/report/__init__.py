"""Reports across saved runs: a self-contained HTML page, its figures, and ``compare`` tables."""

from energy.report.html import write_report

__all__ = ["write_report"]
