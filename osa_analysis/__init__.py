"""Security-risk analysis for recipients of Japan's Official Security Assistance (OSA).

Data flow one way through six layers (an import-linter contract in ``pyproject.toml``
enforces it):

``core``
    Paths, files, dates, geodesy, statistics, solar position, validation, country codes,
    provenance. No project data.
``sources``
    The source registry, sha256-checked fetching, the derived-data cache, one loader per
    source and the curated tables (OSA projects, recipients), method files.
``harmonise``
    Tables built across sources: the incident table (classification, deduplication, EEZ
    attribution), the cyclone fix table.
``analyse``
    Pure functions ``(scope, tables) -> result``: nothing is plotted or written.
``brief``
    One module per brief section: calls an analysis, formats text, tables, figures and the
    values written to ``summary.json``.
``build``
    Parameters, running notebooks, rendering, publishing, the index and the command line.

Importing the package has no side effects.
"""

from osa_analysis.core.provenance import __version__

__all__ = ["__version__"]
