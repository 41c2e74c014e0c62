"""Print a rendered brief to PDF with headless Chromium.

:func:`find_chromium` looks for Debian's ``chromium`` (or Chrome) on ``PATH``, or the one
``OSA_CHROMIUM`` names; :func:`render_pdf` prints a page with it and returns ``None`` when
none is installed.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from osa_analysis.build.render import RenderError
from osa_analysis.core.files import temporary_sibling

log = logging.getLogger(__name__)

#: Executable names tried, in order, by :func:`find_chromium`.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Return the path of a Chromium/Chrome executable on ``PATH``, or ``None``.

    ``OSA_CHROMIUM`` (a path or a name) takes precedence; then ``chromium``,
    ``chromium-browser``, ``google-chrome`` and ``google-chrome-stable`` are tried.
    """
    override = os.environ.get("OSA_CHROMIUM")
    if override:
        return shutil.which(override)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(user_data_dir: str) -> list[str]:
    """Return the options of a headless Chromium that keeps to itself.

    No GPU, sandbox, extensions, sync, crash reports or background networking; no host name
    resolves; the profile lives in ``user_data_dir``.
    """
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--disable-crash-reporter",
        "--mute-audio",
        # Belt and braces for self-contained pages: no host name resolves.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={user_data_dir}",
    ]


def output_tail(text: str, lines: int = 15) -> str:
    """Return the last ``lines`` lines of a program's output (for error messages)."""
    return "\n".join(text.strip().splitlines()[-lines:])


def render_pdf(
    html: Path, out_pdf: Path, *, chromium: str | None = None, timeout_s: int = 120
) -> Path | None:
    """Print an HTML page to PDF with headless Chromium.

    Parameters
    ----------
    html : Path
        The page (normally a brief rendered by :func:`render_html`).
    out_pdf : Path
        Output path; written atomically (Chromium prints to a temporary file first).
    chromium : str, optional
        Chromium executable; default :func:`find_chromium`.
    timeout_s : int, default 120
        Wall-clock limit for Chromium.

    Returns
    -------
    Path or None
        ``out_pdf``, or ``None`` (logged) when no Chromium is installed.

    Raises
    ------
    RenderError
        When Chromium runs but fails, times out, or writes no PDF.
    """
    html, out_pdf = Path(html), Path(out_pdf)
    binary = chromium or find_chromium()
    if binary is None:
        log.warning("no Chromium found (chromium, chromium-browser, google-chrome): no PDF")
        return None
    if not html.is_file():
        raise RenderError(f"no HTML page to print: {html}")
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    tmp_pdf = temporary_sibling(out_pdf)
    try:
        with tempfile.TemporaryDirectory(prefix="osa-chromium-") as profile:
            cmd = [
                binary,
                *chromium_args(profile),
                "--no-pdf-header-footer",
                "--generate-pdf-document-outline",
                f"--print-to-pdf={tmp_pdf}",
                html.resolve().as_uri(),
            ]
            try:
                proc = subprocess.run(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    errors="replace",
                    timeout=timeout_s,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise RenderError(f"Chromium did not print {html} within {timeout_s} s") from exc
            except OSError as exc:
                raise RenderError(f"cannot run Chromium {binary!r}: {exc}") from exc
        if proc.returncode != 0:
            raise RenderError(
                f"Chromium failed to print {html} (exit {proc.returncode}):\n"
                + output_tail(proc.stderr)
            )
        if not tmp_pdf.is_file() or tmp_pdf.stat().st_size == 0:
            raise RenderError(f"Chromium wrote no PDF for {html}:\n{output_tail(proc.stderr)}")
        with tmp_pdf.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                raise RenderError(f"Chromium output for {html} is not a PDF")
        os.replace(tmp_pdf, out_pdf)
    finally:
        tmp_pdf.unlink(missing_ok=True)
    return out_pdf
