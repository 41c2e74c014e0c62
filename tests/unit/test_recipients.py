"""Tests of the curated OSA recipient data and its API.

The curated files under ``data/recipients/`` are project data (not mirror data), so the facts
they hold are asserted directly; bad-input behaviour is tested on synthetic fixtures under
``tests/fixtures/recipients/``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from osa_analysis.core.countries import COUNTRY_TABLES, to_iso3
from osa_analysis.core.validation import DataFormatError, DataValidationError
from osa_analysis.sources import recipients as rc

REFERENCE_CSV = Path(__file__).parents[2].parent / "shared/reference/osa_projects.csv"
ALL_RECIPIENTS = [
    "BGD",
    "DJI",
    "FJI",
    "IDN",
    "LKA",
    "MNG",
    "MYS",
    "PHL",
    "PNG",
    "THA",
    "TLS",
    "TON",
]


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    return rc.load_osa_projects()


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return rc.load_recipient_countries()


@pytest.fixture
def fx(fixtures) -> Path:
    return fixtures / "recipients"


# --- curated project table -------------------------------------------------------------------


def test_projects_table_shape_and_dtypes(projects):
    assert len(projects) == 16
    assert list(projects.columns) == rc.PROJECT_COLUMNS
    assert list(projects.index) == list(range(16))
    assert projects["fiscal_year"].dtype == "int64"
    assert projects["amount_jpy"].dtype == "Int64"
    assert projects["signed_date"].dtype == "datetime64[ns]"
    assert projects["project_id"].is_unique
    assert projects.loc[0, "project_id"] == "OSA-FY2023-PHL-1"
    assert projects.groupby("fiscal_year").size().to_dict() == {2023: 4, 2024: 4, 2025: 8}


def test_fy2023_facts(projects):
    fy23 = projects[projects["fiscal_year"] == 2023].set_index("country_iso3")
    assert fy23["amount_jpy"].to_dict() == {
        "PHL": 600_000_000,
        "BGD": 575_000_000,
        "MYS": 400_000_000,
        "FJI": 400_000_000,
    }
    assert fy23["amount_jpy"].sum() == 1_975_000_000
    assert fy23.loc["PHL", "signed_date"] == pd.Timestamp("2023-11-03")
    assert fy23.loc["FJI", "signed_date"] == pd.Timestamp("2023-12-18")
    assert fy23.loc["PHL", "status"] == "delivered"
    assert fy23.loc["FJI", "status"] == "partly_delivered"
    assert fy23.loc["BGD", "verification"] == "CONFLICTING"
    assert fy23.loc["PHL", "equipment_categories"] == "radar"
    assert fy23.loc["BGD", "equipment_categories"] == "patrol_boat"


def test_unsigned_fy2025_candidates_have_no_amount_or_date(projects):
    tbd = projects[projects["country_iso3"].isin(["THA", "TLS"])]
    assert tbd["fiscal_year"].tolist() == [2025, 2025]
    assert tbd["amount_jpy"].isna().all()
    assert tbd["signed_date"].isna().all()
    assert (tbd["status"] == "designated_candidate").all()
    assert (tbd["verification"] == "REPORTED").all()
    # every other project is signed, with an amount
    others = projects.drop(tbd.index)
    assert others["amount_jpy"].notna().all() and others["signed_date"].notna().all()


def test_every_project_has_http_sources_and_known_vocabulary(projects):
    urls = projects["sources"].str.split(" | ", regex=False)
    assert urls.map(len).min() >= 1
    assert urls.explode().str.match(r"^https?://").all()
    cats = set(projects["equipment_categories"].str.split(";").explode())
    assert cats <= set(rc.EQUIPMENT_CATEGORIES)
    assert {"radar", "patrol_boat", "uav", "heavy_machinery", "infrastructure"} <= cats


@pytest.mark.skipif(not REFERENCE_CSV.exists(), reason="shared reference CSV not available")
def test_curated_projects_cover_exactly_the_reference_rows(projects):
    with open(REFERENCE_CSV, encoding="utf-8", newline="") as fh:
        reference = list(csv.DictReader(fh))

    def key(fy, iso3, amount, signed, sources):
        return (str(fy), iso3, str(amount), str(signed), sources)

    expected = sorted(
        key(
            r["fiscal_year"].removeprefix("FY"),
            r["iso3"],
            r["amount_jpy"] or "<NA>",
            r["signed_date"] or "NaT",
            r["sources"],
        )
        for r in reference
    )
    actual = sorted(
        key(
            r.fiscal_year,
            r.country_iso3,
            r.amount_jpy if pd.notna(r.amount_jpy) else "<NA>",
            r.signed_date.date().isoformat() if pd.notna(r.signed_date) else "NaT",
            r.sources,
        )
        for r in projects.itertuples()
    )
    assert actual == expected


@pytest.mark.skipif(not REFERENCE_CSV.exists(), reason="shared reference CSV not available")
def test_curated_text_is_verbatim_from_the_reference(projects):
    reference = pd.read_csv(REFERENCE_CSV, dtype=str, keep_default_na=False)
    ours = projects.astype({"fiscal_year": str})
    ours["fiscal_year"] = "FY" + ours["fiscal_year"]
    merged = ours.merge(
        reference,
        left_on=["fiscal_year", "country_iso3"],
        right_on=["fiscal_year", "iso3"],
        how="outer",
        validate="one_to_one",
        suffixes=("", "_ref"),
    )
    assert len(merged) == 16
    assert (merged["country_name"] == merged["country"]).all()
    assert (merged["recipient_org"] == merged["recipient_org_ref"]).all()
    assert (merged["equipment"] == merged["equipment_ref"]).all()
    assert (merged["status_detail"] == merged["status_ref"]).all()
    assert (merged["sources"] == merged["sources_ref"]).all()


# --- curated country table -------------------------------------------------------------------


def test_countries_table(countries):
    assert sorted(countries["country_iso3"]) == ALL_RECIPIENTS
    c = countries.set_index("country_iso3")
    assert c["gw_code"].to_dict() == {
        "PHL": 840, "MYS": 820, "BGD": 771, "FJI": 950, "IDN": 850, "MNG": 712,
        "DJI": 522, "LKA": 780, "PNG": 910, "TON": 972, "THA": 800, "TLS": 860,
    }  # fmt: skip
    assert c.loc["TON", "cow_code"] == 955
    assert (c["cow_code"].drop("TON") == c["gw_code"].drop("TON")).all()
    assert c.loc["BGD", "iso_numeric"] == "050"
    assert c.loc["TLS", "official_name"] == "Democratic Republic of Timor-Leste"
    assert c.loc["MYS", "official_name"] == "Malaysia"  # pycountry has no separate one
    assert c["recaap_contracting_party"].dtype == "boolean"
    assert c.loc["PHL", "recaap_contracting_party"] and c.loc["BGD", "recaap_contracting_party"]
    assert not c.loc["MYS", "recaap_contracting_party"]
    assert not c.loc["IDN", "recaap_contracting_party"]
    assert pd.isna(c.loc["LKA", "recaap_contracting_party"])  # not stated in the reference
    assert not c.loc["FJI", "in_recaap_area"]
    assert c.loc[["PHL", "IDN", "FJI"], "archipelagic_state"].all()
    assert c["vdem_covered"].dtype == bool
    assert c["vdem_covered"].sum() == 11 and not c.loc["TON", "vdem_covered"]
    assert all(peers == ["BGD", "FJI", "MYS", "PHL"] for peers in c["default_peers"])
    assert c.loc["PHL", "osa_fiscal_years"] == [2023, 2024, 2025]
    assert c.loc["MYS", "first_osa_fiscal_year"] == 2023
    assert c.loc["TLS", "first_osa_fiscal_year"] == 2025
    assert c.loc["DJI", "region"] == "East Africa"
    assert c.loc["TON", "region"] == "Pacific"


def test_every_null_fact_is_explained_in_notes(countries):
    for row in countries.itertuples():
        for fact in ("recaap_contracting_party", "in_recaap_area", "archipelagic_state"):
            if pd.isna(getattr(row, fact)):
                assert any(n.startswith(f"{fact}:") for n in row.notes), (row.country_iso3, fact)


def test_countries_agree_with_projects(countries, projects):
    rc.check_countries_match_projects(countries, projects)


@pytest.mark.skipif(
    not (COUNTRY_TABLES / "gleditsch_ward.csv").exists()
    or not (COUNTRY_TABLES / "correlates_of_war.csv").exists(),
    reason="curated GW/COW tables not written yet",
)
def test_gw_and_cow_codes_agree_with_the_country_tables(countries):
    gw = to_iso3(countries["gw_code"], "gw", source="countries.yaml")
    cow = to_iso3(countries["cow_code"], "cow", source="countries.yaml")
    assert gw.tolist() == countries["country_iso3"].tolist()
    assert cow.tolist() == countries["country_iso3"].tolist()


# --- API ---------------------------------------------------------------------------------------


def test_recipients_by_fiscal_year():
    assert rc.recipients(fiscal_year=2023) == ["BGD", "FJI", "MYS", "PHL"]
    assert rc.recipients(2024) == ["DJI", "IDN", "MNG", "PHL"]
    assert rc.recipients(2025) == ["IDN", "LKA", "MYS", "PHL", "PNG", "THA", "TLS", "TON"]
    assert rc.recipients(2025, first_only=True) == ["LKA", "PNG", "THA", "TLS", "TON"]
    assert rc.recipients(2024, first_only=True) == ["DJI", "IDN", "MNG"]
    assert rc.recipients() == ALL_RECIPIENTS
    assert rc.recipients(2022) == []


def test_recipient_metadata():
    ton = rc.recipient("TON")
    assert ton["country_name"] == "Tonga"
    assert ton["gw_code"] == 972 and type(ton["gw_code"]) is int
    assert ton["cow_code"] == 955
    assert ton["recaap_contracting_party"] is None
    assert ton["in_recaap_area"] is False
    assert ton["vdem_covered"] is False
    assert rc.recipient("phl")["country_iso3"] == "PHL"


def test_recipient_rejects_non_recipient_naming_valid_codes():
    with pytest.raises(ValueError, match="'VNM' is not an OSA recipient") as err:
        rc.recipient("VNM")
    assert "BGD, DJI, FJI" in str(err.value) and "TON" in str(err.value)


def test_osa_totals_by_fiscal_year():
    totals = rc.osa_totals().set_index("fiscal_year")
    assert list(totals.index) == [2023, 2024, 2025]
    assert totals.loc[2023, "announced_amount_jpy"] == 1_975_000_000
    assert totals.loc[2024, "announced_amount_jpy"] == 5_000_000_000
    assert totals.loc[2025, "announced_amount_jpy"] == 7_100_000_000
    assert totals["project_count"].tolist() == [4, 4, 8]
    assert totals["signed_project_count"].tolist() == [4, 4, 6]
    assert totals["unknown_amount_count"].tolist() == [0, 0, 2]
    assert totals["announced_amount_jpy"].dtype == "Int64"


def test_osa_totals_by_country_keeps_unknown_as_na():
    totals = rc.osa_totals(by="country").set_index("country_iso3")
    assert len(totals) == 12
    assert totals.loc["PHL", "announced_amount_jpy"] == 3_100_000_000  # 600 + 1600 + 900 m
    assert totals.loc["PHL", "project_count"] == 3
    assert totals.loc["MYS", "announced_amount_jpy"] == 3_500_000_000
    assert pd.isna(totals.loc["THA", "announced_amount_jpy"])  # never 0
    assert totals.loc["THA", "unknown_amount_count"] == 1
    assert totals.loc["TLS", "country_name"] == "Timor-Leste"


def test_osa_totals_rejects_unknown_grouping():
    with pytest.raises(ValueError, match="by must be"):
        rc.osa_totals(by="region")


# --- synthetic fixtures ----------------------------------------------------------------------


def test_synthetic_projects_parse(fx):
    df = rc.load_osa_projects(fx / "projects_valid.csv")
    assert df["amount_jpy"].tolist()[:2] == [123_000_000, 77_000_000]
    assert pd.isna(df.loc[2, "amount_jpy"]) and pd.isna(df.loc[2, "signed_date"])
    assert df.loc[1, "signed_date"] == pd.Timestamp("2023-12-01")
    totals = rc.osa_totals("country", projects=df).set_index("country_iso3")
    assert totals.loc["FJI"].to_dict() == {
        "country_name": "Fiji",
        "project_count": 2,
        "signed_project_count": 1,
        "announced_amount_jpy": 77_000_000,
        "unknown_amount_count": 1,
    }


def test_projects_missing_column(fx):
    path = fx / "projects_missing_column.csv"
    with pytest.raises(DataFormatError, match="amount_jpy") as err:
        rc.load_osa_projects(path)
    assert str(path) in str(err.value)


def _failures(err) -> set[tuple]:
    return set(zip(err.value.failures["record"], err.value.failures["column"], strict=True))


def test_projects_non_integer_amount(fx):
    path = fx / "projects_bad_amount.csv"
    with pytest.raises(DataValidationError) as err:
        rc.load_osa_projects(path)
    assert err.value.source == str(path)
    assert _failures(err) == {(1, "amount_jpy")}
    assert "record 1, column 'amount_jpy'" in str(err.value) and "77000000.5" in str(err.value)


def test_projects_bad_iso3(fx):
    path = fx / "projects_bad_iso3.csv"
    with pytest.raises(DataValidationError) as err:
        rc.load_osa_projects(path)
    assert str(path) in str(err.value)
    assert _failures(err) == {(2, "country_iso3")}
    assert "'XYZ'" in str(err.value)


def test_projects_without_source_url(fx):
    path = fx / "projects_no_source.csv"
    with pytest.raises(DataValidationError) as err:
        rc.load_osa_projects(path)
    assert str(path) in str(err.value)
    assert _failures(err) == {(1, "sources"), (2, "sources")}


def test_projects_cross_column_rules(fx, tmp_path):
    text = (fx / "projects_valid.csv").read_text(encoding="utf-8")
    # record 0: project_id names another country; record 2: a candidate with a signing date
    text = text.replace("OSA-FY2023-PHL-1", "OSA-FY2023-MYS-1").replace(
        ",,designated_candidate,", ",2024-06-01,designated_candidate,"
    )
    bad = tmp_path / "projects_cross.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        rc.load_osa_projects(bad)
    assert _failures(err) == {(0, "project_id"), (2, "status")}


def test_synthetic_countries_parse_and_match(fx):
    countries = rc.load_recipient_countries(fx / "countries_valid.yaml")
    projects = rc.load_osa_projects(fx / "projects_valid.csv")
    assert countries["country_iso3"].tolist() == ["PHL", "FJI"]
    assert countries["gw_code"].dtype == "Int64"
    assert pd.isna(countries.loc[0, "in_recaap_area"])
    assert countries.loc[1, "first_osa_fiscal_year"] == 2023
    rc.check_countries_match_projects(countries, projects)


def test_countries_mismatch_with_projects(fx):
    countries = rc.load_recipient_countries(fx / "countries_valid.yaml")
    projects = rc.load_osa_projects(fx / "projects_valid.csv")
    with pytest.raises(DataValidationError) as err:
        rc.check_countries_match_projects(countries, projects.iloc[:2])
    assert _failures(err) == {(1, "osa_fiscal_years")}


def test_countries_missing_key(fx):
    path = fx / "countries_missing_key.yaml"
    with pytest.raises(DataFormatError, match=r"record 1 \(FJI\): missing key\(s\) \['gw_code'\]"):
        rc.load_recipient_countries(path)


def test_countries_bad_layout(fx):
    with pytest.raises(DataFormatError, match=r"record 1 \(FJI\), key 'osa_fiscal_years'"):
        rc.load_recipient_countries(fx / "countries_bad_layout.yaml")


def test_countries_bad_values(fx):
    path = fx / "countries_bad_values.yaml"
    with pytest.raises(DataValidationError) as err:
        rc.load_recipient_countries(path)
    assert err.value.source == str(path)
    assert _failures(err) == {
        (0, "iso2"),
        (0, "default_peers"),
        (1, "gw_code"),
        (1, "region"),
    }


def test_a_project_signed_in_the_future_is_refused(fx, tmp_path):
    text = (fx / "projects_valid.csv").read_text(encoding="utf-8")
    bad = tmp_path / "projects_future.csv"
    bad.write_text(text.replace(",2023-11-01,", ",2099-11-01,", 1), encoding="utf-8")
    with pytest.raises(DataValidationError, match="not_after_today") as err:
        rc.load_osa_projects(bad)
    assert str(bad) in str(err.value)
    assert _failures(err) == {(0, "signed_date")}
