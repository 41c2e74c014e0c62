"""Source-level checks of every incident loader: impossible positions are flagged (never
``ok``), future dates and exact repeats are reported naming the file and the rows."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from osa_analysis.harmonise.incidents import add_quality_flags
from osa_analysis.sources.loaders.common import SourceDataWarning, checked_incidents
from osa_analysis.sources.loaders.imb import load_imb_attacks

HEADER = (
    "date,time,longitude,latitude,attack_type,location_description,nearest_country,"
    "eez_country,shore_distance,shore_longitude,shore_latitude,attack_description,"
    "vessel_name,vessel_type,vessel_status,data_source\n"
)


def attacks(rows: list[str], folder: Path) -> Path:
    """A synthetic IMB attacks file with the given data lines."""
    path = folder / "pirate_attacks.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(date: str, lon: str, lat: str, name: str = "Testship") -> str:
    return f"{date},NA,{lon},{lat},Boarded,Test Bay,PHL,PHL,1.0,120.0,14.0,NA,{name},NA,NA,imb"


def test_impossible_positions_are_flagged_at_the_source(tmp_path):
    path = attacks(
        [
            row("2020-01-01", "120.5", "14.25", "Fine"),
            row("2020-01-02", "120.5", "91", "Lat 91"),
            row("2020-01-03", "200", "14.25", "Lon 200"),
            row("2020-01-04", "181", "95", "Both"),
            row("2020-01-05", "1e308", "1e308", "Huge"),
        ],
        tmp_path,
    )
    with pytest.warns(SourceDataWarning) as caught:
        df = load_imb_attacks(path)
    message = str(caught[0].message)
    assert message.startswith(f"{path}: 4 record(s) with an impossible position")
    assert "rows 1, 2, 3, 4" in message and "1: 91, 120.5" in message
    assert list(df["position_status"]) == ["ok"] + ["impossible"] * 4
    assert df["latitude"].iloc[1:].isna().all() and df["longitude"].iloc[1:].isna().all()
    assert df.loc[0, "latitude"] == 14.25
    flagged = add_quality_flags(df)
    assert list(flagged["flag_impossible_position"]) == [False, True, True, True, True]


def test_future_dates_and_exact_repeats_are_reported(tmp_path):
    path = attacks(
        [
            row("2020-01-01", "120.5", "14.25"),
            row("2031-05-01", "120.5", "14.25", "Future"),
            row("2020-01-01", "120.5", "14.25"),  # repeats row 0 exactly
        ],
        tmp_path,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_imb_attacks(path)
    texts = [str(w.message) for w in caught if issubclass(w.category, SourceDataWarning)]
    assert any(
        t.startswith(f"{path}: 1 record(s) dated after today") and "rows 1" in t for t in texts
    )
    assert any(
        "1 record(s) repeat an earlier record of the file exactly: rows 2" in t for t in texts
    )
    flagged = add_quality_flags(df)
    assert list(flagged["flag_future_date"]) == [False, True, False]
    assert list(flagged["flag_duplicate_record"]) == [False, False, True]


def test_a_clean_frame_passes_untouched():
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-01", "2021-01-01"]),
            "latitude": [1.5, -89.9],
            "longitude": [104.25, -179.9],
            "position_status": pd.array(["ok", "ok"], dtype="string"),
            "source_id": pd.array(["a", "b"], dtype="string"),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = checked_incidents(df, "synthetic.csv", today=dt.date(2026, 12, 4))
    assert out is df
    assert np.isfinite(out["latitude"]).all()


@pytest.mark.parametrize(
    "content",
    [
        b'date,time,longitude\n2020-01-01,"unclosed,1\n',  # a tokenizer error
        b"\xff\xfe\x00d\x00a\x00t\x00e",  # not UTF-8
        b"",  # empty
    ],
)
def test_an_unreadable_file_names_itself(tmp_path, content):
    from osa_analysis.core.validation import DataFormatError
    from osa_analysis.sources.recipients import load_osa_projects

    bad = tmp_path / "broken.csv"
    bad.write_bytes(content)
    for load in (load_imb_attacks, load_osa_projects):
        with pytest.raises(DataFormatError, match=f"{bad}: "):
            load(bad)
