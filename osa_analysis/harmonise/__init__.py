"""Tables built across sources.

Incidents (classified, deduplicated, attributed to a coastal state by EEZ) and the cyclone
fix table.
"""
