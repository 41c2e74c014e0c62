"""Scheduled regeneration on the real data, with new releases from a loopback server.

A live-feed release with synthetic incidents in Manila Bay (clearly labelled, built at test
time from the mirror's file; nothing is committed) is accepted by ``data update``, moves
the default as-of, rebuilds the Philippine brief and appears in its "what changed" and in the
feed; a WGI release with one changed value moves the governance numbers; ``--pinned``
reproduces the brief of the pinned bytes byte for byte; and on a machine without the mirror,
the README's first command obtains every source from upstream URLs alone.
"""

from __future__ import annotations

import io
import json
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml
from release_server import ReleaseServer

from osa_analysis.brief.assemble import Brief
from osa_analysis.build import cli, runner
from osa_analysis.build.params import BriefParams, default_as_of
from osa_analysis.core import config
from osa_analysis.sources import download
from osa_analysis.sources.registry import get_source, pinned_registry, registry

pytestmark = pytest.mark.mirror

LIVE = "recaap_imb_live"
NEW_DATE = "2026-08-20"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An own data folder, reports folder, URL file and release server for the module."""
    if config.mirror_dir() is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    root = tmp_path_factory.mktemp("refresh")
    server = ReleaseServer()
    patch = pytest.MonkeyPatch()
    patch.setenv("OSA_DATA_DIR", str(root / "raw"))
    patch.setenv("OSA_SOURCE_URLS", str(root / "urls.yaml"))
    patch.delenv("OSA_PINNED", raising=False)
    patch.setattr(download, "RETRY_BACKOFF_S", 0.0)
    (root / "urls.yaml").write_text("{}\n")
    yield {"root": root, "reports": root / "reports", "server": server, "patch": patch}
    patch.undo()
    server.close()


def _redirect(world, mapping: dict) -> None:
    (world["root"] / "urls.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")


def _build_phl(world, reports: Path | None = None) -> runner.RunResult:
    reports = reports or world["reports"]
    params = BriefParams(country_iso3="PHL", output_dir=reports / "_scratch" / "PHL")
    (result,) = runner.run_all([params], reports_dir=reports, jobs=1, pdf=False)
    assert result.status == "ok", result.error
    return result


@pytest.fixture(scope="module")
def pinned_brief(world):
    """The Philippine brief of the pinned bytes (no lock yet)."""
    _build_phl(world)
    folder = world["reports"] / "PHL"
    return {name: (folder / name).read_bytes() for name in ("brief.html", "summary.json")}


@pytest.fixture(scope="module")
def live_release(world, pinned_brief):
    """A live-feed release with three synthetic incidents in Manila Bay, taken by data update."""
    data = json.loads(Path(config.mirror_dir() / get_source(LIVE).file).read_text("utf-8"))
    data["events"] = [
        {
            "id": f"RC-IC-2026-{9001 + i}",  # synthetic: ReCAAP's numbers stay below 100
            "date": NEW_DATE,
            "type": "boarding",
            "zone": "Philippines (Ports/Anchorages)",
            "lat": 14.58 + i / 100,
            "lon": 120.92,
            "vessel": "synthetic test vessel",
            "summary": "SYNTHETIC test event, not a real incident.",
            "source": {"name": "ReCAAP ISC", "url": "https://portal.recaap.org/OpenMap"},
            "origin": "recaap",
        }
        for i in range(3)
    ] + data["events"]
    world["server"].routes["/live.json"] = json.dumps(data).encode()
    _redirect(world, {LIVE: {"release": world["server"].url("/live.json")}})
    assert cli.main(["data", "update", LIVE]) == 0
    return _build_phl(world)


def test_a_live_feed_release_is_taken_and_moves_the_default_as_of(world, live_release):
    assert get_source(LIVE).locked["release"] == "latest"
    assert get_source(LIVE).coverage.endswith(NEW_DATE)
    assert default_as_of().isoformat() == NEW_DATE
    run = json.loads((world["reports"] / "PHL" / "run.json").read_text())
    assert run["as_of"] == NEW_DATE and run["vintages"][LIVE]["release"] == "latest"
    assert run["inputs"][LIVE] == get_source(LIVE).sha256 != pinned_registry()[LIVE].sha256


def test_the_rebuilt_brief_says_what_is_new_and_the_feed_carries_it(world, live_release):
    summary = json.loads((world["reports"] / "PHL" / "summary.json").read_text())
    changes = summary["what_changed"]
    assert changes["previous_as_of"] == "2026-08-09"
    incidents = changes["new_data"]["incidents"]
    assert incidents["n"] == 3 and incidents["first"] == incidents["last"] == NEW_DATE
    assert [r["source"] for r in changes["new_data"]["releases"]] == [LIVE]
    assert changes["method_changes"] == []
    html = (world["reports"] / "PHL" / "brief.html").read_text()
    assert "3 new incidents in its waters" in html
    feed = ET.fromstring((world["reports"] / "feed.xml").read_text())
    atom = "{http://www.w3.org/2005/Atom}"
    newest = feed.findall(f"{atom}entry")[0]
    assert NEW_DATE in newest.findtext(f"{atom}title")
    assert "3 new incidents in its waters" in newest.findtext(f"{atom}summary")
    assert "new data releases: recaap_imb_live" in newest.findtext(f"{atom}summary")


def test_a_changed_wgi_value_moves_the_governance_numbers(world, live_release):
    wgi_path = config.mirror_dir() / get_source("wgi").file
    table = pd.read_csv(wgi_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    at = (table["code"] == "PHL") & (table["year"] == "2023") & (table["indicator"] == "va")
    assert at.sum() == 1
    before = float(table.loc[at, "estimate"].iloc[0])
    table.loc[at, "estimate"] = f"{before + 1.0:.2f}"  # synthetic edit of one value
    buf = io.StringIO()
    table.to_csv(buf, index=False)
    world["server"].routes["/wgi.csv"] = buf.getvalue().encode("utf-8-sig")
    _redirect(world, {"wgi": {"release": world["server"].url("/wgi.csv")}})
    params = BriefParams(country_iso3="PHL", output_dir=world["root"] / "scratch")
    old = Brief.from_params(params).section("governance").values["wgi"]["indicators"]["va"]
    assert cli.main(["data", "update", "wgi"]) == 0
    assert get_source("wgi").locked is not None
    new = Brief.from_params(params).section("governance").values["wgi"]["indicators"]["va"]
    assert old["estimate"] == pytest.approx(before, abs=0.01)
    assert new["estimate"] == pytest.approx(before + 1.0, abs=0.01)


def test_pinned_reproduces_the_pinned_brief_byte_for_byte(world, live_release, pinned_brief):
    world["patch"].setenv("OSA_PINNED", "1")
    try:
        assert get_source(LIVE).locked is None and default_as_of().isoformat() == "2026-08-09"
        _build_phl(world, world["root"] / "pinned-reports")
    finally:
        world["patch"].delenv("OSA_PINNED")
    folder = world["root"] / "pinned-reports" / "PHL"
    for name, content in pinned_brief.items():
        assert (folder / name).read_bytes() == content, name


# --- a machine without the mirror ---------------------------------------------------------


def _archive(url: str, members: dict[str, bytes]) -> bytes:
    """A zip (or, for a .tgz URL, a gzipped tar) holding ``members`` by name."""
    buf = io.BytesIO()
    if url.endswith(".tgz"):
        with tarfile.open(fileobj=buf, mode="w:gz") as tf:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    else:
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, data)
    return buf.getvalue()


def test_the_readme_fetch_gets_every_source_from_upstream_urls_alone(tmp_path, monkeypatch):
    """Serve each source at its upstream URL's path (ucdp_prio_acd and vdem_indices at their
    official release's); ``osa-briefs data fetch --all`` with no mirror obtains all of them."""
    mirror = config.mirror_dir()
    if mirror is None:
        pytest.skip("OSA_DATA_MIRROR not set")
    server = ReleaseServer()
    try:
        mapping, archives = {}, {}
        for sid, source in pinned_registry().items():
            data = (mirror / source.file).read_bytes()
            if source.url and source.member:  # several members may share one archive
                path = urlparse(source.url).path
                archives.setdefault(path, {})[source.member] = data
                mapping[sid] = {"url": server.url(path)}
            elif source.url:
                path = urlparse(source.url).path
                server.routes[path] = data
                mapping[sid] = {"url": server.url(path)}
            else:  # no pinned download: its official release, through the channel
                number = str(source.release.current)
                path = urlparse(source.release.url.replace("{v}", number)).path
                member = source.release.member.replace("{v}", number)
                archives[path] = {member: data}
                mapping[sid] = {"release": server.url(urlparse(source.release.url).path)}
        for path, members in archives.items():
            server.routes[path] = _archive(path, members)
        (tmp_path / "urls.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
        monkeypatch.setenv("OSA_SOURCE_URLS", str(tmp_path / "urls.yaml"))
        monkeypatch.setenv("OSA_DATA_DIR", str(tmp_path / "raw"))
        monkeypatch.delenv("OSA_DATA_MIRROR")
        monkeypatch.delenv("OSA_PINNED", raising=False)
        assert cli.main(["data", "fetch", "--all"]) == 0
        for sid in registry():
            assert (tmp_path / "raw" / get_source(sid).file).is_file(), sid
        assert len(server.requests) >= len(registry())
    finally:
        server.close()
