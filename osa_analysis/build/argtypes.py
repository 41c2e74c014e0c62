"""Argument types of the command line: a bad value is refused by argparse (exit 2, one line)."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """Parse an integer of at least 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: give 1 or more")
    return value


def positive_seconds(text: str) -> float:
    """Parse a time limit in seconds above 0 (``--cell-timeout``, ``--run-timeout``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text} is not allowed: give a limit above 0 seconds (there is no 'no limit')"
        )
    return value
