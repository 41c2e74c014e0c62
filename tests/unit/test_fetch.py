"""fetch(): cache -> mirror -> upstream, always sha256-checked, never a silent fallback."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from pathlib import Path

import pytest

from osa_analysis.sources import fetch as fetch_mod
from osa_analysis.sources.download import DownloadError
from osa_analysis.sources.fetch import FetchError, HashMismatchError, fetch, verified_sha256
from osa_analysis.sources.registry import Release, Source

CONTENT = b"synthetic,file\n1,2\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


def make_source(**overrides) -> Source:
    base = dict(
        id="synthetic",
        title="Synthetic test file",
        producer="tests",
        citation="none",
        licence="CC0",
        redistribution="open",
        file="sub/synthetic.csv",
        canonical_url="https://example.invalid/page",
        sha256=SHA,
        size_bytes=len(CONTENT),
        coverage="n/a",
        vintage="test",
        official=True,
        notes="",
        loader="synthetic:load_synthetic",
        cut="none",
        url="https://example.invalid/synthetic.csv",
        release=Release(channel="manual", cadence="irregular"),
    )
    base.update(overrides)
    return Source(**base)


@pytest.fixture
def registered(monkeypatch):
    def register(source: Source) -> Source:
        monkeypatch.setattr(fetch_mod, "get_source", lambda sid: source)
        return source

    return register


def test_cache_hit_returns_cached_file_without_mirror_or_network(tmp_path, registered, monkeypatch):
    registered(make_source())
    cached = tmp_path / "cache" / "sub" / "synthetic.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(CONTENT)
    monkeypatch.setattr(fetch_mod, "download", lambda *a: pytest.fail("no download expected"))
    assert fetch("synthetic", data_dir=tmp_path / "cache", mirror=tmp_path / "none") == cached


def test_mirror_copy_is_verified_and_cached(tmp_path, registered):
    registered(make_source())
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "sub" / "synthetic.csv").write_bytes(CONTENT)
    path = fetch("synthetic", data_dir=tmp_path / "cache", mirror=mirror)
    assert path == tmp_path / "cache" / "sub" / "synthetic.csv"
    assert path.read_bytes() == CONTENT


def test_mirror_with_wrong_bytes_is_an_error_not_a_fallback(tmp_path, registered, monkeypatch):
    registered(make_source())
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "sub" / "synthetic.csv").write_bytes(b"tampered\n")
    monkeypatch.setattr(fetch_mod, "download", lambda *a: pytest.fail("must not download"))
    with pytest.raises(HashMismatchError, match=r"mirror file .*synthetic\.csv.*'synthetic'"):
        fetch("synthetic", data_dir=tmp_path / "cache", mirror=mirror)
    assert not (tmp_path / "cache" / "sub" / "synthetic.csv").exists()


def test_corrupted_cache_is_replaced_from_mirror(tmp_path, registered):
    registered(make_source())
    cached = tmp_path / "cache" / "sub" / "synthetic.csv"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    mirror = tmp_path / "mirror"
    (mirror / "sub").mkdir(parents=True)
    (mirror / "sub" / "synthetic.csv").write_bytes(CONTENT)
    assert fetch("synthetic", data_dir=tmp_path / "cache", mirror=mirror).read_bytes() == CONTENT


def test_missing_everywhere_without_url_says_what_to_do(tmp_path, registered):
    registered(make_source(url=None, official=False, official_release="load the official CSV"))
    with pytest.raises(FetchError, match=r"OSA_DATA_MIRROR.*load the official CSV"):
        fetch("synthetic", data_dir=tmp_path / "cache", mirror=tmp_path / "empty-mirror")


def test_unreachable_url_names_the_mirror_gap(tmp_path, registered, monkeypatch):
    registered(make_source())

    def offline(url, dest, sha256=None):
        raise DownloadError(f"could not download {url} after 3 attempts: offline")

    monkeypatch.setattr(fetch_mod, "download", offline)
    with pytest.raises(FetchError, match=r"could not download .*has no sub/synthetic\.csv"):
        fetch("synthetic", data_dir=tmp_path / "cache", mirror=tmp_path / "empty-mirror")


def test_download_writes_verified_file(tmp_path, registered, monkeypatch):
    registered(make_source())
    monkeypatch.setattr(
        fetch_mod, "download", lambda url, dest, sha256=None: dest.write_bytes(CONTENT)
    )
    path = fetch("synthetic", data_dir=tmp_path / "cache", mirror=None)
    assert path.read_bytes() == CONTENT


def test_download_with_wrong_bytes_raises_hash_mismatch(tmp_path, registered, monkeypatch):
    registered(make_source())
    monkeypatch.setattr(
        fetch_mod, "download", lambda url, dest, sha256=None: dest.write_bytes(b"other")
    )
    with pytest.raises(HashMismatchError, match="downloaded file"):
        fetch("synthetic", data_dir=tmp_path / "cache", mirror=None)


def _tgz_with(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo(member)
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_archive_member_is_extracted_and_verified(tmp_path, registered, monkeypatch):
    archive = _tgz_with("package/synthetic.csv", CONTENT)
    registered(
        make_source(
            url="https://example.invalid/pkg-1.0.tgz",
            member="package/synthetic.csv",
            archive_sha256=hashlib.sha256(archive).hexdigest(),
        )
    )

    def fake_download(url, dest: Path, sha256=None):
        assert sha256 == hashlib.sha256(archive).hexdigest()
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(archive)

    monkeypatch.setattr(fetch_mod, "download", fake_download)
    path = fetch("synthetic", data_dir=tmp_path / "cache", mirror=None)
    assert path.read_bytes() == CONTENT


def test_verified_sha256_rehashes_after_change(tmp_path):
    f = tmp_path / "f.csv"
    f.write_bytes(CONTENT)
    assert verified_sha256(f) == SHA
    f.write_bytes(b"changed content, different size")
    assert verified_sha256(f) == hashlib.sha256(b"changed content, different size").hexdigest()


def test_an_edit_that_keeps_size_and_restores_mtime_is_still_caught(tmp_path):
    f = tmp_path / "f.csv"
    f.write_bytes(CONTENT)
    assert verified_sha256(f) == SHA
    before = f.stat()
    time.sleep(0.05)  # past the coarse clock tick of file times, so the ctime moves
    edited = bytes([CONTENT[0] ^ 1]) + CONTENT[1:]  # same size, one bit flipped
    f.write_bytes(edited)
    os.utime(f, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back
    assert f.stat().st_size == before.st_size and f.stat().st_mtime_ns == before.st_mtime_ns
    assert verified_sha256(f) == hashlib.sha256(edited).hexdigest()


def test_verify_rehashes_even_a_matching_stamp(tmp_path):
    f = tmp_path / "f.csv"
    f.write_bytes(CONTENT)
    verified_sha256(f)
    stamp = tmp_path / "f.csv.sha256.json"
    forged = {**json.loads(stamp.read_text()), "sha256": "0" * 64}
    stamp.write_text(json.dumps(forged))
    assert verified_sha256(f) == "0" * 64  # the stamp is trusted while the file is unchanged
    assert verified_sha256(f, rehash=True) == SHA
