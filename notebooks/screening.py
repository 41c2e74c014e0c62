# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Screening (notebook)
#
# Need against misuse and diversion risk for every coastal state of a region, for one OSA
# equipment category, and what changes if Japan gave another. `osa-briefs build --screening`
# runs it with papermill and publishes it to `reports/screening/`; you can also set the
# parameters below and run it in JupyterLab. Nothing here computes: each cell calls the
# package (`osa_analysis.analyse.screening`, `osa_analysis.brief.screening`).

# %% tags=["parameters"]
region = "default"  # a region of data/screening/regions.yaml
as_of = "2026-08-09"  # last date of data used (ISO date)
equipment = ["radar"]  # categories of osa_projects.csv, or hypothetical ones (screening.yaml)
what_if = [["armed_patrol_vessel"]]  # other equipment choices to compare with
output_dir = "reports/_scratch/screening"  # where summary.json is written

# %% tags=["remove-cell"]
from pathlib import Path

from osa_analysis.analyse.screening import screen
from osa_analysis.analyse.tables import TableStore
from osa_analysis.brief import screening as report
from osa_analysis.brief.display import show
from osa_analysis.core.files import write_json

tables = TableStore(as_of)  # every table cut at as_of, loaded once
base = screen(tables, region=region, equipment=equipment)
others = [screen(tables, region=region, equipment=choice) for choice in what_if]

# %%
show(report.overview_section(base), level=1)

# %%
show(report.chart_section(base))

# %%
show(report.table_section(base))

# %%
for other in others:
    show(report.whatif_section(base, other))

# %% tags=["remove-cell"]
write_json(Path(output_dir) / "summary.json", report.screening_summary(base, others))
