"""Analysis: pure functions of a scope (country, as-of date, peers) and the input tables.

Nothing here plots, prints or writes prose; the brief sections format the results.
"""
