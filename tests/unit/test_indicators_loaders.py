"""Unit tests of the country indicator loaders on tiny hand-written synthetic fixtures."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources.loaders import indicators as ind
from osa_analysis.sources.loaders import sipri, wdi_metadata


@pytest.fixture
def fx(fixtures: Path) -> Path:
    return fixtures / "indicators"


@pytest.fixture(autouse=True)
def _no_unmapped_code_warnings():
    """Every fixture code is either mappable or a documented aggregate/historical unit."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnmappedCodeWarning)
        yield


# ---------------------------------------------------------------------------------------
# WGI
# ---------------------------------------------------------------------------------------


def test_wgi_fixture_has_the_registry_file_quirks(fx):
    data = (fx / "wgi_synthetic.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcodeindyr,")
    assert b"\r\n" in data and not data.endswith(b"\n")
    assert b",..," in data


def test_load_wgi_parses_bom_crlf_missing_and_legacy_codes(fx):
    df = ind.load_wgi(fx / "wgi_synthetic.csv")
    assert list(df.columns) == [
        "country_iso3",
        "wb_code",
        "country_name",
        "year",
        "indicator",
        "indicator_name",
        "estimate",
        "std_error",
        "n_sources",
        "pct_rank",
        "pct_rank_lower",
        "pct_rank_upper",
    ]
    assert list(df.index) == [0, 1, 2, 3, 4, 5]  # record numbers
    assert df["year"].dtype == "int64"
    assert df["n_sources"].dtype == "Int64"
    assert df["estimate"].dtype == "float64"
    # legacy WB codes: TMP -> TLS, ROM -> ROU, ADO -> AND; ANT (dissolved) -> NA
    assert df["wb_code"].tolist() == ["TMP", "ROM", "PHL", "ANT", "ADO", "KOR"]
    assert df["country_iso3"].tolist()[:3] == ["TLS", "ROU", "PHL"]
    assert pd.isna(df.loc[3, "country_iso3"])
    assert df.loc[4, "country_iso3"] == "AND"
    # quoted name with a comma; last line without newline is read in full
    assert df.loc[5, "country_name"] == "Korea, Rep."
    assert df.loc[5, "pct_rank_upper"] == pytest.approx(3.3)
    # exact values
    tls = df.loc[0]
    assert (tls["year"], tls["indicator"]) == (2022, "pv")
    assert tls["indicator_name"] == "Political Stability and Absence of Violence/Terrorism"
    assert tls["estimate"] == pytest.approx(0.41)
    assert tls["std_error"] == pytest.approx(0.25)
    assert tls["n_sources"] == 5
    assert (tls["pct_rank"], tls["pct_rank_lower"], tls["pct_rank_upper"]) == (61.3, 44.8, 75.5)
    assert df.loc[1, "indicator_name"] == "Rule of Law"
    # ".." -> NA in every value column (never 0)
    value_cols = ["estimate", "std_error", "n_sources", "pct_rank", "pct_rank_lower"]
    assert df.loc[3, value_cols].isna().all()
    assert "rounded" in df.attrs["precision"]


def test_load_wgi_missing_column_names_file_and_column(fx):
    path = fx / "wgi_missing_column.csv"
    with pytest.raises(DataFormatError, match="stddev") as err:
        ind.load_wgi(path)
    assert "wgi_missing_column.csv" in str(err.value)


def test_load_wgi_bad_values_name_record_and_column(fx):
    with pytest.raises(DataValidationError) as err:
        ind.load_wgi(fx / "wgi_bad_values.csv")
    failures = err.value.failures
    bad = set(zip(failures["record"], failures["column"], strict=True))
    assert (1, "estimate") in bad  # "abc"
    assert (2, "pct_rank") in bad  # 120 > 100
    assert "wgi_bad_values.csv" in str(err.value)
    assert "record 1, column 'estimate'" in str(err.value)
    assert "record 2, column 'pct_rank'" in str(err.value)


