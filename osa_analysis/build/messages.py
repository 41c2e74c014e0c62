"""``osa-briefs messages``: the message catalogs of the editions (Babel, gettext ``.po``).

::

    osa-briefs messages check      list messages without a translation, or whose
                                   placeholders differ from the English (exit 1 if any)
    osa-briefs messages update     add new messages (untranslated) to each catalog and drop
                                   the ones no longer used; translations are kept

The messages are (:func:`extract`):

- every ``_("...")`` and ``N_("...")`` of the package's code (Babel's Python extractor);
- every ``_("...")`` of its Jinja templates (the landing page);
- the texts of curated data files that a module shows through
  :func:`~osa_analysis.core.i18n.tr`: each such module declares them in a module-level
  ``DATA_MESSAGES`` tuple of ``(file glob, field)`` pairs, read without importing the module
  (:func:`data_messages`). A field is a dotted path: ``events[].summary`` (each item of the
  list ``events``), ``*.label`` (the ``label`` of every value of a mapping), ``terms[].term``;
  for a CSV file, ``column:<name>``.
"""

from __future__ import annotations

import argparse
import ast
import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from osa_analysis.core.config import PROJECT_ROOT
from osa_analysis.core.files import atomic_write_text
from osa_analysis.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, REFERENCE, catalog_files

PACKAGE_DIR = Path(__file__).resolve().parents[1]
_CATALOG_DATE = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
"""Header date of the catalogs (fixed: an update changes a catalog only where messages do)."""
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){%d,}")
_KEYWORDS = frozenset({"_", "N_"})
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}(?!\})")


@dataclass(frozen=True)
class Problem:
    """A message of a catalog that cannot be used as it is."""

    lang: str
    msgid: str
    what: str
    where: str = ""

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"[{self.lang}] {self.what}{where}: {self.msgid!r}"


def english_runs(text: str, words: int = 4) -> list[str]:
    """Return the runs of at least ``words`` English words in a text of another edition.

    A Japanese page may keep proper names, codes and source titles in Latin letters, but a
    run of four or more words is almost always an untranslated sentence.
    """
    return [m.group(0) for m in re.finditer(_ENGLISH_RUN.pattern % (words - 1), text)]


def catalog_path(lang: str) -> Path:
    """Return the ``.po`` file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> dict[str, list[str]]:
    """Return every message of the package: msgid -> where it is used (file:line, in order)."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        for lineno, message in python_messages(module):
            found.setdefault(message, []).append(
                f"{module.relative_to(PACKAGE_DIR.parent).as_posix()}:{lineno}"
            )
    method_map = [("**/templates/*.j2", "jinja2.ext:babel_extract")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE_DIR), method_map=method_map
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append(f"osa_analysis/{filename}:{lineno}")
    for message, where in data_messages():
        found.setdefault(message, []).append(where)
    return found


def python_messages(path: Path) -> list[tuple[int, str]]:
    """Return ``(line, msgid)`` of every ``_("...")`` and ``N_("...")`` call of a module.

    Read from the syntax tree, so calls inside f-strings are found too (Babel's extractor
    skips them).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _KEYWORDS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value
        ):
            out.append((node.lineno, node.args[0].value))
    return sorted(out)


def data_messages(root: Path = PROJECT_ROOT) -> Iterator[tuple[str, str]]:
    """Yield ``(text, file)`` for every curated data text a module declares it shows."""
    for module in sorted(PACKAGE_DIR.rglob("*.py")):
        for pattern, spec in _declared(module):
            for path in sorted(root.glob(pattern)):
                for text in _field_texts(path, spec):
                    yield text, path.relative_to(root).as_posix()


def _declared(module: Path) -> list[tuple[str, str]]:
    """Return a module's ``DATA_MESSAGES`` (a literal), read without importing it."""
    tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "DATA_MESSAGES" and node.value:
            return [tuple(pair) for pair in ast.literal_eval(node.value)]
    return []


def _field_texts(path: Path, spec: str) -> Iterator[str]:
    if spec.startswith("column:"):
        column = spec.removeprefix("column:")
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if (row.get(column) or "").strip():
                    yield row[column].strip()
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    yield from (v for v in _walk(data, spec.split(".")) if isinstance(v, str) and v.strip())


