"""Where data come from.

The source registry, sha256-checked fetching, the derived-data cache, one loader per source,
the curated tables and the method files.
"""
