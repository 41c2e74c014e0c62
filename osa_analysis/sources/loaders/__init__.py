"""One loader per source: ``load_<name>(path=None)`` returns a tidy, validated frame.

Which loader reads a source is part of its registry entry (``loader:`` in
``data/sources.yaml``, as ``module:function`` of this package, imported lazily), so adding a
source touches the registry, one loader module and its tests; :func:`loader_for` resolves it
and ``osa-briefs data check`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module

from osa_analysis.sources.registry import get_source, registry


def registered_loaders() -> dict[str, str]:
    """Return the loader spec (``module:function``) of every registry id."""
    return {sid: source.loader for sid, source in registry().items()}


def resolve_loader(spec: str) -> Callable:
    """Return the function a ``module:function(name=value,...)`` spec names, arguments bound.

    Raises
    ------
    ImportError, AttributeError
        When the module or the function does not exist.
    """
    module_name, _, func_spec = spec.partition(":")
    func_name, _, kwargs_spec = func_spec.partition("(")
    func = getattr(import_module(f"osa_analysis.sources.loaders.{module_name}"), func_name)
    kwargs = dict(kv.split("=") for kv in kwargs_spec.rstrip(")").split(",") if kv)
    return partial(func, **kwargs) if kwargs else func


def loader_for(source_id: str) -> Callable:
    """Return the loader function of a registry id (keyword arguments bound).

    The function also warns when the table it loads spans less than the registry's
    ``coverage`` (:func:`osa_analysis.sources.coverage.warn_if_short`).

    Raises
    ------
    osa_analysis.sources.registry.RegistryError
        When the id is not in the registry.
    """
    return partial(_load_checked, resolve_loader(get_source(source_id).loader), source_id)


def _load_checked(loader: Callable, source_id: str, *args, **kwargs):
    from osa_analysis.sources.coverage import warn_if_short

    table = loader(*args, **kwargs)
    warn_if_short(table, source_id, args[0] if args else kwargs.get("path"))
    return table