def _walk(node: Any, parts: list[str]) -> Iterable[Any]:
    if not parts:
        yield node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, dict):
            for value in node.values():
                yield from _walk(value, rest)
        return
    each = head.endswith("[]")
    key = head.removesuffix("[]")
    value = node.get(key) if isinstance(node, dict) else None
    if each:
        for item in value or []:
            yield from _walk(item, rest)
    elif value is not None:
        yield from _walk(value, rest)


def placeholders(text: str) -> set[str]:
    """Return the ``{name}`` placeholders of a message (``{{`` and ``}}`` are literal)."""
    return set(_PLACEHOLDER.findall(text))


def read_catalog(lang: str):
    """Return the Babel catalog of ``lang``: its ``.po`` files merged (the main one first).

    Besides ``osa.po`` a folder may hold other ``.po`` files (translations written apart,
    e.g. one per section); :func:`update` merges them into ``osa.po``.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang, domain=DOMAIN, project="osa_analysis")
    main = catalog_path(lang)
    for path in [main, *sorted(p for p in catalog_files(lang) if p != main)]:
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang, domain=DOMAIN):
                if message.id and message.id not in merged:
                    merged.add(message.id, message.string)
                elif message.id and message.string and not merged[message.id].string:
                    merged[message.id].string = message.string
    return merged


def check(messages: dict[str, list[str]] | None = None) -> list[Problem]:
    """Return the problems of every catalog against the package's messages."""
    messages = extract() if messages is None else messages
    problems: list[Problem] = []
    for lang in LANGUAGES:
        if lang == REFERENCE:
            continue
        catalog = read_catalog(lang)
        for msgid, where in messages.items():
            entry = catalog.get(msgid)
            if entry is None or not entry.string:
                problems.append(Problem(lang, msgid, "no translation", where[0]))
            elif placeholders(entry.string) != placeholders(msgid):
                problems.append(Problem(lang, msgid, "placeholders differ", where[0]))
    return problems


def update(messages: dict[str, list[str]] | None = None) -> dict[str, tuple[int, int]]:
    """Bring every catalog in line with the messages: add new ones, drop unused ones.

    Returns
    -------
    dict
        Per language, ``(added, dropped)``.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    messages = extract() if messages is None else messages
    out: dict[str, tuple[int, int]] = {}
    for lang in LANGUAGES:
        if lang == REFERENCE:
            continue
        old = read_catalog(lang)
        new = Catalog(
            locale=lang,
            domain=DOMAIN,
            project="osa_analysis",
            version="1",
            fuzzy=False,
            header_comment=f"# {lang} messages of osa_analysis (osa-briefs messages update).",
            creation_date=_CATALOG_DATE,
            revision_date=_CATALOG_DATE,
        )
        added = 0
        for msgid, where in sorted(messages.items(), key=lambda kv: (kv[1][0], kv[0])):
            entry = old.get(msgid)
            added += entry is None
            locations = [(w.rsplit(":", 1)[0], None) for w in dict.fromkeys(where)]
            new.add(msgid, entry.string if entry else "", locations=locations)
        dropped = sum(1 for m in old if m.id and m.id not in messages)
        buffer = io.BytesIO()
        write_po(buffer, new, width=100, omit_header=False, include_lineno=False)
        atomic_write_text(catalog_path(lang), buffer.getvalue().decode("utf-8"))
        for part in catalog_files(lang):  # merged into the main catalog
            if part != catalog_path(lang):
                part.unlink()
        out[lang] = (added, dropped)
    return out


def add_messages_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``osa-briefs messages`` to the command line."""
    p = sub.add_parser("messages", help="the message catalogs of the Japanese edition")
    msub = p.add_subparsers(dest="messages_command", required=True)
    c = msub.add_parser("check", help="list untranslated messages (exit 1 if any)")
    c.set_defaults(func=_cmd_check)
    u = msub.add_parser("update", help="add new messages to the catalogs, drop unused ones")
    u.set_defaults(func=_cmd_update)


def _cmd_check(args: argparse.Namespace) -> int:
    problems = check()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in the catalogs" if problems else "catalogs complete")
    return 1 if problems else 0


def _cmd_update(args: argparse.Namespace) -> int:
    for lang, (added, dropped) in update().items():
        print(f"{catalog_path(lang).relative_to(PROJECT_ROOT)}: {added} new, {dropped} dropped")
    return 0
