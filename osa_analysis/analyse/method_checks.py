"""Checks of the brief's own methods against independent labels (shown in the annex).

Each check is computed once per process and date (:meth:`TableStore.shared`): it does not
depend on the country.

* :func:`severity_check`: the severity crosswalk against ReCAAP's own categories on the
  incidents that ReCAAP rated and another source described
  (:func:`osa_analysis.harmonise.classify.severity_agreement`).
* :func:`indicator_audit`: the composite's statistical audit (JRC/COIN handbook step):
  correlations of the indicators inside each dimension and a principal-component analysis.
* :func:`attribution_check`: the coastal-state attribution of incidents against the EEZ
  field of the IMB "Crime at Sea" dataset, overall and per OSA recipient.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from osa_analysis.analyse.composite import (
    dimension_names,
    global_run,
    load_method,
    primary_indicators,
)
from osa_analysis.analyse.composite.method import dimension_index, monte_carlo_settings
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


REDUNDANT_R = 0.9
"""Correlation above which two indicators of one dimension are flagged as redundant."""

MIN_PCA_COUNTRIES = 20
"""Fewest countries with every indicator of a block for its principal components."""


@dataclass(frozen=True)
class IndicatorAudit:
    """Correlations and principal components of the composite's indicators at ``as_of``.

    Attributes
    ----------
    correlations : list of dict
        Every pair inside a dimension: ``dimension``, ``a``, ``b``, ``r`` (Pearson, over the
        countries with both nominal 0–10 scores) and ``n``.
    pca : list of dict
        Per dimension with at least two indicators, and ``all``: ``n_countries`` (with every
        indicator), ``n_indicators``, ``pc1_share`` (share of the variance of the
        standardised scores on the first component) and ``loadings`` (indicator → loading);
        both None with fewer than :data:`MIN_PCA_COUNTRIES` such countries.
    redundant : list of dict
        The pairs with ``|r| >= REDUNDANT_R``.
    method_version : str
    """

    correlations: list[dict]
    pca: list[dict]
    redundant: list[dict]
    method_version: str

    def values(self) -> dict:
        """Return the audit as plain values (for ``summary.json``)."""
        return {
            "correlations": self.correlations,
            "pca": self.pca,
            "redundant": self.redundant,
            "redundant_r": REDUNDANT_R,
            "min_pca_countries": MIN_PCA_COUNTRIES,
            "method_version": self.method_version,
        }


def _pca(block: np.ndarray, names: list[str]) -> dict | None:
    complete = block[np.isfinite(block).all(1)]
    if len(complete) < MIN_PCA_COUNTRIES:
        return {
            "n_countries": len(complete),
            "n_indicators": len(names),
            "pc1_share": None,
            "loadings": None,
        }
    sd = complete.std(0)
    if (sd == 0).any():
        return None
    z = (complete - complete.mean(0)) / sd
    _, sing, vt = np.linalg.svd(z, full_matrices=False)
    share = sing**2 / (sing**2).sum()
    first = vt[0] * (1 if vt[0].sum() >= 0 else -1)
    return {
        "n_countries": len(complete),
        "n_indicators": len(names),
        "pc1_share": round(float(share[0]), 3),
        "loadings": {n: round(float(v), 3) for n, v in zip(names, first, strict=True)},
    }


def audit_from_scores(scores: np.ndarray, slots: list[str], dim_of: np.ndarray, dims: list[str]):
    """Correlations and PCA of nominal indicator scores ``(C, I)`` (NaN = missing)."""
    correlations, pca = [], []
    for d, dname in enumerate(dims):
        idx = np.flatnonzero(dim_of == d)
        for x, i in enumerate(idx):
            for j in idx[x + 1 :]:
                both = np.isfinite(scores[:, i]) & np.isfinite(scores[:, j])
                a, b = scores[both, i], scores[both, j]
                varies = both.sum() > 2 and a.std() > 0 and b.std() > 0
                r = float(np.corrcoef(a, b)[0, 1]) if varies else None
                correlations.append(
                    {
                        "dimension": dname,
                        "a": slots[i],
                        "b": slots[j],
                        "r": None if r is None else round(r, 3),
                        "n": int(both.sum()),
                    }
                )
        if len(idx) >= 2:
            found = _pca(scores[:, idx], [slots[i] for i in idx])
            if found:
                pca.append({"dimension": dname, **found})
    overall = _pca(scores, list(slots))
    if overall:
        pca.append({"dimension": "all", **overall})
    redundant = [c for c in correlations if c["r"] is not None and abs(c["r"]) >= REDUNDANT_R]
    return correlations, pca, redundant


def indicator_audit(tables: TableStore, mc_draws: int | None = None) -> IndicatorAudit:
    """Return the composite's audit at the store's date (every country of the data).

    Reads the nominal indicator scores of the build's global run (shared), so it costs no
    second Monte Carlo.
    """
    method = load_method()
    draws, seed = monte_carlo_settings(method, mc_draws)

    def build() -> IndicatorAudit:
        run = global_run(method, tables, draws, seed)
        slots = primary_indicators(method)
        correlations, pca, redundant = audit_from_scores(
            run.nominal["indicator_scores"],
            slots,
            dimension_index(method, slots),
            dimension_names(method),
        )
        return IndicatorAudit(correlations, pca, redundant, method["method_version"])

    return tables.shared(("indicator_audit", method.config_sha256, draws, seed), build)


ATTRIBUTION_TARGET = 0.95
"""Share of IMB reports whose coastal state the project's attribution must agree on."""
COUNT_TARGET = 0.10
"""Largest relative over- or under-count of a recipient's IMB reports (against IMB's field)."""


