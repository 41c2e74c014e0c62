"""Curated country sets (data/countries/<name>.csv): read, and refused with file and row."""

from __future__ import annotations

import pytest

from osa_analysis.core import countries


def test_south_china_sea_littoral_states_each_with_a_source():
    assert countries.country_set("south_china_sea_littoral") == frozenset(
        {"CHN", "TWN", "PHL", "VNM", "MYS", "BRN", "IDN"}
    )


def test_a_bad_country_set_names_its_file_and_row(tmp_path, monkeypatch):
    monkeypatch.setattr(countries, "COUNTRY_TABLES", tmp_path)
    countries.country_set.cache_clear()
    (tmp_path / "bad.csv").write_text("iso3,name,source_url\nXXQ,Nowhere,https://a.example\n")
    with pytest.raises(countries.CountrySetError, match=r"bad\.csv, row 2: 'XXQ' is not an ISO3"):
        countries.country_set("bad")
    (tmp_path / "nourl.csv").write_text("iso3,name,source_url\nPHL,Philippines,\n")
    with pytest.raises(countries.CountrySetError, match=r"nourl\.csv, row 2: no source URL"):
        countries.country_set("nourl")
    with pytest.raises(countries.CountrySetError, match=r"absent\.csv: no such country set"):
        countries.country_set("absent")
    countries.country_set.cache_clear()
