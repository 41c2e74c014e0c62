"""Aggregation: indicators into dimensions (arithmetic), dimensions into the composite."""

from __future__ import annotations

import numpy as np


def aggregate(
    scores: np.ndarray,
    available: np.ndarray,
    dim_of: np.ndarray,
    w_ind: np.ndarray,
    w_dim: np.ndarray,
    rule: str = "geometric",
    offset: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Dimension scores (weighted arithmetic mean) and composite (geometric or arithmetic).

    Leading axes broadcast (e.g. Monte Carlo draws).

    Parameters
    ----------
    scores : numpy.ndarray
        ``(..., C, I)`` indicator scores 0–10 (values where ``available`` is False are
        ignored).
    available : numpy.ndarray
        ``(..., C, I)`` bool.
    dim_of : numpy.ndarray
        ``(I,)`` dimension index of each indicator.
    w_ind : numpy.ndarray
        ``(..., I)`` indicator weights (renormalised over the available indicators of each
        dimension).
    w_dim : numpy.ndarray
        ``(..., D)`` dimension weights (normalised to sum 1).
    rule : {"geometric", "arithmetic"}
    offset : float
        Geometric rule: exp(Σ w·log(D + offset)) − offset (0 = plain geometric mean).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Composite ``(..., C)`` and dimensions ``(..., C, D)``; NaN when a dimension has no
        available indicator.
    """
    scores = np.asarray(scores, dtype=float)
    avail = np.asarray(available, dtype=bool)
    w_ind = np.asarray(w_ind, dtype=float)
    w_dim = np.asarray(w_dim, dtype=float)
    n_dims = w_dim.shape[-1]
    s = np.where(avail, scores, 0.0)
    w = w_ind[..., None, :] * avail
    dims = []
    for d in range(n_dims):
        m = dim_of == d
        num = (w[..., m] * s[..., m]).sum(-1)
        den = w[..., m].sum(-1)
        dims.append(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))
    dim_scores = np.stack(dims, -1)
    wd = (w_dim / w_dim.sum(-1, keepdims=True))[..., None, :]
    if rule == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            comp = np.exp((wd * np.log(dim_scores + offset)).sum(-1)) - offset
    elif rule == "arithmetic":
        comp = (wd * dim_scores).sum(-1)
    else:
        raise ValueError(f"unknown aggregation {rule!r}")
    comp = np.where(np.isnan(dim_scores).any(-1), np.nan, comp)
    return comp, dim_scores
