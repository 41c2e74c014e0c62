"""The one loader of the method files under ``data/risk/`` (composite, diversion, tiles...).

Every method choice of the risk assessment lives in a versioned YAML file. They are all read
through :func:`load_method_file`, which

* reads the bytes on every call and parses them only when their sha256 is new, so an edited
  file is seen at once, also in a running kernel;
* validates the document with the caller's check and names the file in every error;
* returns a :class:`MethodFile`: the path, the sha256 (part of every cache key and result
  that depends on the method) and the document, **frozen** (mappings are read-only, lists
  become tuples), so no caller can change what another one reads.

Generated values (e.g. the composite's calibration) live in files of their own, written by
``osa-briefs methods calibrate``, never by editing a hand-written file's text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from osa_analysis.core.config import CURATED_DIR
from osa_analysis.core.yamlio import safe_load

METHODS_DIR = CURATED_DIR / "risk"
"""Folder of the method files."""


class MethodError(ValueError):
    """A method file is missing, not valid YAML, or inconsistent (the message names it)."""


def freeze(value: Any) -> Any:
    """Return a read-only deep copy: dicts become read-only mappings, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Return a plain, mutable deep copy of a frozen document (dicts and lists)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class MethodFile(Mapping):
    """A parsed, validated, frozen method file (a read-only mapping of its top level).

    Attributes
    ----------
    name : str
        File stem, e.g. ``"composite"``.
    path : Path
    sha256 : str
        Of the file's bytes.
    data : Mapping
        The document, frozen (:func:`freeze`).
    """

    name: str
    path: Path
    sha256: str
    data: Mapping[str, Any] = field(repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __reduce__(self) -> tuple:
        """Pickle the plain document (a process pool or a Dask worker gets the same file)."""
        return (_rebuild, (self.name, self.path, self.sha256, thaw(self.data)))


def _rebuild(name: str, path: Path, sha256: str, doc: dict[str, Any]) -> MethodFile:
    return MethodFile(name, path, sha256, freeze(doc))


_PARSED: dict[tuple[str, str], MethodFile] = {}
"""Parsed files by path and sha256."""


def method_path(name_or_path: str | Path) -> Path:
    """Return the file of a method name (``"composite"`` -> ``data/risk/composite.yaml``)."""
    text = str(name_or_path)
    if "/" in text or text.endswith((".yaml", ".yml")):
        return Path(name_or_path)
    return METHODS_DIR / f"{text}.yaml"


def load_method_file(
    name_or_path: str | Path,
    *,
    problems: Callable[[Mapping[str, Any]], list[str]] | None = None,
) -> MethodFile:
    """Read, check and freeze one method file.

    Parameters
    ----------
    name_or_path : str or Path
        A method name under ``data/risk/`` or the path of a file in the same layout.
    problems : callable, optional
        Returns what is wrong with the parsed document (an empty list when it is valid).

    Returns
    -------
    MethodFile

    Raises
    ------
    MethodError
        When the file is missing, is not a YAML mapping, or ``problems`` lists anything;
        the message names the file.
    """
    path = method_path(name_or_path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MethodError(f"{path}: cannot read the method file ({exc.strerror})") from None
    sha = hashlib.sha256(raw).hexdigest()
    key = (str(path), sha)
    if key in _PARSED:
        return _PARSED[key]
    try:
        doc = safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MethodError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        kind = type(doc).__name__
        raise MethodError(f"{path}: expected a mapping of method settings, got {kind}")
    found = problems(doc) if problems is not None else []
    if found:
        raise MethodError(f"{path}: " + "; ".join(found))
    method = MethodFile(name=path.stem, path=path, sha256=sha, data=freeze(doc))
    _PARSED[key] = method
    return method
