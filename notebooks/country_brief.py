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

# %% tags=["parameters"]
country_iso3 = "PHL"  # ISO 3166-1 alpha-3 of an OSA recipient
as_of = "2026-08-09"  # last date of data the brief may use (ISO date)
lookback_years = 5  # years in the current comparison period
peers = None  # ISO3 list; None = the FY2023 recipients (BGD, FJI, MYS, PHL)
output_dir = "reports/_scratch/PHL"  # where summary.json is written
data_dir = None  # OSA_DATA_DIR override (raw source cache)
cache_dir = None  # OSA_CACHE_DIR override (derived tables)
mc_draws = 1000  # Monte Carlo draws of the risk composite
previous_summary = None  # summary.json of the last published brief (set by the runner)

# %% tags=["remove-cell"]
from osa_analysis.brief.assemble import build_brief, write_brief_outputs
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.display import show
from osa_analysis.build.params import BriefParams

params = BriefParams.from_mapping(
    {
        "country_iso3": country_iso3,
        "as_of": as_of,
        "lookback_years": lookback_years,
        "peers": peers,
        "output_dir": output_dir,
        "data_dir": data_dir,
        "cache_dir": cache_dir,
        "mc_draws": mc_draws,
        "previous_summary": previous_summary,
    }
)
params.apply_environment()
sections = build_brief(
    BriefContext.from_params(params),
    mc_draws=params.mc_draws,
    previous_summary=params.previous_summary,
)

# %%
show(sections["provenance"], level=1)

# %%
show(sections["bottom_line"])

# %%
show(sections["osa_package"])

# %%
show(sections["maritime"])

# %%
show(sections["grayzone"])

# %%
show(sections["governance"])

# %%
show(sections["exposure"])

# %%
show(sections["peers"])

# %%
show(sections["composite"])

# %%
show(sections["diversion"])

# %%
show(sections["what_changed"])

# %%
show(sections["sources"])

# %% tags=["remove-cell"]
write_brief_outputs(sections, params.output_dir)
