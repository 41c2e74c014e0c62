"""Core helpers: schema errors that name record and column; country-code mapping."""

from __future__ import annotations

import warnings

import pandas as pd
import pandera.pandas as pa
import pytest

from osa_analysis.core.countries import UnmappedCodeWarning, country_name, to_iso3
from osa_analysis.core.validation import (
    DataFormatError,
    DataValidationError,
    require_columns,
    validate,
)

SCHEMA = pa.DataFrameSchema(
    {
        "country_iso3": pa.Column("string", pa.Check.str_length(3, 3)),
        "estimate": pa.Column("float64", pa.Check.in_range(-3, 3), nullable=True),
    }
)


def test_all_failures_are_reported_with_record_and_column():
    df = pd.DataFrame(
        {
            "country_iso3": pd.array(["PHL", "FJIX", "MYS"], dtype="string"),
            "estimate": [0.5, 9.0, -4.0],
        }
    )
    with pytest.raises(DataValidationError) as err:
        validate(df, SCHEMA, "synthetic.csv")
    message = str(err.value)
    assert message.startswith("synthetic.csv: 3 problem(s)")
    assert "record 1, column 'country_iso3'" in message
    assert "record 1, column 'estimate'" in message and "record 2, column 'estimate'" in message
    assert set(err.value.failures["record"]) == {1, 2}


def test_missing_columns_are_named():
    with pytest.raises(DataFormatError, match=r"synthetic.csv: missing column\(s\) \['estimate'\]"):
        require_columns(
            pd.DataFrame({"country_iso3": []}), ["country_iso3", "estimate"], "synthetic.csv"
        )


@pytest.mark.parametrize(
    ("codes", "system", "expected"),
    [
        (["TMP", "ROM", "PHL"], "wb", ["TLS", "ROU", "PHL"]),
        (["PH", "VN"], "iso2", ["PHL", "VNM"]),
        (["242", "50"], "iso_numeric", ["FJI", "BGD"]),
        (["VIET NAM", "Philippines"], "name", ["VNM", "PHL"]),
        (["840", "950"], "gw", ["PHL", "FJI"]),
        (["955", "820"], "cow", ["TON", "MYS"]),
    ],
)
def test_code_systems_map_to_iso3(codes, system, expected):
    assert to_iso3(pd.Series(codes), system).tolist() == expected


def test_unmapped_codes_warn_once_and_stay_na():
    with pytest.warns(UnmappedCodeWarning, match=r"not mapped to ISO3.*'ZZZ'"):
        out = to_iso3(pd.Series(["PHL", "ZZZ", None]), "iso3", source="synthetic.csv")
    assert out.tolist()[0] == "PHL" and out.isna().tolist()[1:] == [True, True]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_iso3(pd.Series(["WLD"]), "wb", ignore=frozenset({"WLD"}))


def test_country_name():
    assert country_name("PHL") == "Philippines"
    with pytest.raises(ValueError, match="unknown ISO3"):
        country_name("ZZZ")
