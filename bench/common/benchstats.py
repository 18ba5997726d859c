"""Statistics shared by the bench/ scripts' report code (imported, never run by itself)."""


def pct(xs, p):
    """The p-th percentile of the sorted list xs, interpolated between neighbours; None if empty."""
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)
