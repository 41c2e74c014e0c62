"""Checks of the brief's own methods against independent labels (shown in the annex).

Each check is computed once per process and date (:meth:`TableStore.shared`): it does not
depend on the country.

* :func:`severity_check`: the severity crosswalk against ReCAAP's own categories on the
  incidents that ReCAAP rated and another source described
  (:func:`osa_analysis.harmonise.classify.severity_agreement`).
"""

from __future__ import annotations

from osa_analysis.analyse.tables import TableStore
from osa_analysis.harmonise.classify import (
    CLASSIFIER_VERSION,
    SeverityAgreement,
    severity_agreement,
)


def severity_check(tables: TableStore) -> SeverityAgreement:
    """Return the severity crosswalk's agreement with ReCAAP's labels up to ``as_of``.

    Parameters
    ----------
    tables : TableStore
        Its ``incident_reports`` (cut at its date) are scored.

    Returns
    -------
    SeverityAgreement
    """
    return tables.shared(
        ("severity_check", CLASSIFIER_VERSION),
        lambda: severity_agreement(tables.get("incident_reports")),
    )
