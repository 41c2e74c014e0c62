"""Risk assessment of OSA recipients: structural composite, criteria and scenarios.

:mod:`osa_analysis.risk.composite` holds the INFORM-consistent structural security-risk
composite (method and calibration in ``data/risk/composite.yaml``).
"""
