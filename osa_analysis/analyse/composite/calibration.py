"""Calibration: goalposts and COIN log decisions set on the reference year.

The numbers the method sets on the data live in ``data/risk/composite_calibration.yaml``,
beside the method file, written by ``osa-briefs methods calibrate``
(:mod:`osa_analysis.build.methods_command`). This module only computes them
(:func:`calibrate`) and compares a stored calibration with a recomputation
(:func:`calibration_differences`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from osa_analysis.analyse.composite.method import CompositeMethod
from osa_analysis.analyse.composite.normalise import goalposts_for
from osa_analysis.analyse.composite.panel import indicator_panel
from osa_analysis.analyse.tables import TableStore
from osa_analysis.sources.methods import MethodError

SIGNIFICANT_DIGITS = 10
"""Digits the calibration stores of every number."""

REL_TOL = 1e-8
"""Relative tolerance of :func:`calibration_differences` (well above the stored digits)."""

ABS_TOL = 1e-12
"""Absolute tolerance of :func:`calibration_differences` (means of standardised scores that
are zero up to rounding, e.g. 8e-18, differ in every digit between machines)."""

ROUNDED_KEYS = ("skew", "kurtosis", "lo", "hi", "lo_raw", "hi_raw", "mean", "sd")
"""Numbers of an indicator's calibration stored to :data:`SIGNIFICANT_DIGITS` digits."""


def round_significant(value: float) -> float:
    """Round to :data:`SIGNIFICANT_DIGITS` significant digits (the stored precision)."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def goalposts_from_data(
    panel: pd.DataFrame, method: Mapping[str, Any], reference_year: int | None = None
) -> dict:
    """Compute every indicator's goalposts from the panel's values of the reference year.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`~osa_analysis.analyse.composite.panel.indicator_panel` output.
    method : Mapping
        The composite's method.
    reference_year : int, optional
        Default: the method file's ``reference_year``.

    Returns
    -------
    dict
        Indicator id → :func:`~osa_analysis.analyse.composite.normalise.goalposts_for`
        output, over every country with a value for exactly that year (window indicators:
        the window ending in it).
    """
    year = int(reference_year if reference_year is not None else method["reference_year"])
    out = {}
    for iid in method["indicators"]:
        sub = panel[panel["indicator"].eq(iid).fillna(False).to_numpy()]
        vals = sub.loc[sub["year"].eq(year).fillna(False).to_numpy(), "value"].dropna()
        if not len(vals):
            raise MethodError(f"{iid}: no value in the reference year {year}")
        out[iid] = goalposts_for(vals.to_numpy(), method, year)
    return out


def _stored_goalposts(goalposts: Mapping[str, Any]) -> dict:
    """Return one indicator's calibration as stored (rounded, in the file's key order)."""
    rounded = {key: round_significant(goalposts[key]) for key in ROUNDED_KEYS}
    return {
        "n": int(goalposts["n"]),
        "skew": rounded["skew"],
        "kurtosis": rounded["kurtosis"],
        "log_transform": bool(goalposts["log_transform"]),
        **{key: rounded[key] for key in ("lo", "hi", "lo_raw", "hi_raw", "mean", "sd")},
    }


def calibrate(method: CompositeMethod, tables: TableStore) -> dict:
    """Recompute the calibration (goalposts and COIN decisions) from the data.

    Parameters
    ----------
    method : CompositeMethod
        The method to calibrate (its own calibration, if any, is not used).
    tables : TableStore
        The data (full tables: the panel sets its own windows).

    Returns
    -------
    dict
        ``reference_year``, ``indicators`` (id → ``n``, ``skew``, ``kurtosis``,
        ``log_transform``, ``lo``, ``hi``, ``lo_raw``, ``hi_raw``, ``mean``, ``sd``), numbers
        to :data:`SIGNIFICANT_DIGITS` significant digits. (The class edges are fixed in the
        method file, ``classes.bands``: nothing to calibrate.)
    """
    year = int(method["reference_year"])
    panel = indicator_panel(method, tables)
    goalposts = goalposts_from_data(panel, method, year)
    block: dict[str, Any] = {
        "reference_year": year,
        "indicators": {iid: _stored_goalposts(g) for iid, g in goalposts.items()},
    }
    return block


def _differences(stored: Any, computed: Any, path: str, out: list[str]) -> None:
    if isinstance(stored, Mapping) and isinstance(computed, Mapping):
        for key in [*computed, *(k for k in stored if k not in computed)]:
            where = f"{path}.{key}" if path else str(key)
            if key not in stored:
                out.append(f"{where}: not in the file")
            elif key not in computed:
                out.append(f"{where}: in the file but no longer computed")
            else:
                _differences(stored[key], computed[key], where, out)
    elif isinstance(stored, list | tuple) and isinstance(computed, list | tuple):
        if len(stored) != len(computed):
            out.append(f"{path}: {len(stored)} values in the file, {len(computed)} computed")
            return
        for i, (a, b) in enumerate(zip(stored, computed, strict=True)):
            _differences(a, b, f"{path}[{i}]", out)
    elif isinstance(stored, bool) or isinstance(computed, bool):
        if stored is not computed:
            out.append(f"{path}: {stored!r} in the file, {computed!r} computed")
    elif isinstance(stored, int | float) and isinstance(computed, int | float):
        if not math.isclose(stored, computed, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            out.append(f"{path}: {stored!r} in the file, {computed!r} computed")
    elif stored != computed:
        out.append(f"{path}: {stored!r} in the file, {computed!r} computed")


def calibration_differences(stored: Mapping[str, Any] | None, computed: Mapping) -> list[str]:
    """List where a stored calibration differs from a recomputation (empty: up to date).

    Numbers are equal within :data:`REL_TOL` or :data:`ABS_TOL`; booleans, integers and
    text exactly.

    Parameters
    ----------
    stored : Mapping or None
        The calibration file's document (None when there is no file).
    computed : Mapping
        :func:`calibrate` output.

    Returns
    -------
    list of str
        One line per difference, naming the value (e.g. ``indicators.wgi_pv.lo``).
    """
    if stored is None:
        return ["no calibration file"]
    out: list[str] = []
    _differences(stored, computed, "", out)
    return out
