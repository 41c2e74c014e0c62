"""Integration tests of the indicator loaders on the real files (MANIFEST §3 facts)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning
from osa_analysis.sources.loaders import indicators as ind
from osa_analysis.sources.loaders import sipri, wdi_metadata

pytestmark = pytest.mark.mirror


@pytest.fixture(autouse=True)
def _no_unmapped_code_warnings():
    """Every real code maps, or is a documented aggregate / historical unit."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)
        yield


@pytest.fixture(scope="module")
def wgi(real_file):
    return ind.load_wgi(real_file("wgi"))


@pytest.fixture(scope="module")
def milex_share(real_file):
    return ind.load_wb_milex_share(real_file("wb_milex_share"))


def test_wgi_shape_and_coverage(wgi):
    assert len(wgi) == 32_100
    assert wgi["wb_code"].nunique() == 214
    years = sorted(wgi["year"].unique())
    assert years == [1996, 1998, 2000, *range(2002, 2024)]
    assert len(years) == 25
    assert wgi.groupby("wb_code").size().eq(6 * 25).all()
    assert wgi["estimate"].min() == pytest.approx(-3.31)  # SOM pv 2009
    assert wgi["estimate"].max() == pytest.approx(2.47)  # SGP ge 2008
    assert wgi.index.equals(pd.RangeIndex(32_100))


def test_wgi_missing_values_are_whole_rows(wgi):
    value_cols = [
        "estimate",
        "std_error",
        "n_sources",
        "pct_rank",
        "pct_rank_lower",
        "pct_rank_upper",
    ]
    missing = wgi["estimate"].isna()
    assert missing.sum() == 1_126
    # ".." always blanks all six value columns together (economy-years without sources)
    assert wgi[value_cols].isna().eq(missing, axis=0).all().all()
    # most are small territories and early years, e.g. Niue and the Cook Islands
    by_code = wgi[missing].groupby("wb_code").size()
    assert by_code["NIU"] == 105 and by_code["COK"] == 91
    assert wgi[missing].groupby("year").size()[1996] == 138
    assert (wgi["n_sources"].dropna() >= 1).all()


def test_wgi_legacy_codes_map_to_iso3(wgi):
    tls = wgi[wgi["country_iso3"] == "TLS"]
    assert len(tls) == 150
    assert set(tls["wb_code"]) == {"TMP"}
    codes = wgi.drop_duplicates("wb_code").set_index("wb_code")["country_iso3"]
    assert codes[["ADO", "ROM", "ZAR", "KSV", "WBG"]].tolist() == [
        "AND",
        "ROU",
        "COD",
        "XKX",
        "PSE",
    ]
    assert pd.isna(codes["ANT"])  # Netherlands Antilles, dissolved 2010
    assert wgi["country_iso3"].isna().sum() == 150
    assert "TWN" in set(wgi["country_iso3"])


def test_wgi_philippines_2023(wgi):
    phl = wgi[(wgi["country_iso3"] == "PHL") & (wgi["year"] == 2023)].set_index("indicator")
    assert phl.loc["pv", "estimate"] == pytest.approx(-0.57)
    assert phl.loc["pv", "std_error"] == pytest.approx(0.22)
    assert phl.loc["pv", "n_sources"] == 8
    assert phl.loc["pv", "pct_rank"] == pytest.approx(23.7)
    assert phl.loc["rl", "estimate"] == pytest.approx(-0.42)
    assert phl.loc["cc", "estimate"] == pytest.approx(-0.54)
    band = ind.wgi_interval(phl)
    assert band.loc["pv", "estimate_low"] == pytest.approx(-0.57 - 1.645 * 0.22)


def test_wb_population(real_file):
    df = ind.load_wb_population(real_file("wb_population"))
    assert len(df) == 17_195
    assert df["wb_code"].nunique() == 265
    assert (df["year"].min(), df["year"].max()) == (1960, 2024)
    assert df.loc[df["is_aggregate"], "wb_code"].nunique() == 48
    assert df.loc[df["is_aggregate"], "country_iso3"].isna().all()
    phl = df[(df["country_iso3"] == "PHL") & (df["year"] == 2024)]
    assert phl["population"].item() == 115_843_670
    assert "XKX" in set(df["country_iso3"]) and "TWN" not in set(df["country_iso3"])
    assert pd.isna(df.loc[df["wb_code"] == "CHI", "country_iso3"]).all()