def _write_wgi_workbook(path: Path) -> None:
    """A synthetic workbook like wgidataset.xlsx: a cover sheet, then the table below titles."""
    header = list(ind.WGI_RAW_COLUMNS)
    header.insert(0, "codeindyr")
    rows = [
        [
            "TMPcc2023",
            "TMP",
            "Timor-Leste",
            2023,
            "cc",
            -0.123456789,
            0.2345678,
            7,
            41.5094,
            30.1,
            55.2,
        ],
        ["ZARva2023", "ZAR", "Congo, Dem. Rep.", 2023, "va", "..", "..", "..", "..", "..", ".."],
        ["KSVrq2022", "KSV", "Kosovo", 2022, "rq", 0.0, 0.31, 4, 50.0, 40.0, 60.0],
    ]
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"About": ["Synthetic WGI test workbook", "Not real data"]}).to_excel(
            writer, sheet_name="Cover", index=False
        )
        titles = pd.DataFrame([["Synthetic governance table"], [None]])
        titles.to_excel(writer, sheet_name="Data", index=False, header=False)
        pd.DataFrame(rows, columns=header).to_excel(
            writer, sheet_name="Data", index=False, startrow=2
        )


def test_load_wgi_accepts_official_workbook(tmp_path):
    path = tmp_path / "wgidataset.xlsx"
    _write_wgi_workbook(path)
    df = ind.load_wgi(path)
    assert len(df) == 3
    assert df["country_iso3"].tolist() == ["TLS", "COD", "XKX"]
    assert df.loc[0, "estimate"] == pytest.approx(-0.123456789)  # full precision kept
    assert df.loc[0, "pct_rank"] == pytest.approx(41.5094)
    assert df.loc[0, "n_sources"] == 7
    assert df.loc[1, ["estimate", "std_error", "n_sources", "pct_rank_upper"]].isna().all()
    assert df.loc[2, "estimate"] == 0.0  # a real zero stays zero
    assert df["year"].tolist() == [2023, 2023, 2022]
    assert df["year"].dtype == "int64"
    assert df.attrs["precision"].startswith("full")


def test_load_wgi_workbook_without_wgi_table_fails(tmp_path):
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"a": [1], "b": [2]}).to_excel(path, index=False)
    with pytest.raises(DataFormatError, match="codeindyr"):
        ind.load_wgi(path)


def test_wgi_interval_is_estimate_plus_minus_z_se(fx):
    df = ind.wgi_interval(ind.load_wgi(fx / "wgi_synthetic.csv"))
    assert df.loc[0, "estimate_low"] == pytest.approx(0.41 - 1.645 * 0.25)
    assert df.loc[0, "estimate_high"] == pytest.approx(0.41 + 1.645 * 0.25)
    assert pd.isna(df.loc[3, "estimate_low"]) and pd.isna(df.loc[3, "estimate_high"])
    wide = ind.wgi_interval(ind.load_wgi(fx / "wgi_synthetic.csv"), z=1.96)
    assert wide.loc[1, "estimate_high"] == pytest.approx(0.37 + 1.96 * 0.14)
    with pytest.raises(ValueError, match="positive"):
        ind.wgi_interval(df, z=0)


# ---------------------------------------------------------------------------------------
# World Bank population and GDP
# ---------------------------------------------------------------------------------------


def test_load_wb_population_long(fx):
    df = ind.load_wb_population(fx / "wb_population_long.csv")
    assert list(df.columns) == [
        "country_iso3",
        "wb_code",
        "is_aggregate",
        "country_name",
        "year",
        "population",
    ]
    assert list(df.index) == list(range(8))
    assert df["population"].dtype == "Int64"
    assert df["is_aggregate"].dtype == "bool"
    assert df.loc[1, "population"] == 100000002
    by_code = df.set_index("wb_code")
    assert by_code.loc["XKX", "country_iso3"] == "XKX"
    # CHI (Channel Islands) is an economy without ISO3; WLD and EAS are aggregates
    assert pd.isna(by_code.loc["CHI", "country_iso3"]) and not by_code.loc["CHI", "is_aggregate"]
    assert by_code.loc["WLD", "is_aggregate"] and pd.isna(by_code.loc["WLD", "country_iso3"])
    assert by_code.loc["EAS", "is_aggregate"]
    assert by_code.loc["KOR", "country_name"] == "Korea, Rep."
    assert df["is_aggregate"].sum() == 2
    assert df.attrs["last_updated"] is None


