"""Precision, recall and F1 from true/false positives and false negatives."""

from __future__ import annotations


class PrecisionRecall:
    """Mixed into records with ``tp``, ``fp`` and ``fn``.

    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class C(PrecisionRecall):
    ...     tp: int; fp: int; fn: int
    >>> c = C(3, 1, 0); (c.precision, c.recall, round(c.f1, 3))
    (0.75, 1.0, 0.857)
    """

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0