def test_wb_gdp(real_file):
    df = ind.load_wb_gdp(real_file("wb_gdp"))
    assert len(df) == 13_979
    assert df["wb_code"].nunique() == 262
    assert (df["year"].min(), df["year"].max()) == (1960, 2023)
    phl = df[(df["country_iso3"] == "PHL") & (df["year"] == 2023)]
    assert phl["gdp_usd"].item() == pytest.approx(437_146_372_729.94244)


def test_wb_milex_share(milex_share):
    df = milex_share
    assert df.attrs["last_updated"] == "2026-02-24"
    assert df["wb_code"].nunique() == 266
    assert (df["year"].min(), df["year"].max()) == (1960, 2025)
    assert len(df) == 266 * 66
    per_year = df.groupby("year")["milex_share_gdp_pct"].count()
    assert per_year[2024] == 193
    assert per_year[2025] == 0
    phl = df[df["country_iso3"] == "PHL"].set_index("year")["milex_share_gdp_pct"]
    assert phl[2024] == pytest.approx(1.32426895346612)
    assert phl[2023] == pytest.approx(1.17630268153778)
    # aggregates: the 48 empty-Region codes plus INX "Not classified"
    assert set(df.loc[df["is_aggregate"], "wb_code"]) == ind.WB_AGGREGATE_CODES


def test_wb_milex_usd(real_file):
    df = ind.load_wb_milex_usd(real_file("wb_milex_usd"))
    assert df.attrs["last_updated"] == "2024-03-28"
    assert df["wb_code"].nunique() == 266
    assert (df["year"].min(), df["year"].max()) == (1960, 2023)
    per_year = df.groupby("year")["milex_usd"].count()
    assert per_year[2023] == 0
    assert per_year[2022] == 197
    # the 229 cells stored as 0 are returned as NA (no data), e.g. all of Costa Rica
    assert not (df["milex_usd"] == 0).any()
    assert df["milex_usd"].notna().sum() == 10_042
    assert df.loc[df["wb_code"] == "CRI", "milex_usd"].isna().all()
    phl = df[df["country_iso3"] == "PHL"].set_index("year")["milex_usd"]
    assert phl[2022] == pytest.approx(3_965_410_228.63012)


def test_wb_country_metadata_defines_the_aggregates(real_file, milex_share):
    for which, source_id in [
        ("share", "wb_milex_share_meta_country"),
        ("usd", "wb_milex_usd_meta_country"),
    ]:
        meta = wdi_metadata.load_wb_country_metadata(real_file(source_id))
        assert len(meta) == 265
        aggregates = set(meta.loc[meta["is_aggregate"], "wb_code"])
        assert aggregates == ind.WB_AGGREGATE_CODES - {"INX"}, which
        assert meta.set_index("wb_code").loc["PHL", "region"] == "East Asia & Pacific"
        assert meta["special_notes"].str.contains("\n").sum() == {"share": 5, "usd": 8}[which]
    # INX is in the data file but not in the metadata
    assert "INX" in set(milex_share["wb_code"])


def test_wb_indicator_metadata(real_file):
    meta = wdi_metadata.load_wb_indicator_metadata(real_file("wb_milex_share_meta_indicator"))
    assert len(meta) == 1
    row = meta.iloc[0]
    assert row["indicator_code"] == "MS.MIL.XPND.GD.ZS"
    assert row["indicator_name"] == "Military expenditure (% of GDP)"
    assert row["source_organization"].startswith("SIPRI Military Expenditure Database")


def test_sipri_milex_share(real_file, milex_share):
    df = sipri.load_sipri_milex_share(real_file("sipri_milex_share"))
    assert len(df) == 8_245
    assert df["entity"].nunique() == 166
    assert (df["year"].min(), df["year"].max()) == (1949, 2024)
    taiwan = df[df["country_iso3"] == "TWN"]
    assert (taiwan["year"].min(), taiwan["year"].max()) == (1976, 2024)
    assert set(df.loc[df["entity"] == "Kosovo", "country_iso3"]) == {"XKX"}
    assert df["country_iso3"].isna().sum() == 3  # European Union (SIPRI)
    phl = df[df["country_iso3"] == "PHL"].set_index("year")["milex_share_gdp_pct"]
    assert phl[2024] == pytest.approx(1.3242689)
    # the WB series is SIPRI's: the Philippines 2024 agrees to the OWID export's precision
    wb = milex_share[milex_share["country_iso3"] == "PHL"].set_index("year")
    assert wb.loc[2024, "milex_share_gdp_pct"] == pytest.approx(phl[2024], abs=1e-6)