def test_load_wb_population_accepts_official_wide_layout(fx):
    df = ind.load_wb_population(fx / "wb_population_wide.csv")
    # empty cells are dropped, as in the long repackaging; index = economy's record number
    assert list(zip(df["wb_code"], df["year"], strict=True)) == [
        ("PHL", 2022),
        ("PHL", 2023),
        ("PHL", 2024),
        ("XKX", 2023),
        ("WLD", 2021),
        ("WLD", 2023),
    ]
    assert list(df.index) == [0, 0, 0, 1, 2, 2]
    assert df["population"].tolist() == [
        100000001,
        100000002,
        100000009,
        1700003,
        7900000000,
        8000000006,
    ]
    assert df["population"].dtype == "Int64"
    assert df.attrs["last_updated"] == "2030-01-15"
    # both layouts agree on the values they share
    long = ind.load_wb_population(fx / "wb_population_long.csv")
    keys = ["wb_code", "year"]
    merged = df.merge(long, on=keys, suffixes=("_wide", "_long"))
    assert len(merged) == 4
    assert (merged["population_wide"] == merged["population_long"]).all()


def test_load_wb_population_accepts_bulk_zip(fx, tmp_path):
    archive = tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2_1.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(fx / "wb_population_wide.csv", "API_SP.POP.TOTL_DS2_en_csv_v2_1.csv")
        zf.write(fx / "wb_meta_country.csv", "Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_1.csv")
    df = ind.load_wb_population(archive)
    assert len(df) == 6
    assert df.attrs["last_updated"] == "2030-01-15"
    meta = wdi_metadata.load_wb_country_metadata(archive)
    assert len(meta) == 5


def test_load_wb_gdp_long_no_final_newline(fx):
    assert not (fx / "wb_gdp_long.csv").read_bytes().endswith(b"\n")
    df = ind.load_wb_gdp(fx / "wb_gdp_long.csv")
    assert df["gdp_usd"].dtype == "float64"
    assert df["gdp_usd"].tolist() == [400000000000.5, 430000000000.25, 123.0, 1e14]
    # INX "Not classified" is an aggregate row, not an economy
    assert df.loc[2, "is_aggregate"] and pd.isna(df.loc[2, "country_iso3"])


def test_wb_population_missing_column(fx, tmp_path):
    path = tmp_path / "pop.csv"
    text = (fx / "wb_population_long.csv").read_text().replace("Value", "Amount")
    path.write_text(text)
    with pytest.raises(DataFormatError, match=r"pop\.csv.*'Value'"):
        ind.load_wb_population(path)


def test_wb_population_bad_value_names_record(fx, tmp_path):
    path = tmp_path / "pop.csv"
    text = (fx / "wb_population_long.csv").read_text().replace("1700003", "-5")
    path.write_text(text)
    with pytest.raises(DataValidationError, match=r"record 2, column 'population'"):
        ind.load_wb_population(path)


