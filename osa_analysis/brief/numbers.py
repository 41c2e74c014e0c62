"""Rounding and counting words of the brief's text, in one place.

Rules (the brief states no more precision than its uncertainty carries):

- a probability is shown in percent with two significant figures, never more than one
  decimal (0.63 % → "0.6%", 2.08 % → "2.1%", 25.7 % → "26%"), and "<0.1%" below that;
- any other measured quantity keeps two or three significant figures (:func:`sig`), with
  thousands separators;
- a money amount is rounded to three significant figures and named in millions or
  billions (:func:`money`);
- a count takes the singular or plural of its noun (:func:`count`).

Each helper writes the current language's form (:mod:`osa_analysis.core.i18n`): Japanese
names money in 万 and 億 ("6,680万米ドル"), ranges with "〜", dates as "2026年8月9日" and counts
with a counter word ("3件").
"""

from __future__ import annotations

import datetime as dt
import math

from osa_analysis.core.i18n import _, language

_CURRENCY_JA = {"¥": "円", "US$": "米ドル", "$": "ドル"}


def _na(missing: str | None) -> str:
    """Return the text of a missing value: ``missing``, or "n/a" in the current language."""
    return _("n/a") if missing is None else missing


def sig(value: float | int | None, figures: int = 2, missing: str | None = None) -> str:
    """Format a number to ``figures`` significant figures, with thousands separators.

    >>> sig(28.5766), sig(54.4686, 3), sig(1998447, 4), sig(0.0412)
    ('29', '54.5', '1,998,000', '0.041')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return _na(missing)
    if value == 0:
        return "0"
    digits = figures - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return f"{rounded:,.{max(digits, 0)}f}"


def pct(p: float | None, missing: str | None = None) -> str:
    """Format a probability (0-1) in percent: two significant figures, at most one decimal.

    >>> pct(0.006287), pct(0.020758), pct(0.256524), pct(0.0004), pct(1.0)
    ('0.6%', '2.1%', '26%', '<0.1%', '100%')
    """
    if p is None or not math.isfinite(p):
        return _na(missing)
    value = 100 * p
    if value == 0:
        return "0%"
    if value < 0.05:
        return "<0.1%"
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"


def pct_range(low: float | None, high: float | None, missing: str | None = None) -> str:
    """Format a probability interval in percent by :func:`pct`'s rule: ``"1.2–6.7%"``."""
    if low is None or high is None:
        return _na(missing)
    dash = "〜" if language() == "ja" else "–"
    return f"{pct(low)[:-1]}{dash}{pct(high)}"


def money(amount: float | None, currency: str = "¥", missing: str | None = None) -> str:
    """Format a money amount in millions or billions, three significant figures.

    >>> money(66810540, "US$"), money(2_000_000_000), money(750_000)
    ('US$66.8 million', '¥2.00 billion', '¥0.750 million')
    """
    if amount is None or (isinstance(amount, float) and not math.isfinite(amount)):
        return _na(missing)
    if language() == "ja":  # 万 (1e4) and 億 (1e8): money(66810540, "US$") -> "6,680万米ドル"
        unit = _CURRENCY_JA.get(currency, currency)
        big = abs(amount) >= 1e8
        text = sig(amount / (1e8 if big else 1e4), 3)
        if "." in text:  # Japanese writes 31億円, not 31.0億円
            text = text.rstrip("0").rstrip(".")
        return f"{text}{'億' if big else '万'}{unit}"
    if abs(amount) >= 1e9:
        return f"{currency}{sig(amount / 1e9, 3)} billion"
    return f"{currency}{sig(amount / 1e6, 3)} million"


def count(n: int, noun: str, plural: str | None = None, counter: str = "件") -> str:
    """Format a count with its noun in the singular or plural.

    >>> count(1, "coup attempt"), count(0, "piracy incident"), count(3, "storm")
    ('1 coup attempt', 'no piracy incidents', '3 storms')
    """
    if language() == "ja":  # the caller passes the translated noun: "海賊事案3件", "海賊事案なし"
        return f"{noun}なし" if n == 0 else f"{noun}{n:,}{counter}"
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"no {word}" if n == 0 else f"{n:,} {word}"


def date_text(value: object, missing: str | None = None) -> str:
    """Format a date: ISO in English ("2026-08-09"), "2026年8月9日" in Japanese.

    Accepts a ``date``, ``datetime``, ``pandas.Timestamp`` or ISO string; ``missing`` for
    ``None``/NaT.
    """
    if value is None or value != value:  # None, NaN, NaT
        return _na(missing)
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    day = value.date() if isinstance(value, dt.datetime) else value
    if language() == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def range_text(low: str, high: str) -> str:
    """Join two formatted bounds: "29 to 54" in English, "29〜54" in Japanese."""
    return _("{low} to {high}").format(low=low, high=high)
