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

# %% [markdown]
# # Exploring the harmonised maritime-incident table
#
# One row per incident, every source merged and de-duplicated (`load_incidents`); one row per
# source record with `load_incident_reports`. Change the parameters and rerun.

# %% tags=["parameters"]
since = "2015-01-01"  # start of the period explored
coastal_state = "PHL"  # ISO3 of a coastal state to look at closely

# %%
from osa_analysis.analyse.explore import (
    incidents_by_source,
    incidents_by_year,
    source_agreement,
    top_coastal_states,
)
from osa_analysis.harmonise.incidents import incident_quality_report, load_incidents

events = load_incidents()
events.shape

# %% [markdown]
# ## Which sources report what, and how far they agree

# %%
incidents_by_source(events)

# %%
source_agreement()

# %%
incident_quality_report(events)

# %% [markdown]
# ## Where: coastal states with the most piracy and armed robbery

# %%
top_coastal_states(events, since=since)

# %% [markdown]
# ## One coastal state: events per year by category and by severity

# %%
local = load_incidents(coastal_state=coastal_state, start=since)
incidents_by_year(local, by="category")

# %%
incidents_by_year(local, by="severity")

# %%
local[
    [
        "date",
        "sources",
        "category",
        "outcome",
        "severity",
        "severity_basis",
        "vessel_status",
        "vessel_type_std",
        "distance_to_shore_km",
        "quality_flags",
    ]
].tail(20)
