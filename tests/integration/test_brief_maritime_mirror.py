"""Sections 3 (maritime incidents) and 4 (gray zone) built on the real data.

Counts are checked against direct pandas computations on the loader output, and every
number the sections show (text, captions, tables, caveats, key-figure sentences) must be
among their ``values``.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from osa_analysis.brief import registry
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.section import Section
from osa_analysis.brief.style import png_bytes
from osa_analysis.core.files import jsonable
from osa_analysis.core.stats import rate_ratio

AS_OF = pd.Timestamp("2026-08-09")
COUNTRIES = ("PHL", "MYS", "BGD", "FJI", "MNG", "TON")
ASAM_IDS = ("asam_msi_csv", "asam_arcgis_csv", "asam_lephare_json")

# --------------------------------------------------------------------------- number check

NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")
"""A number as shown in text: digits with optional thousands separators and decimals, not
glued to a word (so CAT1, v1, CC0 and 1:50m's "50m" are not numbers)."""


def numbers_in(text: str) -> list[tuple[float, int]]:
    """Return each number in ``text`` with its count of decimals."""
    out = []
    for token in NUMBER.findall(text):
        plain = token.replace(",", "")
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        out.append((float(plain), decimals))
    return out


def value_numbers(values) -> set[float]:
    """Every number in a nested values structure, strings (dates, labels) and keys included."""
    found: set[float] = set()

    def walk(v):
        if isinstance(v, dict):
            for k, item in v.items():
                walk(k)
                walk(item)
        elif isinstance(v, list | tuple):
            for item in v:
                walk(item)
        elif isinstance(v, bool) or v is None:
            return
        elif isinstance(v, int | float):
            found.add(abs(float(v)))
        elif isinstance(v, str):
            found.update(x for x, _ in numbers_in(v))

    walk(jsonable(values))
    return found


def missing_numbers(text: str, values) -> list[str]:
    """Numbers shown in ``text`` that no value explains (allowing display rounding)."""
    known = value_numbers(values)
    bad = []
    for x, decimals in numbers_in(text):
        tol = 0.5 * 10.0**-decimals + 1e-9
        if not any(abs(x - v) <= tol for v in known):
            bad.append(f"{x:g}")
    return bad


def shown_text(section: Section) -> str:
    """All text a reader sees: body, method, captions, caveats, cells, key-figure sentences."""
    parts = [section.markdown, section.method, *section.caveats]
    parts += [caption for caption, _ in section.figures]
    parts += [caption for caption, _ in section.tables]
    for _, df in section.tables:
        parts += [str(v) for v in df.to_numpy().ravel() if not pd.isna(v)]
    parts += [kf["sentence"] for kf in section.values.get("key_figures", [])]
    parts += [kf.get("change_text") or "" for kf in section.values.get("key_figures", [])]
    return "\n".join(parts)


def test_number_helpers():
    assert numbers_in("40 vs 1,991,348 km² and 0.48 (CAT1, v1, 2021-08-10)") == [
        (40.0, 0),
        (1991348.0, 0),
        (0.48, 2),
        (2021.0, 0),
        (8.0, 0),
        (10.0, 0),
    ]
    values = {"n": 40, "rr": 0.4819, "area": 1991348, "period": "2021-08-10"}
    assert missing_numbers("40 incidents, 0.48, 1,991,348 km², from 2021-08-10", values) == []
    assert missing_numbers("41 incidents", values) == ["41"]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(real_file):
    from osa_analysis.harmonise.incidents import GEOGRAPHY_SOURCE_IDS, INCIDENT_SOURCE_IDS

    for sid in (
        *INCIDENT_SOURCE_IDS,
        *GEOGRAPHY_SOURCE_IDS,
        "ne_coastline_50m",
        "wb_milex_share",
        "wb_milex_usd",
    ):
        real_file(sid)
    from osa_analysis.brief.grayzone import grayzone_section
    from osa_analysis.brief.maritime import maritime_section

    out = {}
    for iso3 in COUNTRIES:
        ctx = BriefContext(country_iso3=iso3, as_of=AS_OF)
        out[iso3] = (ctx, maritime_section(ctx), grayzone_section(ctx))
    return out


@pytest.fixture(scope="module")
def events():
    from osa_analysis.harmonise.incidents import load_incidents

    return load_incidents(end=AS_OF.strftime("%Y-%m-%d"))


def _direct_count(events, iso3, start, end, category="piracy_armed_robbery"):
    sel = events[
        (events["coastal_state_iso3"] == iso3)
        & (events["category"] == category)
        & (events["date"] >= pd.Timestamp(start))
        & (events["date"] <= pd.Timestamp(end))
    ]
    return sel


# --------------------------------------------------------------------------- all countries


@pytest.mark.mirror
@pytest.mark.parametrize("iso3", COUNTRIES)
def test_every_number_shown_is_in_values(built, iso3):
    _, maritime, grayzone = built[iso3]
    for section in (maritime, grayzone):
        assert missing_numbers(shown_text(section), section.values) == [], section.key
        json.dumps(jsonable(section.values), allow_nan=False)


@pytest.mark.mirror
@pytest.mark.parametrize("iso3", COUNTRIES)
def test_sections_have_keys_titles_and_key_figure_fields(built, iso3):
    _, maritime, grayzone = built[iso3]
    assert (maritime.key, maritime.title) == (
        "maritime",
        f"{registry.number('maritime')}. Maritime incidents",
    )
    assert (grayzone.key, grayzone.title) == (
        "grayzone",
        f"{registry.number('grayzone')}. Gray-zone coercion in the South China Sea",
    )
    fields = {
        "id",
        "label",
        "value",
        "unit",
        "interval",
        "interval_kind",
        "change",
        "change_text",
        "significant",
        "sentence",
    }
    for section in (maritime, grayzone):
        assert len(section.values["key_figures"]) <= 3
        for kf in section.values["key_figures"]:
            assert set(kf) == fields


# --------------------------------------------------------------------------- Philippines


@pytest.mark.mirror
def test_philippines_counts_and_rate_ratio(built, events):
    _, sec, _ = built["PHL"]
    cmp_ = sec.values["comparison"]
    recent = _direct_count(events, "PHL", "2021-08-10", "2026-08-09")
    previous = _direct_count(events, "PHL", "2016-08-10", "2021-08-09")
    # 39 since ship names match through typos: ASAM's "YI HANG YUN 1068" and ReCAAP's
    # "MV YI HANG JUN 1068" on 2021-08-18 are one event (40 before); 85 in the previous
    # period with the 1:10m approximate EEZ (83 at 1:50m)
    assert (len(recent), len(previous)) == (39, 85)
    assert (cmp_["recent"], cmp_["previous"]) == (39, 85)
    expected = rate_ratio(39, 85, 5, 5)
    assert cmp_["rate_ratio"]["estimate"] == pytest.approx(expected.estimate, abs=1e-4)
    assert cmp_["rate_ratio"]["low"] == pytest.approx(expected.low, abs=1e-4)
    assert cmp_["rate_ratio"]["high"] == pytest.approx(expected.high, abs=1e-4)
    # ASAM ended in 2024 and IMB Crime at Sea in 2020: the periods are not comparable
    assert cmp_["comparable"] is False and cmp_["direction"] == "not comparable"
    assert "not covered by the same sources" in sec.markdown
    kf = sec.values["key_figures"][0]
    assert kf["value"] == 39 and kf["significant"] is None


@pytest.mark.mirror
def test_philippines_like_for_like_counts_asam_reports(built, events):
    _, sec, _ = built["PHL"]
    lfl = sec.values["comparison"]["like_for_like"]
    assert lfl["group"] == "asam"
    assert lfl["periods"]["recent"] == {"start": "2019-06-26", "end": "2024-06-25"}
    by_asam = events["sources"].str.split(";").map(lambda s: any(x in ASAM_IDS for x in s))
    asam = events[by_asam]
    a = len(_direct_count(asam, "PHL", "2019-06-26", "2024-06-25"))
    b = len(_direct_count(asam, "PHL", "2014-06-26", "2019-06-25"))
    assert (lfl["recent"], lfl["previous"]) == (a, b) == (49, 67)  # 62 at 1:50m
    assert lfl["direction"] == rate_ratio(a, b).direction == "no clear change"


@pytest.mark.mirror
def test_philippines_severity_time_and_map(built, events):
    _, sec, _ = built["PHL"]
    recent = _direct_count(events, "PHL", "2021-08-10", "2026-08-09")
    sev = {r["severity"]: r["total"] for r in sec.values["severity"]["rows"]}
    direct = recent["severity"].fillna("NA").value_counts().to_dict()
    assert {k: v for k, v in sev.items() if v} == direct
    assert sec.values["severity"]["n_recaap_label"] == int(
        recent["severity_basis"].eq("source").sum()
    )
    tod = sec.values["time_of_day"]
    assert tod["n_with_time"] == int(recent["time_local"].notna().sum()) == 23
    assert tod["n_offset_source"] == int(recent["datetime_utc"].notna().sum())
    assert tod["counts"]["night"] + tod["counts"]["twilight"] + tod["counts"]["day"] == 23
    assert sec.values["map"]["kde"]["applied"] is True
    assert sec.values["map"]["kde"]["bandwidth_km"] == 50.0
    assert "50 km" in sec.markdown
    assert len(sec.figures) == 4
    assert sec.values["recaap"] == {"contracting_party": True, "in_area": True}


@pytest.mark.mirror
def test_philippines_grayzone_counts(built):
    from osa_analysis.harmonise.incidents import load_incidents

    _, _, gz = built["PHL"]
    allev = load_incidents()
    gray = allev[allev["category"].eq("gray_zone_coercion")]
    mine = gray[gray["actors_iso3"].fillna("").str.split(";").map(lambda a: "PHL" in a)]
    assert gz.values["n_events"] == len(mine) == 435
    dated = mine[mine["date"].dt.year.between(2019, 2023)]
    undated_recent = gz.values["n_recent"] - len(dated)
    assert 0 <= undated_recent <= int(mine["date"].isna().sum())
    assert gz.values["n_recent"] == 377
    assert gz.values["actor_pairs"]["CHN–PHL"] == int(mine["actors_iso3"].eq("CHN;PHL").sum())
    assert gz.values["recent_years"] == [2019, 2023]
    assert "counts only, no event text" in gz.method  # coverage is method text
    assert sum(p["events"] for p in gz.values["precision"]) == gz.values["n_events"]


@pytest.mark.mirror
def test_philippines_is_deterministic(built):
    ctx0, sec, gz = built["PHL"]
    from osa_analysis.brief.grayzone import grayzone_section
    from osa_analysis.brief.maritime import maritime_section

    ctx = BriefContext(country_iso3="PHL", as_of=AS_OF)
    again, gz_again = maritime_section(ctx), grayzone_section(ctx)
    assert jsonable(again.values) == jsonable(sec.values)
    assert jsonable(gz_again.values) == jsonable(gz.values)
    assert again.markdown == sec.markdown
    assert png_bytes(again.figures[2][1]) == png_bytes(sec.figures[2][1])
    assert {"asam_msi_csv", "recaap_imb_live", "ne_coastline_50m"} <= set(ctx0.used_sources)


# --------------------------------------------------------------------------- others


@pytest.mark.mirror
def test_malaysia_recaap_caveat_and_grayzone(built):
    _, sec, gz = built["MYS"]
    assert sec.values["recaap"]["contracting_party"] is False
    assert any("not a ReCAAP Contracting Party" in c for c in sec.caveats)
    assert gz.values["applicable"] is True and gz.values["n_events"] == 62
    assert gz.values["actor_pairs"]["CHN–MYS"] == 26


@pytest.mark.mirror
def test_bangladesh_full_section_no_grayzone(built, events):
    _, sec, gz = built["BGD"]
    assert sec.values["thin_data"] is False
    recent = _direct_count(events, "BGD", "2021-08-10", "2026-08-09")
    assert sec.values["comparison"]["recent"] == len(recent) == 40  # 41 at 1:50m
    assert sec.values["time_of_day"]["standard_offsets_h"]["BGD"] == 6.0
    assert gz.values["applicable"] is False
    assert "not a South China Sea claimant" in gz.markdown


@pytest.mark.mirror
def test_fiji_is_thin_and_drawn_across_the_antimeridian(built, events):
    from osa_analysis.harmonise.eez import load_eez
    from osa_analysis.sources.loaders.indicators import load_wb_milex_share

    _, sec, gz = built["FJI"]
    v = sec.values
    assert v["thin_data"] is True
    fji = events[
        (events["coastal_state_iso3"] == "FJI") & events["category"].eq("piracy_armed_robbery")
    ]
    assert v["all_time"]["n"] == len(fji) == 4
    assert v["all_time"]["last_date"] == fji["date"].max().strftime("%Y-%m-%d") == "2017-05-31"
    assert "Data are thin" in sec.markdown
    assert f"section {registry.number('exposure')}" in sec.markdown
    assert v["map"]["longitudes_shifted"] is True
    assert v["map"]["extent"][2] > 180
    assert v["map"]["n_in_window"] == 4
    eez = load_eez()
    assert v["eez"]["area_km2"] == round(
        float(eez.loc[eez["country_iso3"] == "FJI", "area_km2"].sum())
    )
    milex = load_wb_milex_share()
    last = milex[(milex["country_iso3"] == "FJI") & milex["milex_share_gdp_pct"].notna()]
    last = last[last["year"] <= 2026].sort_values("year").iloc[-1]
    assert v["what_is_known"]["milex"]["share_year"] == int(last["year"])
    assert v["what_is_known"]["milex"]["share_gdp_pct"] == round(
        float(last["milex_share_gdp_pct"]), 2
    )
    assert any("outside ReCAAP" in c for c in sec.caveats)
    assert sec.tables[0][0].startswith("What is known")
    assert gz.values["applicable"] is False


@pytest.mark.mirror
def test_mongolia_is_landlocked(built):
    _, sec, gz = built["MNG"]
    assert sec.values["applicable"] is False
    assert sec.values["reason"] == "landlocked (no EEZ)"
    assert "landlocked" in sec.markdown
    assert sec.figures == [] and sec.tables == [] and sec.values["key_figures"] == []
    assert gz.values["applicable"] is False


@pytest.mark.mirror
def test_tonga_has_no_incidents_and_no_milex(built):
    _, sec, gz = built["TON"]
    assert sec.values["thin_data"] is True
    assert sec.values["all_time"]["n"] == 0
    assert sec.values["what_is_known"]["milex"]["share_gdp_pct"] is None
    table = sec.tables[0][1]
    assert table["value"].iloc[2] == "n/a"
    assert "not published" in table["year or note"].iloc[2]
    assert "No piracy or armed-robbery incident has been recorded" in sec.markdown
    assert gz.values["applicable"] is False
