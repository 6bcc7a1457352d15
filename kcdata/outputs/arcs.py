"""Chart 05's arcs: where each 【再掲】 link's arc and label go, so that no arc runs
under another arc's label box (pure geometry, no matplotlib).

An arc goes from ``x0`` to ``x1`` on the section axis as a quadratic Bézier whose
apex, at level ``k``, is ``ARC_BASE + ARC_STEP * k`` high; its label box sits at
the apex, ``2 * half`` wide and ``2 * LABEL_HALF_HEIGHT`` high (data units).
"""

from __future__ import annotations

__all__ = ["ARC_BASE", "ARC_STEP", "LABEL_HALF_HEIGHT", "arc_height_at", "arc_levels",
           "crosses"]

ARC_BASE, ARC_STEP, LABEL_HALF_HEIGHT = 0.7, 0.55, 0.2
FOOT = 0.08  # the height where an arc starts and ends


def arc_height_at(x: float, x0: float, x1: float, level: int) -> float | None:
    """The height at ``x`` of the arc of ``level`` from ``x0`` to ``x1`` (``None`` outside)."""
    lo, hi = min(x0, x1), max(x0, x1)
    if not lo <= x <= hi or hi == lo:
        return None
    t = (x - lo) / (hi - lo)
    return FOOT + 4 * (ARC_BASE + ARC_STEP * level - FOOT / 2) * t * (1 - t)


def crosses(arc: tuple[float, float, int], box: tuple[float, float, int]) -> bool:
    """Whether ``arc`` (x0, x1, level) passes through the label ``box`` (centre, half,
    level). Exact: over the box's width the arc's heights run from its lower end to
    its apex (or higher end), and the box is crossed when that range meets it."""
    x0, x1, level = arc
    centre, half, box_level = box
    lo, hi = max(min(x0, x1), centre - half), min(max(x0, x1), centre + half)
    if lo > hi or x0 == x1:
        return False
    ends = [arc_height_at(x, x0, x1, level) for x in (lo, hi)]
    apex = (x0 + x1) / 2
    highest = arc_height_at(apex, x0, x1, level) if lo <= apex <= hi else max(ends)
    top = ARC_BASE + ARC_STEP * box_level
    return highest >= top - LABEL_HALF_HEIGHT and min(ends) <= top + LABEL_HALF_HEIGHT


def arc_levels(spans: list[tuple[float, float, float]]) -> list[int]:
    """A level per arc, ``spans`` being (x0, x1, half the label's width).

    The widest arcs are placed first, each on the lowest level at which its label
    box is clear of the arcs and labels placed before it and its own arc clear of
    their labels (a short arc's label, near the feet of wider arcs, goes above
    them); where no level is, the one with the fewest crossings. At most as many
    levels as arcs.
    """
    placed: dict[int, tuple[float, float, float, int]] = {}
    for i in sorted(range(len(spans)), key=lambda i: -abs(spans[i][1] - spans[i][0])):
        x0, x1, half = spans[i]

        def count(level: int, x0=x0, x1=x1, half=half) -> int:
            centre = (x0 + x1) / 2
            return sum(crosses((x0, x1, level), ((a + b) / 2, h, k))
                       + crosses((a, b, k), (centre, half, level))
                       + (k == level and abs((a + b) / 2 - centre) < h + half)
                       for a, b, h, k in placed.values())

        best = min(range(len(spans)), key=lambda level: (count(level), level))
        placed[i] = (x0, x1, half, best)
    return [placed[i][3] for i in range(len(spans))]
