"""Helpers for the project's tests: check a page in headless Chromium, check shown numbers.

:func:`check_html_in_chromium` loads a page in headless Chromium over the DevTools protocol
(``--remote-debugging-pipe``, no extra dependency) and returns its console errors, uncaught
exceptions and failed or external network requests; remote requests are blocked, so the
check never reaches out. :func:`numbers_not_in_values` checks that every number a brief
section shows (:func:`shown_text`) is also in its machine-readable values.

Only tests import this module; nothing in the package may (the import-layer contract).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import select
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osa_analysis.build import pdf
from osa_analysis.build.render import RenderError
from osa_analysis.core.files import jsonable

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from osa_analysis.brief.section import Section

log = logging.getLogger(__name__)


class ChromiumNotFoundError(RenderError):
    """No Chromium executable was found for a check that needs one."""


# ---------------------------------------------------------------------------------------------
# A page in headless Chromium


class _DevToolsPipe:
    """Minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``.

    Chromium reads commands from its fd 3 and writes replies and events to its fd 4, as
    JSON messages each ended by a NUL byte.
    """

    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._write_fd, self._read_fd = write_fd, read_fd
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._write_fd, data) :]
        except OSError as exc:  # BrokenPipeError: Chromium has gone
            raise RenderError(f"Chromium closed the DevTools pipe ({exc})") from exc
        return self._next_id

    def _read(self, deadline: float) -> dict[str, Any] | None:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._read_fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._read_fd, 65536)
            if not chunk:
                raise RenderError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(
        self, method: str, params: dict | None, session: str | None, deadline: float
    ) -> dict[str, Any]:
        wanted = self.send(method, params, session)
        while True:
            message = self._read(deadline)
            if message is None:
                raise RenderError(f"Chromium did not answer {method} in time")
            if message.get("id") == wanted:
                if "error" in message:
                    raise RenderError(f"DevTools {method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method: str, session: str | None, deadline: float) -> bool:
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session:
                return True
        while True:
            message = self._read(deadline)
            if message is None:
                return False
            if "method" in message:
                self.events.append(message)
                if message["method"] == method and message.get("sessionId") == session:
                    return True


def _remote_text(obj: Mapping[str, Any]) -> str:
    if "value" in obj:
        value = obj["value"]
        return value if isinstance(value, str) else json.dumps(value)
    return str(obj.get("description") or obj.get("unserializableValue") or obj.get("type", ""))


_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "chrome-error:")


def _page_problems(events: list[dict[str, Any]], session: str) -> list[str]:
    """Turn DevTools events of one page session into readable problem lines."""
    problems: list[str] = []
    urls: dict[str, str] = {}
    for event in events:
        if event.get("sessionId") != session:
            continue
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(_remote_text(arg) for arg in params.get("args", []))
            problems.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            problems.append(f"uncaught exception: {text}")
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") == "error" and entry.get("source") != "network":
                where = f" ({entry['url']})" if entry.get("url") else ""
                problems.append(f"console {entry.get('source', 'log')}: {entry.get('text')}{where}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            urls[params.get("requestId", "")] = url
            if not url.startswith(_LOCAL_SCHEMES):
                problems.append(f"external request: {url}")
        elif method == "Network.loadingFailed":
            url = urls.get(params.get("requestId", ""), "?")
            if url.startswith(_LOCAL_SCHEMES) or url == "?":  # external ones: reported above
                reason = params.get("errorText") or params.get("blockedReason") or "failed"
                problems.append(f"failed request: {url} ({reason})")
        elif method == "Network.responseReceived":
            response = params.get("response", {})
            if int(response.get("status") or 0) >= 400:
                problems.append(
                    f"failed request: {response.get('url')} (HTTP {response['status']})"
                )
    return list(dict.fromkeys(problems))


def _platform_fonts(
    pipe: _DevToolsPipe, session: str, deadline: float, selector: str
) -> dict[str, int]:
    """Return family → glyphs drawn, over the text of the elements ``selector`` selects."""
    for method in ("DOM.enable", "CSS.enable"):
        pipe.call(method, None, session, deadline)
    root = pipe.call("DOM.getDocument", {"depth": 0}, session, deadline)["root"]["nodeId"]
    nodes = pipe.call(
        "DOM.querySelectorAll", {"nodeId": root, "selector": selector}, session, deadline
    )["nodeIds"]
    fonts: dict[str, int] = {}
    for node in nodes[:200]:
        used = pipe.call("CSS.getPlatformFontsForNode", {"nodeId": node}, session, deadline)
        for font in used.get("fonts", []):
            name = font.get("familyName", "?")
            fonts[name] = fonts.get(name, 0) + int(font.get("glyphCount", 0))
    return fonts


def _block_remote_urls(pipe: _DevToolsPipe, session: str, deadline: float) -> None:
    """Block remote URLs in the page (newer Chromium: ``urlPatterns``; older: ``urls``).

    Without either, ``--host-resolver-rules`` still keeps every host name unresolvable.
    """
    schemes = ("http", "https", "ws", "wss", "ftp")
    try:
        pipe.call(
            "Network.setBlockedURLs", {"urls": [f"{s}://*" for s in schemes]}, session, deadline
        )
    except RenderError:
        patterns = [{"urlPattern": f"{s}://*", "block": True} for s in schemes]
        try:
            pipe.call("Network.setBlockedURLs", {"urlPatterns": patterns}, session, deadline)
        except RenderError as exc:
            log.debug("cannot block remote URLs over DevTools: %s", exc)


LAYOUT_PROBE = """(() => {
  const root = document.documentElement;
  const colour = el => getComputedStyle(el).backgroundColor;
  return {
    width: window.innerWidth,
    scroll_width: root.scrollWidth,
    client_width: root.clientWidth,
    tiles: [...document.querySelectorAll('.osa-tile, .osa-chip')].map(colour),
    lang: root.lang,
  };
})()"""
"""What :func:`page_layout` measures: the viewport, the page's scroll width, the background
colour of every rating tile (brief) and chip (index), and the page's language."""