def test_wide_reader_keeps_preamble_date_and_drops_empty_trailing_column(fx):
    raw = ind._read_wdi_wide(fx / "wb_milex_share_wide.csv")
    assert raw.attrs["last_updated"] == "2030-01-15"
    assert list(raw.columns) == [
        "Country Name",
        "Country Code",
        "Indicator Name",
        "Indicator Code",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    assert raw["2025"].isna().all()
    assert list(raw.index) == list(range(6))


def test_wide_reader_rejects_file_without_header(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('\ufeff"Data Source","World Development Indicators",\n\n"Something","else",\n')
    with pytest.raises(DataFormatError, match="Country Name"):
        ind.load_wb_milex_share(path)


# ---------------------------------------------------------------------------------------
# World Bank military expenditure
# ---------------------------------------------------------------------------------------


def test_load_wb_milex_share_wide(fx):
    df = ind.load_wb_milex_share(fx / "wb_milex_share_wide.csv")
    assert list(df.columns) == [
        "country_iso3",
        "wb_code",
        "is_aggregate",
        "country_name",
        "year",
        "milex_share_gdp_pct",
    ]
    assert len(df) == 6 * 4  # every economy x year column, missing kept as NA
    assert df.attrs["last_updated"] == "2030-01-15"
    phl = df[df["wb_code"] == "PHL"]
    assert list(phl.index) == [0, 0, 0, 0]
    assert phl["year"].tolist() == [2022, 2023, 2024, 2025]
    assert phl["milex_share_gdp_pct"].tolist()[:3] == [1.25, 1.125, 1.5]
    assert df.loc[df["year"] == 2025, "milex_share_gdp_pct"].isna().all()
    by = df.set_index(["wb_code", "year"])
    assert by.loc[("TLS", 2024), "country_iso3"] == "TLS"
    assert pd.isna(by.loc[("TLS", 2023), "milex_share_gdp_pct"])
    assert by.loc[("WLD", 2023), "is_aggregate"] and by.loc[("INX", 2023), "is_aggregate"]
    assert not by.loc[("CHI", 2023), "is_aggregate"]
    assert pd.isna(by.loc[("CHI", 2023), "country_iso3"])
    assert pd.isna(by.loc[("CRI", 2022), "milex_share_gdp_pct"])  # 0 means no data
    assert df["milex_share_gdp_pct"].notna().sum() == 8


def test_load_wb_milex_usd_lf_and_zero_as_missing(fx):
    assert b"\r\n" not in (fx / "wb_milex_usd_wide.csv").read_bytes()
    df = ind.load_wb_milex_usd(fx / "wb_milex_usd_wide.csv")
    assert df.attrs["last_updated"] == "2029-12-31"
    assert len(df) == 9
    by = df.set_index(["wb_code", "year"])["milex_usd"]
    assert by[("PHL", 2021)] == 5000000000.5
    assert by[("EAS", 2022)] == 650000000000.0
    assert by.loc["CRI"].isna().all()  # stored as 0 -> NA
    assert df.loc[df["year"] == 2023, "milex_usd"].isna().all()


def test_load_wb_milex_share_rejects_other_indicator(fx):
    with pytest.raises(DataFormatError, match=r"MS\.MIL\.XPND\.CD"):
        ind.load_wb_milex_share(fx / "wb_milex_usd_wide.csv")


def test_load_wb_milex_share_bad_values_name_record_and_column(fx):
    with pytest.raises(DataValidationError) as err:
        ind.load_wb_milex_share(fx / "wb_milex_share_bad.csv")
    failures = err.value.failures
    bad = set(zip(failures["record"], failures["column"], strict=True))
    assert (0, "milex_share_gdp_pct") in bad  # "abc" in PHL's row
    assert "record 0, column 'milex_share_gdp_pct'" in str(err.value)


def test_load_wb_milex_share_negative_value_names_record(fx, tmp_path):
    path = tmp_path / "share.csv"
    text = (fx / "wb_milex_share_bad.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace('"abc"', '"1.0"'), encoding="utf-8-sig")
    with pytest.raises(DataValidationError, match=r"record 1, column 'milex_share_gdp_pct'"):
        ind.load_wb_milex_share(path)


def test_load_wb_milex_share_missing_column(fx, tmp_path):
    path = tmp_path / "share.csv"
    text = (fx / "wb_milex_share_wide.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace('"Country Code",', '"Code",', 1), encoding="utf-8-sig")
    with pytest.raises(DataFormatError, match=r"share\.csv.*'Country Code'"):
        ind.load_wb_milex_share(path)


def test_load_wb_country_metadata(fx):
    df = wdi_metadata.load_wb_country_metadata(fx / "wb_meta_country.csv")
    assert list(df.columns) == [
        "wb_code",
        "country_iso3",
        "is_aggregate",
        "country_name",
        "region",
        "income_group",
        "special_notes",
    ]
    assert list(df.index) == [0, 1, 2, 3, 4]  # records, although the note spans two lines
    assert df.loc[0, "special_notes"] == "Synthetic note line one.\nSynthetic note line two."
    assert df["is_aggregate"].tolist() == [False, True, False, False, False]
    assert pd.isna(df.loc[1, "country_iso3"]) and pd.isna(df.loc[1, "region"])
    assert pd.isna(df.loc[2, "country_iso3"])  # CHI
    assert pd.isna(df.loc[3, "income_group"])  # VEN unclassified
    assert df.loc[3, "country_name"] == "Venezuela, RB"
    assert df.loc[4, "region"] == "East Asia & Pacific"
    assert pd.isna(df.loc[2, "special_notes"])


def test_load_wb_country_metadata_checks_which():
    with pytest.raises(ValueError, match="which"):
        wdi_metadata.load_wb_country_metadata(which="gdp")


def test_load_wb_country_metadata_bad_income_group(fx, tmp_path):
    path = tmp_path / "meta.csv"
    text = (fx / "wb_meta_country.csv").read_text(encoding="utf-8-sig")
    path.write_text(text.replace('"High income"', '"Very high income"'), encoding="utf-8-sig")
    with pytest.raises(DataValidationError, match=r"record 2, column 'income_group'"):
        wdi_metadata.load_wb_country_metadata(path)


def test_load_wb_indicator_metadata(fx):
    df = wdi_metadata.load_wb_indicator_metadata(fx / "wb_meta_indicator.csv")
    assert df.to_dict("records") == [
        {
            "indicator_code": "MS.MIL.XPND.GD.ZS",
            "indicator_name": "Military expenditure (% of GDP)",
            "source_note": "Synthetic definition text.",
            "source_organization": "Synthetic Institute (TEST)",
        }
    ]


# ---------------------------------------------------------------------------------------
# SIPRI via OWID
# ---------------------------------------------------------------------------------------


def test_load_sipri_milex_share(fx):
    df = sipri.load_sipri_milex_share(fx / "sipri_owid.csv")
    assert list(df.columns) == [
        "country_iso3",
        "entity",
        "year",
        "milex_share_gdp_pct",
        "owid_region",
    ]
    assert list(df.index) == [0, 1, 2, 3, 4]
    assert df.loc[0, "country_iso3"] == "XKX"  # OWID_KOS
    assert df.loc[3, "country_iso3"] == "TWN"
    assert pd.isna(df.loc[4, "country_iso3"]) and pd.isna(df.loc[4, "owid_region"])  # EU
    assert df["milex_share_gdp_pct"].tolist() == [0.875, 1.125, 1.25, 2.5, 1.75]  # last line read
    assert df["year"].dtype == "int64"


def test_load_sipri_missing_column(fx, tmp_path):
    path = tmp_path / "sipri.csv"
    text = (fx / "sipri_owid.csv").read_text().replace("World region according to OWID", "Region")
    path.write_text(text)
    with pytest.raises(DataFormatError, match=r"sipri\.csv.*World region according to OWID"):
        sipri.load_sipri_milex_share(path)


def test_load_sipri_bad_value_names_record(fx, tmp_path):
    path = tmp_path / "sipri.csv"
    text = (fx / "sipri_owid.csv").read_text().replace("PHL,2024,1.25", "PHL,2024,n/a")
    path.write_text(text)
    with pytest.raises(DataValidationError, match=r"record 2, column 'milex_share_gdp_pct'"):
        sipri.load_sipri_milex_share(path)


def test_sipri_unknown_owid_code_warns(fx, tmp_path):
    path = tmp_path / "sipri.csv"
    text = (fx / "sipri_owid.csv").read_text().replace("OWID_KOS", "OWID_XYZ")
    path.write_text(text)
    with warnings.catch_warnings():
        warnings.simplefilter("default", UnmappedCodeWarning)
        with pytest.warns(UnmappedCodeWarning, match="OWID_XYZ"):
            df = sipri.load_sipri_milex_share(path)
    assert pd.isna(df.loc[0, "country_iso3"])
