"""Catalog of published briefs: ``reports/index.html`` and ``reports/index.json``.

The catalog is built only from what is on disk under ``reports/`` (see the reports layout
in the brief contract):

``<ISO3>/``
    The latest good brief (``run.json`` with ``status == "ok"``, ``brief.html``,
    ``brief.pdf``, ``brief.ipynb``, ``summary.json``).
``<ISO3>/history/<as_of>--<runkey12>/``
    Every published run.
``_failed/<ISO3>/<YYYYmmddTHHMMSSZ>/``
    Failed runs (``run.json`` with ``error``, ``brief_debug.html``, ``brief.ipynb``,
    ``log.txt``).

A country is ``ok`` when its latest good brief is newer than any failure, ``stale`` when a
failure happened after it (the page says "stale since" the first such failure and shows
the latest error; ``stale_since_utc`` in ``index.json``), and ``failed`` when it has no
current brief (``stale_since_utc`` is then its first failure). A brief whose ``run.json``
is missing or unreadable has no time, so any failure makes it stale. The data vintage is
``summary.json`` → ``provenance`` → ``data_vintage`` when present, else the count of
``run.json`` inputs. Times come
from ``run.json`` (``finished_utc``, else ``started_utc``; for failures, else the folder
name), never from the clock or file modification times, so the same tree always gives
byte-identical files. Both files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from osa_analysis.build.feed import change_items, news_items, write_feed
from osa_analysis.build.pages import STYLE_FILE, TEMPLATES_DIR, page_environment, vintage_rows
from osa_analysis.build.params import osa_fiscal_years
from osa_analysis.build.screening import screening_entry
from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.files import atomic_write_text, read_json_object
from osa_analysis.core.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    REFERENCE,
    _,
    catalog_files,
    tr,
    use_language,
)
from osa_analysis.core.provenance import __version__

log = logging.getLogger(__name__)

INDEX_TEMPLATE = "index.html.j2"
FAILED_DIR = "_failed"
HISTORY_DIR = "history"
#: Schema version of ``index.json``.
INDEX_SCHEMA = 1

_ISO3 = re.compile(r"^[A-Z]{3}$")
_STAMP = re.compile(r"^(\d{8}T\d{6}Z)")
# Published-brief files, by link name, with their default file names.
_BRIEF_FILES = {
    "html": "brief.html",
    "pdf": "brief.pdf",
    "html_ja": "brief.ja.html",
    "pdf_ja": "brief.ja.pdf",
    "ipynb": "brief.ipynb",
    "summary": "summary.json",
    "judgements": "judgements.json",
    "run": "run.json",
}
_FAILURE_FILES = {
    "debug_html": "brief_debug.html",
    "ipynb": "brief.ipynb",
    "log": "log.txt",
    "run": "run.json",
}


def parse_utc(value: object) -> datetime | None:
    """Parse a UTC timestamp as written in ``run.json`` or a failure folder name.

    Accepts ISO 8601 (``2026-08-10T01:00:00Z``, with fractions or an offset; naive values
    are taken as UTC) and the compact ``20260810T010000Z``.

    Parameters
    ----------
    value : object
        The raw value.

    Returns
    -------
    datetime or None
        An aware UTC datetime, or ``None`` when ``value`` is not a timestamp.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{8}T\d{6}Z", text):
            parsed = datetime.strptime(text, "%Y%m%dT%H%M%SZ")
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _human(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "unknown time"


def _link(reports_dir: Path, path: Path) -> str:
    """Return the URL of ``path`` relative to ``reports_dir`` (percent-encoded, POSIX)."""
    relative = path.relative_to(reports_dir).as_posix()
    return urllib.parse.quote(relative, safe="/")


def _links(
    reports_dir: Path, folder: Path, run: Mapping[str, Any] | None, defaults: Mapping[str, str]
) -> dict[str, str | None]:
    """Links to the files of one run folder, by link name (``None`` when absent).

    A name listed in ``run.json`` ``files`` wins over the default; for a failure's debug
    page ``files["html"]`` is accepted too. Only file names are used, never paths, so a
    link cannot leave the run folder.
    """
    files = run.get("files") if run else None
    files = files if isinstance(files, Mapping) else {}
    links: dict[str, str | None] = dict.fromkeys(defaults)
    for key, default in defaults.items():
        candidates = [files.get(key)]
        if key == "debug_html":
            candidates.append(files.get("html"))
        candidates.append(default)
        for name in candidates:
            if isinstance(name, str) and name and (folder / Path(name).name).is_file():
                links[key] = _link(reports_dir, folder / Path(name).name)
                break
    return links


def _run_time(run: Mapping[str, Any] | None) -> datetime | None:
    if not run:
        return None
    return parse_utc(run.get("finished_utc")) or parse_utc(run.get("started_utc"))


def _provenance(summary: Mapping[str, Any] | None) -> Mapping[str, Any]:
    provenance = summary.get("provenance") if summary else None
    return provenance if isinstance(provenance, Mapping) else {}


def _country_name(iso3: str, provenance: Mapping[str, Any]) -> str:
    for key in ("country_name", "country"):
        value = provenance.get(key)
        if isinstance(value, str) and value.strip() and value.strip() != iso3:
            return value.strip()
    try:
        from osa_analysis.core.countries import country_name

        return country_name(iso3)
    except (ValueError, LookupError, ImportError):
        return iso3


def _failure(reports_dir: Path, folder: Path) -> dict[str, Any]:
    run = read_json_object(folder / "run.json") or {}
    stamp = _STAMP.match(folder.name)
    when = _run_time(run) or (parse_utc(stamp.group(1)) if stamp else None)
    error = run.get("error") if isinstance(run.get("error"), Mapping) else {}
    return {
        "folder": _link(reports_dir, folder),
        "when_utc": _iso(when),
        "as_of": run.get("as_of"),
        "run_key": run.get("run_key"),
        "ename": error.get("ename"),
        "evalue": error.get("evalue"),
        "cell_index": error.get("cell_index"),
        "links": _links(reports_dir, folder, run, _FAILURE_FILES),
        "_when": when,
    }


def _history(reports_dir: Path, country_dir: Path) -> list[dict[str, Any]]:
    history_dir = country_dir / HISTORY_DIR
    if not history_dir.is_dir():
        return []
    items = []
    # a dot folder is a version still being copied (or left by a dead build): never listed
    versions = (p for p in history_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in sorted(versions):
        run = read_json_object(folder / "run.json")
        links = _links(reports_dir, folder, run, _BRIEF_FILES)
        if not links["html"]:
            continue
        as_of = (run or {}).get("as_of") or folder.name.split("--")[0]
        when = _run_time(run)
        items.append(
            {
                "as_of": as_of,
                "run_key": (run or {}).get("run_key"),
                "finished_utc": _iso(when),
                "folder": _link(reports_dir, folder),
                "links": links,
            }
        )
    items.sort(key=lambda i: (str(i["as_of"]), i["finished_utc"] or "", i["folder"]), reverse=True)
    return items


def _country(reports_dir: Path, iso3: str) -> dict[str, Any] | None:
    country_dir = reports_dir / iso3
    run = read_json_object(country_dir / "run.json")
    summary = read_json_object(country_dir / "summary.json")
    published = (run is not None and run.get("status") == "ok") or (
        run is None and (country_dir / "brief.html").is_file()
    )
    failed_root = reports_dir / FAILED_DIR / iso3
    failures = (
        [_failure(reports_dir, f) for f in sorted(failed_root.iterdir()) if f.is_dir()]
        if failed_root.is_dir()
        else []
    )
    failures.sort(key=lambda f: (f["when_utc"] or "", f["folder"]), reverse=True)
    history = _history(reports_dir, country_dir)
    if not published and not failures and not history:
        return None

    provenance = _provenance(summary)
    good_time = _run_time(run) if published else None
    if published:
        after = [
            f for f in failures if good_time is None or (f["_when"] and f["_when"] > good_time)
        ]
        status = "stale" if after else "ok"
    else:
        after = failures
        status = "failed"
    stale_since = min((f["_when"] for f in after if f["_when"]), default=None)
    inputs = (run or {}).get("inputs")
    vintage = provenance.get("data_vintage")
    latest = failures[0] if failures else None
    return {
        "iso3": iso3,
        "name": _country_name(iso3, provenance),
        "status": status,
        "as_of": ((run or {}).get("as_of") or provenance.get("as_of")) if published else None,
        "run_key": (run or {}).get("run_key") if published else None,
        "finished_utc": _iso(good_time),
        "package_version": (run or {}).get("package_version") if published else None,
        "git_commit": (run or {}).get("git_commit") if published else None,
        "data_vintage": vintage if published else None,
        "tiles": ((summary or {}).get("bottom_line") or {}).get("tiles") if published else None,
        "composite": _composite(summary) if published else None,
        "fiscal_years": osa_fiscal_years(iso3),
        "what_changed": _changes(summary) if published else None,
        "inputs_count": len(inputs) if published and isinstance(inputs, Mapping) else None,
        "links": _links(reports_dir, country_dir, run, _BRIEF_FILES) if published else {},
        "stale_since_utc": _iso(stale_since) if status != "ok" else None,
        "last_failure": {k: v for k, v in latest.items() if k != "_when"} if latest else None,
        "failures_count": len(failures),
        "history": history,
    }


def _composite(summary: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return the brief's structural risk composite: score, interval and class (or None)."""
    comp = (summary or {}).get("composite") or {}
    if comp.get("score") is None:
        return None
    return {"score": comp["score"], "interval": comp.get("interval"), "class": comp.get("class")}


def _changes(summary: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Reduce the brief's "what changed since the last brief" to labels for the index."""
    if not (summary or {}).get("what_changed"):
        return None
    previous, items = change_items(summary)
    return {
        "previous_as_of": previous,
        "n_changes": len(items),
        "items": items,
        "news": news_items(summary),
    }


def collect_catalog(reports_dir: Path) -> dict[str, Any]:
    """Collect the catalog of a reports tree as plain data (the content of ``index.json``).

    Parameters
    ----------
    reports_dir : Path
        The ``reports/`` folder.

    Returns
    -------
    dict
        ``{"schema", "package_version", "latest_run_utc", "counts", "countries"}`` with
        one entry per country (sorted by ISO3) that has a published brief, history or a
        failure.
    """
    reports_dir = Path(reports_dir)
    codes: set[str] = set()
    if reports_dir.is_dir():
        codes |= {p.name for p in reports_dir.iterdir() if p.is_dir() and _ISO3.match(p.name)}
    failed = reports_dir / FAILED_DIR
    if failed.is_dir():
        codes |= {p.name for p in failed.iterdir() if p.is_dir() and _ISO3.match(p.name)}
    countries = [c for c in (_country(reports_dir, code) for code in sorted(codes)) if c]
    times = [
        t
        for c in countries
        for t in (
            c["finished_utc"],
            (c["last_failure"] or {}).get("when_utc"),
            *(h["finished_utc"] for h in c["history"]),
        )
        if t
    ]
    counts = {s: sum(c["status"] == s for c in countries) for s in ("ok", "stale", "failed")}
    return {
        "schema": INDEX_SCHEMA,
        "package_version": __version__,
        "latest_run_utc": max(times, default=None),
        "counts": counts,
        "countries": countries,
        "backtest": backtest_entry(reports_dir),
        "screening": screening_entry(reports_dir),
        "freshness": source_freshness(max(times, default=None)),
    }


def source_freshness(latest_run_utc: str | None) -> dict[str, Any] | None:
    """Return the freshness of every source with an expected next release, at the last build.

    The yardstick is the date of the newest run record (not the clock), so the index stays a
    function of the reports folder and is rewritten only when a build changes it.

    Returns
    -------
    dict or None
        None before any run; else ``as_of`` (the yardstick date) and ``sources``: ``id``,
        ``title``, ``channel``, ``cadence``, ``last_data``, ``due``, ``state``,
        ``days_overdue`` and ``vintage`` (the release in use), most overdue first.
    """
    from osa_analysis.sources.freshness import freshness_table
    from osa_analysis.sources.registry import registry

    if not latest_run_utc:
        return None
    today = dt.date.fromisoformat(latest_run_utc[:10])
    sources = registry()
    rows = [
        {
            "id": f.source_id,
            "title": sources[f.source_id].title,
            "channel": sources[f.source_id].release.channel,
            "cadence": sources[f.source_id].release.cadence,
            "last_data": f.last_data.isoformat() if f.last_data else None,
            "due": f.due.isoformat() if f.due else None,
            "state": f.state,
            "days_overdue": f.days_overdue,
            "vintage": sources[f.source_id].vintage,
        }
        for f in freshness_table(today)
        if f.state in ("current", "overdue")
    ]
    rows.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    return {"as_of": today.isoformat(), "sources": rows}


def backtest_entry(reports_dir: Path) -> dict[str, Any] | None:
    """Return the published track-record report (``backtest/``), None when there is none.

    Returns
    -------
    dict or None
        ``html`` and ``scores`` (links), ``method_version``, ``origins`` and ``as_of`` of
        ``backtest/scores.json``.
    """
    scores = read_json_object(Path(reports_dir) / "backtest" / "scores.json")
    if not scores or not (Path(reports_dir) / "backtest" / "index.html").exists():
        return None
    return {
        "html": "backtest/index.html",
        "scores": "backtest/scores.json",
        "method_version": scores.get("method_version"),
        "origins": scores.get("origins"),
        "as_of": scores.get("as_of"),
    }


def _catalog_json(catalog: Mapping[str, Any]) -> str:
    return json.dumps(catalog, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def index_source_digest(catalog: Mapping[str, Any], lang: str = REFERENCE) -> str:
    """Return the sha256 of everything the index page in ``lang`` is made from.

    The catalog (as ``index.json`` text), the page template, the style sheet, the code of
    the map, the package version and, for another language, its catalogs. The page carries it
    (``<meta name="osa-index-source">``), so :func:`build_index` can tell that an existing
    page is current without rendering it.
    """
    digest = hashlib.sha256(_catalog_json(catalog).encode())
    extra = [] if lang == REFERENCE else catalog_files(lang)
    drawn_by = Path(__file__).with_name("index_map.py")  # the map's code
    for path in (TEMPLATES_DIR / INDEX_TEMPLATE, STYLE_FILE, drawn_by, *extra):
        digest.update(b"\0" + path.read_bytes())
    digest.update(b"\0" + lang.encode())
    digest.update(b"\0" + __version__.encode())
    return "sha256:" + digest.hexdigest()


STATUS_LABELS = {"ok": N_("ok"), "stale": N_("stale"), "failed": N_("failed")}
"""The status words of the index (translated where shown)."""


def index_name(lang: str) -> str:
    """Return the file of the index in ``lang``: ``index.html``, ``index.ja.html``."""
    return "index.html" if lang == REFERENCE else f"index.{lang}.html"


def _page_helpers(markupsafe) -> dict[str, Any]:
    """Return the functions and filters the index template uses for its words and links."""

    def link(href: str | None, text: str):
        if not href:
            return text
        return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)

    def links_list(items, sep: str = "; "):
        pairs = [
            (i.get("href"), i.get("name")) if isinstance(i, Mapping) else tuple(i) for i in items
        ]
        return markupsafe.Markup(sep).join(link(h, t) for h, t in pairs if h)

    def format_html(message: str, **values: Any):
        """Return a translated message holding markup, its placeholders filled, escaped."""
        escaped = {k: markupsafe.escape(v) for k, v in values.items()}
        return markupsafe.Markup(message.format(**escaped))

    def day(value: Any) -> str:
        from osa_analysis.brief.numbers import date_text

        text = str(value or "")
        return date_text(text) if _ISO_DAY.fullmatch(text) else text

    def fiscal_year(year: Any) -> str:
        return _("FY{year}").format(year=year)

    return {
        "link": link,
        "links_list": links_list,
        "format_html": format_html,
        "day": day,
        "fiscal_year": fiscal_year,
    }


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def render_index_html(
    catalog: Mapping[str, Any], source_digest: str | None = None, lang: str = REFERENCE
) -> str:
    """Render the catalog as a self-contained HTML page (no script, no external loads).

    Parameters
    ----------
    catalog : Mapping
        As returned by :func:`collect_catalog`.
    source_digest : str, optional
        :func:`index_source_digest` of the catalog, when the caller has it already.
    lang : str, default "en"
        The language of the page (:func:`index_name`); its briefs link to their edition in
        that language, and the page links its other editions.

    Returns
    -------
    str
        The page; all data text is HTML-escaped (Jinja autoescape).
    """
    with use_language(lang):
        return _render_index_html(catalog, source_digest, lang)


def _render_index_html(catalog: Mapping[str, Any], source_digest: str | None, lang: str) -> str:
    import markupsafe

    # only when the page is rendered: an up-to-date build imports no pandas or matplotlib
    from osa_analysis.analyse.tiles import tile_rules
    from osa_analysis.brief.key_judgements import rating_class

    env = page_environment()
    env.filters["human_time"] = lambda value: _human(parse_utc(value))
    env.filters["vintage_rows"] = vintage_rows
    helpers = _page_helpers(markupsafe)
    env.filters["format_html"] = helpers.pop("format_html")
    env.filters["day"] = helpers.pop("day")
    env.globals.update(helpers, _=_, tr=tr)
    template = env.get_template(INDEX_TEMPLATE)
    # by name in the page's language (katakana names sort in the order of the kana table)
    countries = sorted(catalog["countries"], key=lambda c: (str(tr(str(c["name"]))), c["iso3"]))
    from osa_analysis.build.index_map import recipients_map_svg

    scale = tile_rules()["scale"]
    classes = {
        c["iso3"]: (c.get("composite") or {}).get("class")
        for c in countries
        if c["status"] != "failed"
    }
    svg = recipients_map_svg(classes, functools.partial(rating_class, scale=scale), scale)
    page = template.render(
        recipients_map=markupsafe.Markup(svg) if svg else None,
        catalog=catalog,
        published=[c for c in countries if c["status"] != "failed"],
        rating_class=functools.partial(rating_class, scale=tile_rules()["scale"]),
        failed_only=[c for c in countries if c["status"] == "failed"],
        freshness=catalog.get("freshness"),
        css=markupsafe.Markup(STYLE_FILE.read_text(encoding="utf-8")),
        version=__version__,
        source_digest=source_digest or index_source_digest(catalog, lang),
        lang=lang,
        editions=[
            (other, LANGUAGE_NAMES[other], index_name(other))
            for other in LANGUAGES
            if other != lang
        ],
    )
    return page.strip("\n") + "\n"


def build_index(reports_dir: Path) -> tuple[Path, Path]:
    """Write ``reports/index.html``, ``index.json`` and the Atom ``feed.xml`` from the run folders.

    A file that already holds what it would be given is left alone (``index.json`` by its
    text, ``index.html`` by its ``osa-index-source`` digest), so a build with nothing new
    neither renders the page nor touches either file.

    Parameters
    ----------
    reports_dir : Path
        The ``reports/`` folder (created when missing).

    Returns
    -------
    tuple of Path
        ``(index.html, index.json)``.
    """
    reports_dir = Path(reports_dir)
    catalog = collect_catalog(reports_dir)
    catalog["method"] = publish_method_files(reports_dir)
    html_path, json_path = reports_dir / "index.html", reports_dir / "index.json"
    text = _catalog_json(catalog)
    if _read_text(json_path) != text:
        atomic_write_text(json_path, text)
    for lang in LANGUAGES:  # index.html, index.ja.html
        page = reports_dir / index_name(lang)
        digest = index_source_digest(catalog, lang)
        marker = f'<meta name="osa-index-source" content="{digest}">'
        if marker not in (_read_text(page) or ""):
            atomic_write_text(page, render_index_html(catalog, digest, lang))
    write_feed(reports_dir, catalog)
    return html_path, json_path


METHOD_FILES = ("tiles.yaml", "diversion.yaml", "composite.yaml", "backtest.yaml", "CHANGELOG.md")
"""The method files a reader of the index can open (copied to ``reports/method/``)."""


def publish_method_files(reports_dir: Path) -> list[dict[str, str]]:
    """Copy the method files beside the briefs (``reports/method/``); return their links.

    A file is rewritten (atomically) only when its text differs. Project-owned text only.
    """
    out = []
    for name in METHOD_FILES:
        source = CURATED_DIR / "risk" / name
        if not source.is_file():
            continue
        target = Path(reports_dir) / "method" / name
        text = source.read_text(encoding="utf-8")
        if _read_text(target) != text:
            atomic_write_text(target, text)
        out.append({"name": name, "href": f"method/{name}"})
    return out


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
