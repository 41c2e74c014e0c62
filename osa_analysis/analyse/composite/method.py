r"""The composite's method: its hand-written method file and its generated calibration.

Every method choice (indicators, windows, look-backs, goalpost percentiles, transforms,
weights, the aggregation rule, the Monte Carlo settings, class edges) is read from the
versioned file ``data/risk/composite.yaml``. The numbers set on the data of the reference
year (goalposts, COIN log decisions, class thresholds) live beside it in
``data/risk/composite_calibration.yaml``, written by ``osa-briefs methods calibrate``. Both
are read through :func:`osa_analysis.sources.methods.load_method_file` (frozen,
sha256-keyed) and checked together by :func:`load_method`.

**Configuration digest.** :attr:`CompositeMethod.config_sha256` (``composite.config_sha256``
in ``summary.json``, and part of every cache key of the composite) is the sha256 of the
text made of one line per file, its sha256 in hex: first the method file, then the
calibration file (the second line is absent before the first calibration)::

    sha256sum data/risk/composite.yaml data/risk/composite_calibration.yaml \\
        | cut -d' ' -f1 | sha256sum

An edit of either file changes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from osa_analysis.core.countries import CountrySetError, country_set
from osa_analysis.harmonise.classify import SEVERITIES
from osa_analysis.sources.methods import (
    METHODS_DIR,
    MethodError,
    MethodFile,
    freeze,
    load_method_file,
    thaw,
)

CONFIG_FILE = METHODS_DIR / "composite.yaml"
"""The method file (hand-written and versioned; see its header)."""

CALIBRATION_SUFFIX = "_calibration"
"""A method file ``<name>.yaml`` has its calibration in ``<name>_calibration.yaml``."""

REQUIRED_KEYS = (
    "method_version",
    "reference_year",
    "dimensions",
    "indicators",
    "goalposts",
    "log_rule",
    "zscore",
    "aggregation",
    "monte_carlo",
    "data_uncertainty",
    "classes",
    "trend",
    "max_source_lag_years",
    "universe",
)
"""Top-level keys every composite method file has."""

INDICATOR_KEYS = (
    "label",
    "dimension",
    "kind",
    "direction",
    "unit",
    "lookback_years",
    "release_lag_years",
)
"""Keys every indicator of the method file has."""


def calibration_path(method_path: str | Path) -> Path:
    """Return the calibration file beside a method file (``x.yaml`` -> ``x_calibration.yaml``)."""
    path = Path(method_path)
    return path.with_name(f"{path.stem}{CALIBRATION_SUFFIX}{path.suffix}")


CALIBRATION_FILE = calibration_path(CONFIG_FILE)
"""The generated calibration of :data:`CONFIG_FILE`."""


def config_sha256(method_sha256: str, calibration_sha256: str | None) -> str:
    """Combine the two files' sha256 into the configuration digest (module docstring).

    Parameters
    ----------
    method_sha256 : str
        Of the method file's bytes.
    calibration_sha256 : str or None
        Of the calibration file's bytes (None when there is none).

    Returns
    -------
    str
        64 hex digits.
    """
    lines = [method_sha256] if calibration_sha256 is None else [method_sha256, calibration_sha256]
    return hashlib.sha256("".join(f"{s}\n" for s in lines).encode("ascii")).hexdigest()


def _severity_weight_problems(iid: str, weights) -> list[str]:
    """List what is wrong with severity weights (each class and ``unknown``: a number > 0)."""
    need = [*SEVERITIES, "unknown"]
    if not isinstance(weights, Mapping):
        return [f"indicator {iid}: severity_weights must map {need} to weights"]
    problems = [
        f"indicator {iid}: severity_weights: no weight for {k!r}" for k in need if k not in weights
    ]
    problems += [
        f"indicator {iid}: severity_weights: unknown class {k!r}" for k in weights if k not in need
    ]
    problems += [
        f"indicator {iid}: severity_weights: {k!r} must be a positive number, got {v!r}"
        for k, v in weights.items()
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0
    ]
    return problems


def _indicator_problems(iid: str, spec: Mapping, method: Mapping) -> list[str]:
    problems = [f"indicator {iid}: missing {key!r}" for key in INDICATOR_KEYS if key not in spec]
    if spec.get("dimension") not in method["dimensions"]:
        problems.append(f"indicator {iid}: unknown dimension {spec.get('dimension')!r}")
    if spec.get("direction") not in (1, -1):
        problems.append(f"indicator {iid}: direction must be 1 or -1")
    if spec.get("kind") not in ("window", "level"):
        problems.append(f"indicator {iid}: kind must be window or level")
    if spec.get("kind") == "window" and "window_years" not in spec:
        problems.append(f"indicator {iid}: window indicator without window_years")
    if spec.get("uncertainty", "none") not in ("standard_error", "poisson", "none"):
        problems.append(
            f"indicator {iid}: uncertainty must be standard_error, poisson or none, "
            f"got {spec.get('uncertainty')!r}"
        )
    if "severity_weights" in spec:
        problems += _severity_weight_problems(iid, spec["severity_weights"])
    if "applies_to" in spec:
        try:
            country_set(spec["applies_to"])
        except CountrySetError as exc:
            problems.append(f"indicator {iid}: applies_to: {exc}")
    alt = spec.get("alternative_of")
    indicators = method["indicators"]
    if alt is not None and (alt not in indicators or indicators[alt].get("alternative_of")):
        problems.append(f"indicator {iid}: alternative_of must name a primary indicator")
    return problems


def method_problems(method: Mapping) -> list[str]:
    """Return what is wrong with a parsed method file (empty when it is consistent).

    Parameters
    ----------
    method : Mapping
        Parsed ``composite.yaml``.

    Returns
    -------
    list of str
    """
    problems = [f"missing top-level key {key!r}" for key in REQUIRED_KEYS if key not in method]
    if problems:
        return problems
    for iid, spec in method["indicators"].items():
        problems += _indicator_problems(iid, spec, method)
    for name in method["dimensions"]:
        if not any(
            s["dimension"] == name and not s.get("alternative_of")
            for s in method["indicators"].values()
        ):
            problems.append(f"dimension {name}: no indicator")
    classes = method["classes"]
    bands = list(classes.get("bands") or [])
    if len(classes["labels"]) != len(bands) + 1:
        problems.append("classes: labels must be one more than bands")
    if bands != sorted(bands) or len(set(bands)) != len(bands):
        problems.append("classes: bands must increase")
    for name, choice in method["monte_carlo"]["choices"].items():
        if "options" in choice and len(choice["options"]) != len(choice["probabilities"]):
            problems.append(f"monte_carlo choice {name}: options and probabilities differ")
    return problems


def calibration_problems(calibration: Mapping, method: Mapping) -> list[str]:
    """Return what is wrong with a calibration for a method (empty when it fits).

    Parameters
    ----------
    calibration : Mapping
        Parsed ``composite_calibration.yaml`` (``reference_year``, ``indicators``,
        ``class_thresholds``).
    method : Mapping
        The method it calibrates.

    Returns
    -------
    list of str
    """
    problems = []
    missing = set(method["indicators"]) - set(calibration.get("indicators", {}))
    if missing:
        problems.append(f"calibration: no goalposts for {sorted(missing)}")
    return problems


@dataclass(frozen=True)
class CompositeMethod(Mapping):
    """The method file and its calibration: a read-only mapping of the method's top level.

    Attributes
    ----------
    file : MethodFile
        ``composite.yaml`` (frozen; its ``sha256`` and ``path``).
    calibration : Mapping or None
        The calibration (frozen), or None before the first calibration.
    calibration_sha256 : str or None
        sha256 of the calibration file's bytes; for a calibration given in memory
        (:meth:`with_calibration`), of its JSON text (sorted keys).
    """

    file: MethodFile
    calibration: Mapping[str, Any] | None = field(default=None, repr=False)
    calibration_sha256: str | None = None

    def __getitem__(self, key: str) -> Any:
        return self.file[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.file)

    def __len__(self) -> int:
        return len(self.file)

    @property
    def path(self) -> Path:
        """The method file."""
        return self.file.path

    @property
    def calibration_path(self) -> Path:
        """Where the method's calibration file is (whether it exists yet or not)."""
        return calibration_path(self.file.path)

    @property
    def config_sha256(self) -> str:
        """Digest of the method and its calibration (module docstring)."""
        return config_sha256(self.file.sha256, self.calibration_sha256)

    def calibrated(self) -> Mapping[str, Any]:
        """Return the calibration (:class:`MethodError` when there is none)."""
        if self.calibration is None:
            raise MethodError(
                f"{self.calibration_path}: no calibration; run `osa-briefs methods calibrate`"
            )
        return self.calibration

    @property
    def goalposts(self) -> Mapping[str, Mapping[str, Any]]:
        """Indicator id -> calibrated goalposts (``lo``, ``hi``, ``mean``, ``sd``...)."""
        return self.calibrated()["indicators"]

    @property
    def class_thresholds(self) -> tuple[float, ...]:
        """The class edges (``classes.bands``: INFORM's fixed edges), lowest first."""
        return tuple(float(t) for t in self.file["classes"]["bands"])

    def with_calibration(self, calibration: Mapping[str, Any]) -> CompositeMethod:
        """Return the same method with another calibration (e.g. one being computed)."""
        text = json.dumps(thaw(calibration), sort_keys=True)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return dataclasses.replace(self, calibration=freeze(calibration), calibration_sha256=sha)


