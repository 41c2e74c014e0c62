"""Benchmark: how much of a brief's kernel time is drawing its figures, and what two changes
to the figures would save.

The issue "One house" asks for a median kernel compute of <= 3 s per brief. ``bench_briefs.py``
measures 7.7 s. This script splits one brief's work (both editions, in one warm process, as a
kernel forked from the warm server does it) into four measures:

(a) building the sections of both editions: the analysis, the text and the figures' artists,
    with no pixels drawn. The baseline;
(b) drawing every figure to PNG as the brief does (``style.png_bytes``, constrained layout);
(c) the same figures drawn with no layout engine. This is what fixed layouts would cost. The
    figures would then look different;
(d) the share of (b) that the Japanese edition's figures take. That is what one language-neutral
    figure per chart, shared by both editions, would save, with the labels moved to the
    captions. The figures would then look different too.

Another country's brief is built first, untimed, with one figure drawn per language: the
process then holds the loaded tables, the shared analysis and the fonts, as a warm kernel
does, and its garbage collector is frozen as a warm kernel's is. Then the brief is built and
timed. It prints times and ratios to (a), and asserts nothing. Run:
``OSA_DATA_MIRROR=../shared/data-mirror python benchmarks/bench_figures.py [ISO3 ...]``
(default PHL).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time

from osa_analysis.brief.assemble import Brief
from osa_analysis.brief.style import png_bytes
from osa_analysis.build.params import BriefParams
from osa_analysis.core.i18n import REFERENCE

TARGET_S = 3.0


def figures_of(brief: Brief) -> dict[str, list]:
    """Every figure of the brief, by language."""
    out: dict[str, list] = {}
    for section in brief.sections().values():
        for lang, edition in [(REFERENCE, section), *section.editions.items()]:
            out.setdefault(lang, []).extend(fig for _caption, fig in edition.figures)
    return out


def draw(figures: list) -> float:
    """Seconds to draw ``figures`` to PNG as the brief does."""
    return timed(lambda: [png_bytes(fig) for fig in figures])


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def params_for(iso3: str) -> BriefParams:
    return BriefParams.from_mapping(
        {
            "country_iso3": iso3,
            "output_dir": tempfile.mkdtemp(prefix="bench-figures-"),
            "languages": ["en", "ja"],
        }
    )


def bench(iso3: str) -> None:
    params = params_for(iso3)
    params.apply_environment()
    # warm-up, untimed: another brief loads the tables and computes the shared analysis, as
    # the warm kernel server has done before it forks a brief's kernel
    # (and draws a figure in each language: fonts loaded); its kernels start with gc frozen
    other = Brief.from_params(params_for("FJI" if iso3 != "FJI" else "PHL"))
    draw([figures[0] for figures in figures_of(other).values()])
    gc.collect()
    gc.freeze()
    brief = Brief.from_params(params)
    build_s = timed(brief.sections)
    by_lang = figures_of(brief)
    drawn = {lang: draw(figures) for lang, figures in by_lang.items()}
    draw_s = sum(drawn.values())
    for figures in by_lang.values():
        for fig in figures:
            fig.set_layout_engine("none")
    fixed_s = sum(draw(figures) for figures in by_lang.values())
    other_s = sum(s for lang, s in drawn.items() if lang != REFERENCE)
    both_s = build_s + fixed_s * (1 - other_s / draw_s)
    n = sum(len(figures) for figures in by_lang.values())
    print(f"{iso3}: {n} figures in {len(by_lang)} editions")
    print(f"  (a) sections of both editions, no pixels: {build_s:5.2f} s (baseline)")
    ratio = draw_s / build_s
    print(f"  (b) drawing the figures as the brief does: {draw_s:5.2f} s, {ratio:.2f} x (a)")
    print(f"      (a) + (b), a kernel's work: {build_s + draw_s:5.2f} s (target {TARGET_S} s)")
    print(
        f"  (c) drawing with no layout engine: {fixed_s:5.2f} s, {fixed_s / build_s:.2f} x (a), "
        f"saves {draw_s - fixed_s:.2f} s"
    )
    print(
        f"  (d) the second edition's share of (b): {other_s:5.2f} s, {other_s / build_s:.2f} x (a)"
    )
    print(f"      (a) + (b) with both changes, estimated: {both_s:5.2f} s")


def main(argv: list[str]) -> int:
    for iso3 in argv or ["PHL"]:
        bench(iso3)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
