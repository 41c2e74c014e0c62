"""Show a build's progress and summary: a rich progress bar or log lines, and a result table.

Used by the command line (:mod:`osa_analysis.build.cli`) around
:func:`osa_analysis.build.runner.run_all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osa_analysis.build.records import RunResult


class BuildProgress:
    """Progress of a build: a rich progress bar on a terminal, plain log lines otherwise.

    Use as a context manager and pass the instance as ``progress`` to
    :func:`osa_analysis.build.runner.run_all`.

    Parameters
    ----------
    total : int
        Number of briefs.
    console : rich.console.Console, optional
        Where to print (default: a new console on stdout).
    live : bool, optional
        Force the progress bar on or off (default: when the console is a terminal).
    """

    def __init__(self, total: int, console=None, *, live: bool | None = None) -> None:
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self.total = total
        self.live = self.console.is_terminal if live is None else live
        self._progress = None
        self._task = None

    def __enter__(self) -> BuildProgress:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("[bold]briefs[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=self.console,
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def __call__(self, result: RunResult) -> None:
        """Report one finished brief."""
        line = format_result_line(result)
        if self._progress is not None:
            self._progress.console.print(line, markup=False)
            self._progress.update(self._task, advance=1, description=line)
        else:
            self.console.print(line, markup=False)


def format_result_line(result: RunResult) -> str:
    """Return a one-line log entry, e.g. ``[PHL] ok in 12.3 s``."""
    line = f"[{result.country_iso3}] {result.status} in {result.duration_s:.1f} s"
    if result.status == "failed":
        line += f": {result.describe()}"
    return line


def summary_table(results: Sequence[RunResult]):
    """Return a rich table: country, status, duration, as_of, output path or error."""
    from rich.table import Table

    table = Table(title="Country briefs")
    for col in ("country", "status", "duration", "as_of", "output / error"):
        table.add_column(col, overflow="fold")
    colours = {"ok": "green", "skipped": "cyan", "failed": "red"}
    for r in results:
        table.add_row(
            r.country_iso3,
            f"[{colours.get(r.status, 'white')}]{r.status}[/]",
            f"{r.duration_s:.1f} s",
            r.as_of,
            r.describe(),
        )
    return table
