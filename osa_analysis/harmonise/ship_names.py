"""Ship names as the incident sources write them: normalised, then matched despite typos.

Two reports of one event often spell the ship differently ("MV OCEAN STAR II", "OCEAN
STAR 2", "OCEN STAR 2"); :func:`osa_analysis.harmonise.incidents.candidate_links` links
them by these rules.
"""

from __future__ import annotations

import re

import pandas as pd

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7",
          "VIII": "8", "IX": "9", "X": "10"}  # fmt: skip


def _norm_ship(names: pd.Series) -> pd.Series:
    """Normalise ship names for matching.

    Upper case, no type prefix (MV, MT...), a closing Roman numeral as its number
    ("OCEAN STAR II" = "OCEAN STAR 2"), letters and digits only.
    """
    norm = (
        names.astype("string")
        .str.upper()
        .str.strip()
        .str.replace(r"^(?:MV|MT|M/V|M/T|SS|FV)\s+", "", regex=True)
        .str.replace(
            r"\s+(VIII|VII|VI|IV|IX|III|II|I|V|X)$",
            lambda m: " " + _ROMAN[m.group(1)],
            regex=True,
        )
        .str.replace(r"[^A-Z0-9]", "", regex=True)
    )
    return norm.mask(norm.isin(["", "NA", "UNKNOWN", "NONE"]))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two strings, or ``limit + 1`` as soon as it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def ships_match(a: str, b: str) -> bool:
    """Whether two normalised ship names are one ship's (:func:`_norm_ship` first).

    The same name, one inside the other ("OCEANSTAR" in "OCEANSTAR2"), or a typo in the
    letters: at most one edit for names under 10 characters, two from 10 on, with the same
    digits (names under 5 characters must be equal or nested).
    """
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    shorter = min(len(a), len(b))
    if shorter < 5 or re.sub(r"\D", "", a) != re.sub(r"\D", "", b):
        return False  # short names, or other numbers ("OCEAN STAR 1" and "2"): other ships
    limit = 1 if max(len(a), len(b)) < 10 else 2
    return edit_distance(a, b, limit) <= limit