@dataclass(frozen=True)
class AttributionAgreement:
    """The project's coastal state of IMB reports against IMB's own ``eez_country``.

    Attributes
    ----------
    n : int
        IMB reports up to ``as_of`` with an ``eez_country``.
    agreement : float
        Share where the project's coastal state is the same (NaN when ``n`` is 0).
    by_country : list of dict
        For each country asked for: ``country_iso3``, ``project`` (reports the project
        attributes to it), ``imb`` (reports IMB puts in its EEZ), ``agree`` (both) and
        ``difference`` ((project − imb) / imb; None when IMB has none).
    """

    n: int
    agreement: float
    by_country: list[dict]

    def values(self) -> dict:
        """Return the check as plain values (for ``summary.json``)."""
        return {
            "n": self.n,
            "agreement": None if self.n == 0 else round(self.agreement, 4),
            "by_country": self.by_country,
            "target_agreement": ATTRIBUTION_TARGET,
            "target_count_difference": COUNT_TARGET,
        }


def attribution_agreement(reports, countries) -> AttributionAgreement:
    """Score the coastal-state attribution on IMB reports (pure; see :func:`attribution_check`)."""
    imb = reports[reports["source"].eq("imb_pirate_attacks").fillna(False).to_numpy(bool)]
    theirs = imb["source_country_iso3"].astype("string")
    imb = imb[theirs.notna().to_numpy()]
    theirs = theirs[theirs.notna()]
    ours = imb["coastal_state_iso3"].astype("string")
    same = (ours == theirs).fillna(False).to_numpy(bool)
    rows = []
    for iso3 in countries:
        project = int(ours.eq(iso3).fillna(False).sum())
        them = int(theirs.eq(iso3).sum())
        rows.append(
            {
                "country_iso3": iso3,
                "project": project,
                "imb": them,
                "agree": int((same & theirs.eq(iso3).to_numpy(bool)).sum()),
                "difference": None if them == 0 else round((project - them) / them, 4),
            }
        )
    return AttributionAgreement(
        n=len(imb), agreement=float(same.mean()) if len(imb) else float("nan"), by_country=rows
    )


def attribution_check(tables: TableStore, countries) -> AttributionAgreement:
    """Return the attribution agreement up to the store's date, for ``countries``."""
    countries = tuple(countries)
    return tables.shared(
        ("attribution_check", countries),
        lambda: attribution_agreement(tables.get("incident_reports"), countries),
    )
