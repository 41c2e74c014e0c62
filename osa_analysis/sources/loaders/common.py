"""Shared contract of the incident loaders.

Every incident loader (ASAM, IMB, ReCAAP, the live feed, SCSDI) returns a tidy frame that
has at least :data:`INCIDENT_COLUMNS`, so
:func:`osa_analysis.harmonise.incidents.load_incidents` can stack them. Source-specific
columns may follow. The index is the record number in the file.
"""

from __future__ import annotations

import pandera.pandas as pa

POSITION_STATUSES = ("ok", "missing", "unparseable")

INCIDENT_COLUMNS: dict[str, pa.Column] = {
    # identity
    "source": pa.Column("string"),  # registry id of the file, e.g. "asam_msi_csv"
    "source_id": pa.Column(
        "string"
    ),  # the source's own record id (ASAM reference, IC-2024-099, ...)
    # when
    "date": pa.Column("datetime64[ns]", nullable=True),  # local calendar date of the incident
    "time_local": pa.Column("string", nullable=True),  # "HH:MM" local time where the source has it
    "utc_offset_h": pa.Column("float64", nullable=True),  # local time = UTC + offset, where known
    # where
    "latitude": pa.Column("float64", nullable=True),
    "longitude": pa.Column("float64", nullable=True),
    "position_status": pa.Column("string", pa.Check.isin(POSITION_STATUSES)),
    "position_precision_deg": pa.Column("float64", nullable=True),  # e.g. 1.0 whole degrees
    "source_country_iso3": pa.Column("string", nullable=True),  # the source's own attribution
    # what (the source's own labels, unchanged)
    "source_label": pa.Column("string", nullable=True),  # ASAM hostility, IMB attack_type, ...
    "source_severity": pa.Column("string", nullable=True),  # ReCAAP CAT1-4/Attempted where given
    "description": pa.Column("string", nullable=True),  # narrative text as published
    # the ship
    "vessel_name": pa.Column("string", nullable=True),
    "vessel_imo": pa.Column("string", nullable=True),
    "vessel_type_raw": pa.Column("string", nullable=True),
    "vessel_status_raw": pa.Column("string", nullable=True),
}
"""Columns every incident loader returns (pandera column specs; all strings are ``string``)."""