def page_layout(
    html: Path, *, width: int = 1280, height: int = 1400, chromium: str | None = None
) -> tuple[list[str], dict[str, Any]]:
    """Open a page in headless Chromium at ``width`` px; return its problems and its layout.

    Returns
    -------
    problems : list of str
        As :func:`check_html_in_chromium`.
    layout : dict
        :data:`LAYOUT_PROBE`'s result: ``width``, ``scroll_width`` and ``client_width`` (a
        page that scrolls sideways has ``scroll_width > client_width``), ``tiles`` (CSS
        colours) and ``lang``.
    """
    out: dict[str, Any] = {}
    problems = check_html_in_chromium(
        html, chromium=chromium, viewport=(width, height), evaluate=LAYOUT_PROBE, result=out
    )
    return problems, out.get("value") or {}


def check_html_in_chromium(
    html: Path,
    *,
    chromium: str | None = None,
    timeout_s: int = 60,
    settle_ms: int = 300,
    viewport: tuple[int, int] | None = None,
    evaluate: str | None = None,
    result: dict[str, Any] | None = None,
    fonts_of: str | None = None,
) -> list[str]:
    """Open a page in headless Chromium; return its console errors and failed requests.

    The page is loaded through the DevTools protocol over ``--remote-debugging-pipe`` (no
    websocket or extra package needed). Collected while it loads and ``settle_ms`` after:
    ``console.error``/``console.assert`` calls, uncaught exceptions, error entries of the
    browser log, every request to a non-local URL (remote URLs are blocked, so nothing
    leaves the machine; each shows as ``external request`` and ``failed request``), failed
    loads (e.g. a missing local image) and HTTP errors.

    Parameters
    ----------
    html : Path
        The page to check.
    chromium : str, optional
        Chromium executable; default :func:`osa_analysis.build.pdf.find_chromium`.
    timeout_s : int, default 60
        Wall-clock limit for the whole check.
    settle_ms : int, default 300
        Time the page is given after its load event for late errors.
    viewport : (int, int), optional
        Width and height of the window in CSS pixels (default Chromium's).
    evaluate : str, optional
        A JavaScript expression evaluated in the loaded page; its JSON value is stored in
        ``result["value"]``.
    result : dict, optional
        Receives the value of ``evaluate`` (``"value"``) and of ``fonts_of`` (``"fonts"``).
    fonts_of : str, optional
        A CSS selector: ``result["fonts"]`` gets, for the elements it selects (the first 200),
        the fonts Chromium drew their text with: family name → glyphs drawn
        (``CSS.getPlatformFontsForNode``), what a PDF printed from the page embeds.

    Returns
    -------
    list of str
        One line per problem, in the order they happened, without duplicates; empty for a
        clean page.

    Raises
    ------
    ChromiumNotFoundError
        When no Chromium is installed.
    RenderError
        When Chromium fails to start or answer, or the page does not load in time.
    """
    html = Path(html)
    binary = chromium or pdf.find_chromium()
    if binary is None:
        raise ChromiumNotFoundError("no Chromium found (chromium, chromium-browser, google-chrome)")
    if not html.is_file():
        raise RenderError(f"no HTML page to check: {html}")
    deadline = time.monotonic() + timeout_s
    cmd_read, cmd_write = os.pipe()  # we write commands; Chromium reads them on fd 3
    out_read, out_write = os.pipe()  # Chromium writes on fd 4; we read

    def child_fds() -> None:  # runs in the child between fork and exec
        high_cmd = fcntl.fcntl(cmd_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_out = fcntl.fcntl(out_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.dup2(high_cmd, 3)
        os.dup2(high_out, 4)

    with tempfile.TemporaryDirectory(prefix="osa-chromium-") as profile:
        stderr_path = Path(profile) / "chromium-stderr.txt"
        with stderr_path.open("w") as stderr_file:
            try:
                proc = subprocess.Popen(
                    [
                        binary,
                        *pdf.chromium_args(str(Path(profile) / "p")),
                        "--remote-debugging-pipe",
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr_file,
                    close_fds=False,
                    preexec_fn=child_fds,  # fds 3 and 4 must be the pipe ends
                )
            except OSError as exc:
                os.close(cmd_write)
                os.close(out_read)
                raise RenderError(f"cannot run Chromium {binary!r}: {exc}") from exc
            finally:
                os.close(cmd_read)
                os.close(out_write)
        pipe = _DevToolsPipe(cmd_write, out_read)
        done = False
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"}, None, deadline)
            session = pipe.call(
                "Target.attachToTarget",
                {"targetId": target["targetId"], "flatten": True},
                None,
                deadline,
            )["sessionId"]
            for method in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
                pipe.call(method, None, session, deadline)
            _block_remote_urls(pipe, session, deadline)
            if viewport is not None:
                metrics = {"width": viewport[0], "height": viewport[1]}
                metrics |= {"deviceScaleFactor": 1, "mobile": False}
                pipe.call("Emulation.setDeviceMetricsOverride", metrics, session, deadline)
            nav = pipe.call("Page.navigate", {"url": html.resolve().as_uri()}, session, deadline)
            problems = [f"navigation failed: {nav['errorText']}"] if nav.get("errorText") else []
            if not pipe.wait_event("Page.loadEventFired", session, deadline):
                raise RenderError(f"{html} did not finish loading within {timeout_s} s")
            pipe.call(
                "Runtime.evaluate",
                {
                    "expression": f"new Promise(r => setTimeout(r, {int(settle_ms)}))",
                    "awaitPromise": True,
                },
                session,
                deadline,
            )
            if fonts_of is not None and result is not None:
                result["fonts"] = _platform_fonts(pipe, session, deadline, fonts_of)
            if evaluate is not None:
                answer = pipe.call(
                    "Runtime.evaluate",
                    {"expression": evaluate, "returnByValue": True},
                    session,
                    deadline,
                )
                if result is not None:
                    result["value"] = answer.get("result", {}).get("value")
            problems += _page_problems(pipe.events, session)
            pipe.send("Browser.close")
            done = True
        except RenderError as exc:
            stderr = pdf.output_tail(stderr_path.read_text(errors="replace"))
            raise RenderError(f"{exc}\nChromium stderr:\n{stderr}") from exc
        finally:
            os.close(cmd_write)  # Chromium also quits when its pipe closes
            os.close(out_read)
            try:
                proc.wait(timeout=max(5.0, deadline - time.monotonic()) if done else 5.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return list(dict.fromkeys(problems))


# ---------------------------------------------------------------------------------------------
# Numbers a brief section shows


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?![\w])")


def _flatten(value: Any, numbers: list[float], texts: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            texts.append(str(k))  # keys count too (years of a series, distances)
            _flatten(v, numbers, texts)
    elif isinstance(value, list | tuple):
        for v in value:
            _flatten(v, numbers, texts)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int | float):
        numbers.append(float(value))
    elif isinstance(value, str):
        texts.append(value)


def numbers_not_in_values(
    text: str, values: Mapping[str, Any], *, percent_shares: bool = False
) -> list[str]:
    """Return the numbers (and ISO dates) in ``text`` that appear nowhere in ``values``.

    A number matches when a value agrees after rounding to the number's decimals (thousands
    separators and sign ignored), or when it appears verbatim inside a text value (storm ids,
    method versions, dates).

    Parameters
    ----------
    text : str
        What a section shows (:func:`shown_text`).
    values : Mapping
        The section's machine-readable values (keys count as text too).
    percent_shares : bool, default False
        Let a percentage match a share × 100.

    Returns
    -------
    list of str
        The unmatched tokens, in the order they appear (dates first).
    """
    numbers: list[float] = []
    texts: list[str] = []
    _flatten(jsonable(values), numbers, texts)
    if percent_shares:
        numbers += [100 * n for n in numbers]
    blob = "\n".join(texts)
    missing = [d for d in _DATE.findall(text) if d not in blob]
    for token in _NUMBER.findall(_DATE.sub(" ", text)):
        plain = token.replace(",", "")
        if any(re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])", blob) for t in {plain, token}):
            continue
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        tolerance = 0.5 * 10**-decimals + 1e-9
        if not any(abs(abs(n) - float(plain)) <= tolerance for n in numbers):
            missing.append(token)
    return missing


def figure_text(fig: Figure) -> str:
    """Return the titles, axis labels, legends and free text of a figure (not tick labels).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str
        One text per line.
    """
    parts = [fig.get_suptitle(), *(t.get_text() for t in fig.texts)]
    for legend in fig.legends:
        parts += [t.get_text() for t in legend.get_texts()]
    for ax in fig.axes:
        parts += [ax.get_title(loc) for loc in ("left", "center", "right")]
        parts += [ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
        if ax.get_legend() is not None:
            parts += [t.get_text() for t in ax.get_legend().get_texts()]
    return "\n".join(parts)


def shown_text(section: Section) -> str:
    """Return everything a section shows: text, method, tables, figure text and caveats.

    Parameters
    ----------
    section : osa_analysis.brief.section.Section

    Returns
    -------
    str
        The markdown, the method text, each table (caption and values), each figure
        (caption and :func:`figure_text`) and the caveats, one after the other.
    """
    tables = "\n".join(cap + "\n" + df.to_string(index=False) for cap, df in section.tables)
    figures = "\n".join(cap + "\n" + figure_text(fig) for cap, fig in section.figures)
    return "\n".join([section.markdown, section.method, tables, figures, *section.caveats])
