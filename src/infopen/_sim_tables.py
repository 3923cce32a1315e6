"""
The simulation's tables that both its configuration and its calibration read: the outcomes
a simulated request can be answered with, and a distribution given as values and weights.
Kept apart so that calibration (which builds a configuration) need not import it back.
"""

from __future__ import annotations

import attrs

from ._model import Outcome

__all__ = ["DECIDED", "Empirical"]

DECIDED = [o for o in Outcome if o not in (Outcome.WITHDRAWN, Outcome.ABANDONED_NO_CORRECTION,
                                           Outcome.ABANDONED_UNPAID_FEE)]  # fmt: skip


@attrs.frozen
class Empirical:
    """
    A distribution given by its values and their weights (e.g. fitted from a register):
    a draw picks a value with probability ``weight / sum(weights)``.

    In TOML: ``handling_days = {values = [3, 5, 8], weights = [2, 5, 1]}``.

    .. versionadded:: 0.2.0
    """

    values: tuple[float, ...]
    weights: tuple[float, ...]

    def mean(self) -> float:
        """The distribution's mean."""
        return sum(v * w for v, w in zip(self.values, self.weights, strict=True)) / sum(
            self.weights
        )
