"""Foundations with no project data.

Paths, files, dates, geodesy, statistics, solar position, validation errors and helpers,
country codes, provenance.
"""
