"""``osa-briefs methods calibrate`` on the real data: the committed calibration is current."""

from __future__ import annotations

import pytest

from osa_analysis.analyse import composite as rc
from osa_analysis.build import cli

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def method(real_file):
    m = rc.load_method()
    for sid in rc.panel_source_ids(m):
        real_file(sid)
    return m


def test_check_passes_on_the_committed_calibration(method, capsys):
    before = rc.CALIBRATION_FILE.read_bytes()
    assert cli.main(["methods", "calibrate", "--check"]) == 0
    out = capsys.readouterr().out
    assert f"{rc.CALIBRATION_FILE} is up to date" in out
    assert rc.CALIBRATION_FILE.read_bytes() == before  # --check writes nothing
