"""The brief runner's shared vocabulary: where a build puts its files and how it records errors.

Names of the reports folder layout (``reports/<ISO3>/``, ``.staging/``, ``_failed/``,
``history/``) and of a brief's files, the :class:`RunnerError` of a build that cannot be set
up, the error records (``{ename, evalue, cell_index, traceback_tail}``) that ``run.json``
and the runner's results carry, and :class:`RunResult`, the outcome of one brief.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from osa_analysis.core.config import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "country_brief.py"
"""The brief notebook (jupytext percent source)."""

REPORTS_DIR = PROJECT_ROOT / "reports"
"""Where briefs are published."""

STAGING_DIR = ".staging"
FAILED_DIR = "_failed"
HISTORY_DIR = "history"
RUN_FILE = "run.json"
LOG_FILE = "log.txt"
SUMMARY_FILE = "summary.json"
BRIEF_FILES = {
    "ipynb": "brief.ipynb",
    "html": "brief.html",
    "pdf": "brief.pdf",
    "html_ja": "brief.ja.html",
    "pdf_ja": "brief.ja.pdf",
    "summary": SUMMARY_FILE,
    "judgements": "judgements.json",
}
"""Published files by kind (relative names inside ``reports/<ISO3>/``); ``html_<lang>`` and
``pdf_<lang>`` are the editions in the other languages, rendered from the same run."""
DEBUG_HTML = "brief_debug.html"

TRACEBACK_TAIL_LINES = 20
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class RunnerError(RuntimeError):
    """A brief build could not be set up (not a failure of the notebook itself)."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _error(ename: str, evalue: str, cell_index: int | None = None, tb: str = "") -> dict:
    """Return an error record: ANSI colours removed, the last lines of the traceback kept."""
    lines = _ANSI.sub("", tb).rstrip().splitlines()
    return {
        "ename": ename,
        "evalue": _ANSI.sub("", str(evalue)),
        "cell_index": cell_index,
        "traceback_tail": "\n".join(lines[-TRACEBACK_TAIL_LINES:]),
    }


def _append_log(work: Path, text: str) -> None:
    """Append a line to the ``log.txt`` of a brief's work folder."""
    with open(work / LOG_FILE, "a", encoding="utf-8") as fh:
        fh.write(text.rstrip() + "\n")


@dataclass(frozen=True)
class RunResult:
    """Outcome of one brief build.

    Attributes
    ----------
    country_iso3, as_of : str
    status : {"ok", "failed", "skipped", "interrupted"}
        ``interrupted``: stopped by a signal before it was published (nothing of it was
        published or kept).
    run_key : str or None
        The run key (hex sha256), ``None`` when it could not be computed.
    duration_s : float
        Wall-clock time of this call.
    path : Path or None
        ``reports/<ISO3>`` for ``ok``/``skipped``, the ``_failed/...`` folder for ``failed``.
    error : dict or None
        ``{ename, evalue, cell_index, traceback_tail}`` for ``failed``.
    files : dict
        Published files by kind (``html``, ``pdf``, ``ipynb``, ``summary``), relative names.
    """

    country_iso3: str
    status: str
    as_of: str
    run_key: str | None
    duration_s: float
    path: Path | None = None
    error: dict | None = None
    files: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """``True`` for ``ok`` and ``skipped`` (an up-to-date brief is published)."""
        return self.status in ("ok", "skipped")

    def describe(self) -> str:
        """Return the output path, or ``ename: evalue (cell N)`` for a failure."""
        if self.status == "failed" and self.error:
            cell = self.error.get("cell_index")
            where = f" (cell {cell})" if cell is not None else ""
            return f"{self.error.get('ename')}: {self.error.get('evalue')}{where}"
        return str(self.path) if self.path else ""
