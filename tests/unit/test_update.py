"""``data update``: new releases from a loopback server, validated before use, then locked.

The releases are built at test time from the real files (the mirror) plus clearly
synthetic edits (events named ``SYNTHETIC-…``); nothing is committed. Each test has its own
data directory, so its vintage lock and quarantine start empty.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from release_server import ReleaseServer

from osa_analysis.build import cli
from osa_analysis.sources import download, vintages
from osa_analysis.sources.fetch import fetch, sha256_of
from osa_analysis.sources.loaders.recaap import load_recaap_imb_live
from osa_analysis.sources.registry import get_source, registry
from osa_analysis.sources.update import release_problems, update_source

pytestmark = pytest.mark.mirror

LIVE = "recaap_imb_live"


@pytest.fixture
def server():
    srv = ReleaseServer()
    yield srv
    srv.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch, real_file):
    """A fresh data directory holding nothing; the mirror stays available."""
    real_file(LIVE)  # skip without real data
    folder = tmp_path / "raw"
    monkeypatch.setenv("OSA_DATA_DIR", str(folder))
    monkeypatch.delenv("OSA_PINNED", raising=False)
    monkeypatch.setattr(download, "RETRY_BACKOFF_S", 0.0)
    return folder


def redirect(tmp_path, monkeypatch, mapping: dict) -> None:
    path = tmp_path / "urls.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    monkeypatch.setenv("OSA_SOURCE_URLS", str(path))


def live_feed(real_file, *, extra: int = 0, drop: int = 0, date: str = "2026-11-20") -> bytes:
    """The real live feed, with ``extra`` synthetic events in Manila Bay or ``drop`` removed."""
    data = json.loads(real_file(LIVE).read_text(encoding="utf-8"))
    events = data["events"][drop:]
    synthetic = [
        {
            "id": f"RC-IC-2026-{9001 + i}",  # synthetic: ReCAAP numbers stay below 100
            "date": date,
            "type": "boarding",
            "zone": "Philippines (Ports/Anchorages)",
            "lat": 14.6 + i / 100,
            "lon": 120.9,
            "vessel": "synthetic test vessel",
            "summary": "SYNTHETIC test event, not a real incident.",
            "source": {"name": "ReCAAP ISC", "url": "https://portal.recaap.org/OpenMap"},
            "origin": "recaap",
        }
        for i in range(extra)
    ]
    data["events"] = synthetic + events
    data["fetched"] = "2026-11-22"
    return json.dumps(data).encode()


def test_a_new_live_feed_release_is_validated_then_locked_and_read(
    tmp_path, monkeypatch, data_dir, server, real_file
):
    server.routes["/live.json"] = live_feed(real_file, extra=3)
    redirect(tmp_path, monkeypatch, {LIVE: {"release": server.url("/live.json")}})
    pinned_rows = len(load_recaap_imb_live(real_file(LIVE)))

    result = update_source(LIVE)

    assert result.status == "new", result.message
    lock = vintages.read_lock(data_dir / vintages.LOCK_NAME)[LIVE]
    assert lock["sha256"] == sha256_of(data_dir / lock["file"])
    assert lock["file"].startswith(f"vintages/{LIVE}/")
    assert lock["coverage"] == "2024-07-07/2026-11-20"
    assert lock["rows"] == pinned_rows + 3 and lock["previous_sha256"] == real_sha(LIVE)
    source = get_source(LIVE)  # the registry now reads the vintage
    assert source.coverage == "2024-07-07/2026-11-20" and source.locked["release"] == "latest"
    assert fetch(LIVE) == data_dir / lock["file"]
    assert "+3 rows" in result.message
    # the same bytes again: nothing new, the lock untouched
    before = (data_dir / vintages.LOCK_NAME).read_bytes()
    again = update_source(LIVE)
    assert again.status == "no new data" and "same bytes" in again.message
    assert (data_dir / vintages.LOCK_NAME).read_bytes() == before
    # --pinned reads the registry's bytes
    monkeypatch.setenv("OSA_PINNED", "1")
    assert get_source(LIVE).sha256 == real_sha(LIVE) and get_source(LIVE).locked is None


def real_sha(source_id: str) -> str:
    import osa_analysis.sources.registry as reg

    return reg.pinned_registry()[source_id].sha256


@pytest.mark.parametrize(
    ("release", "problem"),
    [
        (b'{"fetched": "2026-11-22", "events": [{"id": "RC-1", "dat', "loader refused it"),
        ("shrunk", "rows, the vintage in use has"),
        ("future", "dates in the future"),
    ],
)
def test_a_bad_release_is_quarantined_and_the_vintage_in_use_stays(
    tmp_path, monkeypatch, data_dir, server, real_file, release, problem
):
    body = {
        "shrunk": lambda: live_feed(real_file, drop=200),
        "future": lambda: live_feed(real_file, extra=1, date="2099-01-01"),
    }.get(release, lambda: release)()
    server.routes["/live.json"] = body
    redirect(tmp_path, monkeypatch, {LIVE: {"release": server.url("/live.json")}})

    result = update_source(LIVE)

    assert result.status == "failed" and problem in result.message
    assert str(result.quarantine) in result.message
    assert (result.quarantine / Path(get_source(LIVE).file).name).read_bytes() == body
    report = json.loads((result.quarantine / "report.json").read_text())
    assert report["source"] == LIVE and any(problem in p for p in report["problems"])
    assert not (data_dir / vintages.LOCK_NAME).exists()
    assert get_source(LIVE).sha256 == real_sha(LIVE)


def test_a_404_is_a_failure_on_a_live_channel_and_no_new_data_on_an_ended_one(
    tmp_path, monkeypatch, data_dir, server, real_file
):
    real_file("asam_lephare_json")
    redirect(
        tmp_path,
        monkeypatch,
        {
            LIVE: {"release": server.url("/gone.json")},
            "asam_lephare_json": {"release": server.url("/asam.json")},
        },
    )
    live = update_source(LIVE)
    assert live.status == "failed" and "answered 404" in live.message
    ended = update_source("asam_lephare_json")
    assert ended.status == "no new data" and "ended series" in ended.message
    assert not (data_dir / vintages.LOCK_NAME).exists()


def test_a_timeout_is_retried_then_reported_and_nothing_changes(
    tmp_path, monkeypatch, data_dir, server, real_file
):
    monkeypatch.setenv("OSA_DOWNLOAD_TIMEOUT", "0.2")
    server.routes["/live.json"] = ("slow", 1.0, live_feed(real_file, extra=1))
    redirect(tmp_path, monkeypatch, {LIVE: {"release": server.url("/live.json")}})
    result = update_source(LIVE)
    assert result.status == "failed"
    assert f"after {download.DOWNLOAD_ATTEMPTS} attempts" in result.message
    assert server.requests.count("/live.json") == download.DOWNLOAD_ATTEMPTS
    assert not (data_dir / vintages.LOCK_NAME).exists()


def acd_zip(real_file, member: str, *, extra_year: int | None = None, crlf: bool = False) -> bytes:
    text = real_file("ucdp_prio_acd").read_text(encoding="utf-8")
    if extra_year:  # a synthetic next year: the last row again, one year later
        header, *rows = text.rstrip("\n").split("\n")
        last = rows[-1].split(",")
        year_at = header.split(",").index("year")
        last[year_at] = str(extra_year)
        text = "\n".join([header, *rows, ",".join(last)]) + "\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, text.replace("\n", "\r\n") if crlf else text)
    return buf.getvalue()


def test_a_pattern_channel_takes_the_next_release_number(
    tmp_path, monkeypatch, data_dir, server, real_file
):
    real_file("ucdp_prio_acd")
    server.routes["/acd-261.zip"] = acd_zip(
        real_file, "ucdp-prio-acd-261/UcdpPrioConflict_v26_1.csv", extra_year=2025
    )
    redirect(
        tmp_path,
        monkeypatch,
        {"ucdp_prio_acd": {"release": server.url("/acd-{v}1.zip")}},
    )
    result = update_source("ucdp_prio_acd")
    assert result.status == "new", result.message
    assert server.requests == ["/acd-261.zip", "/acd-271.zip"]  # 27.1 answers 404
    source = get_source("ucdp_prio_acd")
    assert source.locked["release"] == "26" and source.coverage == "1946/2025"
    assert source.official  # from the official channel, unlike the reconstructed pin
    assert source.vintage.startswith("26 (retrieved ")
    # the next update asks for 27.1 only
    server.requests.clear()
    assert update_source("ucdp_prio_acd").status == "no new data"
    assert server.requests == ["/acd-271.zip"]


def test_a_fresh_machine_obtains_a_source_without_a_pinned_download_from_its_channel(
    tmp_path, monkeypatch, data_dir, server, real_file
):
    """ucdp_prio_acd's pinned file is a reconstruction: no mirror, so the official zip."""
    server.routes["/acd-251.zip"] = acd_zip(real_file, "UcdpPrioConflict_v25_1.csv")
    (data_dir / get_source("ucdp_prio_acd").file).unlink()  # acd_zip read it from the mirror
    redirect(tmp_path, monkeypatch, {"ucdp_prio_acd": {"release": server.url("/acd-{v}1.zip")}})
    monkeypatch.delenv("OSA_DATA_MIRROR")
    path = fetch("ucdp_prio_acd")
    assert server.requests == ["/acd-261.zip", "/acd-251.zip"]
    # the zip holds the reconstruction's bytes (it restored the official layout), so they
    # are the registered ones; other official bytes would be validated and locked instead
    source = get_source("ucdp_prio_acd")
    assert path == data_dir / source.file and sha256_of(path) == source.sha256
    server.routes["/acd-251.zip"] = acd_zip(real_file, "UcdpPrioConflict_v25_1.csv", crlf=True)
    monkeypatch.setenv("OSA_DATA_DIR", str(tmp_path / "second"))
    path = fetch("ucdp_prio_acd")
    source = get_source("ucdp_prio_acd")
    assert source.locked["release"] == "25" and path == tmp_path / "second" / source.locked["file"]
    monkeypatch.setenv("OSA_PINNED", "1")  # --pinned: exact bytes only, from the mirror
    with pytest.raises(Exception, match="OSA_DATA_MIRROR"):
        fetch("ucdp_prio_acd", data_dir=tmp_path / "other")