def load_method(path: str | Path | None = None, *, calibrated: bool = True) -> CompositeMethod:
    """Read and check the composite's method file and, beside it, its calibration.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file in the layout of ``data/risk/composite.yaml`` (the default); its
        calibration is read from :func:`calibration_path` when that file exists.
    calibrated : bool
        False ignores the calibration file (to compute a new one).

    Returns
    -------
    CompositeMethod

    Raises
    ------
    MethodError
        When either file is inconsistent (:func:`method_problems`,
        :func:`calibration_problems`); the message names the file.
    """
    file = load_method_file(CONFIG_FILE if path is None else path, problems=method_problems)
    cal_path = calibration_path(file.path)
    if not calibrated or not cal_path.exists():
        return CompositeMethod(file)
    calibration = load_method_file(cal_path)
    problems = calibration_problems(calibration, file)
    if problems:
        raise MethodError(f"{cal_path}: " + "; ".join(problems))
    return CompositeMethod(file, calibration.data, calibration.sha256)


def read_calibration(method: CompositeMethod) -> Mapping[str, Any] | None:
    """Return the calibration file stored beside a method, unchecked (None when absent)."""
    path = method.calibration_path
    return load_method_file(path).data if path.exists() else None


def primary_indicators(method: Mapping) -> list[str]:
    """Return the indicators of the nominal composite (not Monte Carlo alternatives), in order."""
    return [i for i, s in method["indicators"].items() if not s.get("alternative_of")]


