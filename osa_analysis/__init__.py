"""Security-risk analysis for recipients of Japan's Official Security Assistance (OSA).

The package loads every real source the project uses through a sha256-pinned registry
(:mod:`osa_analysis.sources`, :func:`osa_analysis.fetch.fetch`) and returns tidy, validated
tables (:mod:`osa_analysis.loaders`). Importing it has no side effects.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("osa_analysis")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
