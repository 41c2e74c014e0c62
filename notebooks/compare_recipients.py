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
# # Comparing OSA recipients
#
# Funding, recent maritime incidents and political stability side by side for every OSA
# recipient, then the peer view of the briefs for any group of countries.

# %% tags=["parameters"]
as_of = "2026-08-09"  # last date of data used
years = 5  # length of the recent period
country_iso3 = "PHL"  # the country whose peers are charted
peers = ["BGD", "FJI", "MYS", "PHL"]

# %%
from osa_analysis.analyse.explore import recipient_overview
from osa_analysis.analyse.tables import TableStore
from osa_analysis.brief.context import BriefContext
from osa_analysis.brief.display import show
from osa_analysis.brief.peers import peers_section
from osa_analysis.sources.recipients import osa_totals

tables = TableStore(as_of)  # every table cut at as_of, loaded once
recipient_overview(tables, years=years)

# %%
osa_totals(by="fiscal_year")

# %%
projects = tables.get("osa_projects")
projects[["project_id", "country_name", "amount_jpy", "equipment_categories", "status"]]

# %%
ctx = BriefContext(country_iso3=country_iso3, as_of=as_of, lookback_years=years, peers=tuple(peers))
show(peers_section(ctx))