def test_the_command_reports_each_source_and_exits_1_on_a_failure(
    tmp_path, monkeypatch, data_dir, server, real_file, capsys
):
    server.routes["/live.json"] = live_feed(real_file, drop=300)
    redirect(tmp_path, monkeypatch, {LIVE: {"release": server.url("/live.json")}})
    assert cli.main(["data", "update", LIVE, "asam_arcgis_csv"]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "no channel" in out and "the vintage in use stays" in out


def test_release_checks_on_tiny_synthetic_tables():
    import datetime as dt

    import pandas as pd

    old = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-02-01"]), "x": [1, 2]})
    today = dt.date(2026, 12, 4)
    assert release_problems(old, old, min_row_ratio=0.9, today=today) == []
    earlier = old.assign(date=pd.to_datetime(["2025-01-01", "2025-02-01"]))
    assert "goes backwards" in release_problems(earlier, old, min_row_ratio=0.9, today=today)[0]
    assert (
        "columns missing" in release_problems(old[["date"]], old, min_row_ratio=0, today=today)[0]
    )
    years = pd.DataFrame({"year": [2025, 2027]})
    assert "years in the future" in release_problems(years, None, min_row_ratio=0, today=today)[0]


def test_every_registry_entry_declares_a_release_channel():
    for sid, source in registry().items():
        assert source.release.channel in ("latest", "pattern", "frozen", "manual"), sid
        if source.release.channel == "frozen":
            assert source.release.cadence == "ended", sid
    assert get_source(LIVE).release.channel == "latest"
    assert get_source("ucdp_prio_acd").release.official  # reconstructed pin, official channel
    assert get_source("vdem_indices").release.official  # 28-country subset, official channel