def dimension_names(method: Mapping) -> list[str]:
    """Dimension keys in the method file's order."""
    return list(method["dimensions"])


def dimension_index(method: Mapping, indicators: list[str]) -> np.ndarray:
    """Return the index (in :func:`dimension_names`) of each indicator's dimension."""
    dims = dimension_names(method)
    return np.array([dims.index(method["indicators"][i]["dimension"]) for i in indicators])


def nominal_weights(method: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """Nominal weights of the primary indicators (within dimension) and of the dimensions.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Indicator weights normalised to sum 1 inside each dimension (order of
        :func:`primary_indicators`) and dimension weights normalised to sum 1.
    """
    slots = primary_indicators(method)
    dims = dimension_names(method)
    raw = np.array([float(method["indicators"][i].get("weight", 1.0)) for i in slots])
    dim_of = dimension_index(method, slots)
    w_ind = raw.copy()
    for d in range(len(dims)):
        w_ind[dim_of == d] /= raw[dim_of == d].sum()
    w_dim = np.array([float(method["dimensions"][d].get("weight", 1.0)) for d in dims])
    return w_ind, w_dim / w_dim.sum()


def effective_weights(method: Mapping) -> np.ndarray:
    """Nominal weight of each primary indicator in the composite (summing to 1)."""
    w_ind, w_dim = nominal_weights(method)
    return w_ind * w_dim[dimension_index(method, primary_indicators(method))]


def variant_choice(method: Mapping) -> tuple[str, Mapping[str, Any]] | None:
    """Return the Monte Carlo choice between indicator variants (name, settings), if any."""
    for name, choice in method["monte_carlo"]["choices"].items():
        if "indicator" in choice:
            return name, choice
    return None


def monte_carlo_settings(
    method: Mapping, mc_draws: int | None = None, seed: int | None = None
) -> tuple[int, int]:
    """Return the draws and seed of a run (the method file's defaults where not given)."""
    mcfg = method["monte_carlo"]
    draws = int(mc_draws if mc_draws is not None else mcfg["default_draws"])
    return draws, int(seed if seed is not None else mcfg["seed"])
