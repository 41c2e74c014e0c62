# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Country risk brief (notebook)
#
# This notebook is the source of every published country brief. `osa-briefs build` runs it
# with papermill, once per OSA recipient, and renders it without code; you can also open it
# in JupyterLab (`make lab`), set the parameters below and run it yourself.
#
# * **Parameters** (next cell): the country, the as-of date (no data after it is used), the
#   look-back period and the peers. They are validated by `BriefParams`: an unknown name or
#   a bad value stops the run at the first code cell, with every problem listed.
# * **One cell per section.** Each cell shows one section; `brief.section(key)` builds it
#   (and what it needs) on first use, and `brief.rebuild(key)` builds it again, so a section
#   can be rerun on its own. Every section's numbers come from `osa_analysis.analyse` and are
#   also written to `summary.json` by the last cell.
# * **Editions.** Each section is shown in every language of `languages` (English first, then
#   Japanese), from the same results; the renderer splits them into `brief.html` and
#   `brief.ja.html`. Set `languages = ["en"]` to see English only.
# * Nothing here computes: each cell only calls the package (`osa_analysis.brief`).

# %% tags=["parameters"]
country_iso3 = "PHL"  # ISO 3166-1 alpha-3 of an OSA recipient
as_of = "2026-08-09"  # last date of data the brief may use (ISO date)
lookback_years = 5  # years in the current comparison period
peers = None  # ISO3 list; None = the FY2023 recipients (BGD, FJI, MYS, PHL)
output_dir = "reports/_scratch/PHL"  # where summary.json is written
data_dir = None  # OSA_DATA_DIR override (raw source cache)
cache_dir = None  # OSA_CACHE_DIR override (derived tables)
mc_draws = 1000  # Monte Carlo draws of the risk composite
languages = None  # editions, e.g. ["en"]; None = every language (English and Japanese)
previous_summary = None  # summary.json of the last published brief (set by the runner)

# %% tags=["remove-cell"]
from osa_analysis.brief.assemble import Brief
from osa_analysis.brief.display import show
from osa_analysis.build.params import BriefParams

params = BriefParams.from_namespace(globals())
params.apply_environment()
brief = Brief.from_params(params)

# %%
show(brief.section("cover"), level=1)

# %%
show(brief.section("key_judgements"))

# %%
show(brief.section("bottom_line"))

# %%
show(brief.section("osa_package"))

# %%
show(brief.section("context"))

# %%
show(brief.section("maritime"))

# %%
show(brief.section("grayzone"))

# %%
show(brief.section("governance"))

# %%
show(brief.section("exposure"))

# %%
show(brief.section("peers"))

# %%
show(brief.section("composite"))

# %%
show(brief.section("diversion"))

# %%
show(brief.section("what_changed"))

# %%
show(brief.section("glossary"))

# %%
show(brief.section("tables"))

# %%
show(brief.section("method_checks"))

# %%
show(brief.section("provenance"))

# %%
show(brief.section("sources"))

# %% tags=["remove-cell"]
brief.write_outputs(params.output_dir)
