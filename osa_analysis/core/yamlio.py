"""Read the project's YAML files (registry, methods, country metadata) safely and fast."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about 10x faster), else PyYAML's."""


def safe_load(text: str) -> Any:
    """Parse YAML text like :func:`yaml.safe_load`, with libyaml when available.

    Parameters
    ----------
    text : str
        A YAML document.

    Returns
    -------
    Any
        The document (``None`` for an empty one).

    Raises
    ------
    yaml.YAMLError
        When the text is not valid YAML (with line and column).
    """
    return yaml.load(text, Loader=SafeLoader)
