"""What the cyclone best-track loaders share: wind periods, value checks, file sniffing.

Conventions of every best-track table (:mod:`~osa_analysis.sources.loaders.ibtracs`,
:mod:`~osa_analysis.sources.loaders.jtwc`, :mod:`~osa_analysis.sources.loaders.imd`):

* **Times are UTC, timezone-naive** ``datetime64[ns]`` (every source reports UTC; naive
  timestamps keep parquet and numpy round trips cheap). Column names say so: ``time_utc``.
* Positions are ``latitude`` and ``longitude`` in degrees, longitude in −180…180.
* **Winds of different averaging periods are never pooled silently.** JTWC ``VMax`` and
  IBTrACS ``usa_wind`` are 1-minute means, IMD's winds 3-minute means, and IBTrACS
  ``wmo_wind`` uses the reporting agency's own period (see
  :data:`~osa_analysis.sources.loaders.ibtracs.WMO_AGENCY_WIND_AVG_PERIOD_MIN`). Every wind
  column comes with, or is documented with, its averaging period.
* Missing values are NA, never 0 or a sentinel (−999, −9999, 0 hPa ...).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from osa_analysis.core.validation import DataValidationError

WIND_AVG_PERIODS_MIN = (1, 3, 10)
"""Wind averaging periods (minutes) found in these sources."""

LAT = pa.Check.in_range(-90, 90)
LON = pa.Check.in_range(-180, 180)
WIND = pa.Check.in_range(0, 250)
PRES = pa.Check.in_range(850, 1050)


def wind_has_period(wind: str, period: str) -> pa.Check:
    """Return a check that every non-NA ``wind`` value has its averaging ``period``."""
    return pa.Check(
        lambda df: df[wind].isna() | df[period].notna(),
        element_wise=False,
        name=f"{wind}_has_{period}",
        error=f"a {wind} needs its averaging period {period}",
    )


def is_zip(path: Path) -> bool:
    """Return whether a file starts like a zip archive."""
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def is_parquet(path: Path) -> bool:
    """Return whether a file starts like a parquet file."""
    with open(path, "rb") as fh:
        return fh.read(4) == b"PAR1"


def check_failures(source: Path | str, mask: pd.Series, column: str, check: str, values):
    """Raise :class:`DataValidationError` for the records where ``mask`` is True."""
    if mask.any():
        failures = pd.DataFrame(
            {
                "record": mask.index[mask.to_numpy()].to_numpy(),
                "column": column,
                "check": check,
                "value": np.asarray(values)[mask.to_numpy()],
            }
        )
        raise DataValidationError(str(source), failures)


def wrap_lon(lon: np.ndarray) -> np.ndarray:
    """Bring longitudes into −180…180 (IBTrACS uses 0…360 east of the dateline)."""
    return np.where((lon > 180) | (lon < -180), (lon + 180) % 360 - 180, lon)
