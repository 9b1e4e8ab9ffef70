"""Rankings, argmaxes and thresholds that do not depend on floating-point noise.

The same fit run with another BLAS kernel (``OPENBLAS_CORETYPE``), another
number of threads or another CPU gives weights that differ in the last
digits (about 1e-12 for the project's float64 fits). A ranking made on the raw
values can then break an exact tie one way on one machine and the other way
on the next, and the themes' top terms, the primary theme of a recommendation
or a table's row order change with the machine.

Every ranking in the project therefore goes through this module: values are
first compared at :data:`DECIMALS` decimals (far above the noise, far below
any difference that carries meaning), and ties are then broken by a stable
key: the position (which is the alphabetical order of the term keys for a
vocabulary, the codebook order for codebook themes), unless a key is given.

Examples
--------
>>> import numpy as np
>>> noisy = np.array([0.5 + 3e-13, 0.5, 0.25])
>>> order_desc(noisy).tolist()   # the exact tie is broken by position
[0, 1, 2]
>>> order_desc(noisy[[1, 0, 2]]).tolist()
[0, 1, 2]
>>> argmax_rows(np.array([[0.2, 0.4, 0.4 + 1e-13]])).tolist()
[1]
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["DECIMALS", "argmax_rows", "at_least", "ecdf_rows", "order_desc", "order_rows_desc", "quantize"]

#: Decimals at which model weights (shares, term weights, probabilities, all of
#: order 1) are compared. Fits agree across kernels to about 1e-12, so values
#: that differ only by noise compare equal, and a real difference of 1e-6 or
#: more is kept.
DECIMALS: Final = 6


def quantize(values: ArrayLike, decimals: int = DECIMALS) -> NDArray[np.float64]:
    """``values`` rounded to ``decimals`` decimals (``-0.0`` becomes ``0.0``).

    Examples
    --------
    >>> quantize([0.1234564999, -1e-9]).tolist()
    [0.123456, 0.0]
    """
    return np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0


def order_desc(values: ArrayLike, key: ArrayLike | None = None, *, decimals: int = DECIMALS) -> NDArray[np.intp]:
    """Indices that sort ``values`` from largest to smallest, compared at
    ``decimals``; ties in ascending ``key`` (default: position).

    Examples
    --------
    >>> order_desc([0.3, 0.7, 0.3], key=["b", "c", "a"]).tolist()
    [1, 2, 0]
    """
    q = quantize(values, decimals)
    tiebreak = np.arange(len(q)) if key is None else np.asarray(key)
    return np.lexsort((tiebreak, -q))


def order_rows_desc(matrix: ArrayLike, *, decimals: int = DECIMALS) -> NDArray[np.intp]:
    """Per row, the column indices from largest to smallest value (compared
    at ``decimals``; ties by column position).

    Examples
    --------
    >>> order_rows_desc([[0.1, 0.5, 0.5], [0.9, 0.0, 0.1]]).tolist()
    [[1, 2, 0], [0, 2, 1]]
    """
    return np.argsort(-quantize(matrix, decimals), axis=1, kind="stable")


def argmax_rows(matrix: ArrayLike, *, decimals: int = DECIMALS) -> NDArray[np.intp]:
    """Per row, the column of the largest value (compared at ``decimals``;
    ties go to the first column).

    Examples
    --------
    >>> argmax_rows([[0.1, 0.5, 0.5 + 1e-12], [0.0, 0.0, 0.0]]).tolist()
    [1, 0]
    """
    return quantize(matrix, decimals).argmax(axis=1)


def at_least(values: ArrayLike, threshold: float, *, decimals: int = DECIMALS) -> NDArray[np.bool_]:
    """``values >= threshold``, both compared at ``decimals``.

    Examples
    --------
    >>> at_least([0.25 - 1e-13, 0.2499], 0.25).tolist()
    [True, False]
    """
    return quantize(values, decimals) >= np.round(threshold, decimals)


def ecdf_rows(matrix: ArrayLike, *, decimals: int = DECIMALS) -> NDArray[np.float64]:
    """Empirical CDF of every value within its row: the share of the row's
    values that are at most it (values compared at ``decimals``, so tied
    values get the same, largest, rank).

    Examples
    --------
    >>> ecdf_rows([[0.2, 0.1, 0.2, 0.4]]).tolist()
    [[0.75, 0.25, 0.75, 1.0]]
    """
    q = quantize(matrix, decimals)
    ordered = np.sort(q, axis=1)
    ranks = np.vstack([np.searchsorted(row_sorted, row, side="right") for row_sorted, row in zip(ordered, q)])
    return ranks / q.shape[1]
