"""Values each process keeps a while, per application: figures that may be minutes old
(the dashboard's statistics) and reference data that changes a few times a decade (the
divisions a region filter offers)."""

from collections.abc import Callable
from time import monotonic

from flask import current_app


def kept(name: str, key, seconds: float, compute: Callable):
    """``compute()`` for *key*, computed at most once every *seconds* in this process (kept
    under *name* in the current application); 0 seconds computes it every time."""
    if not seconds:
        return compute()
    store = current_app.extensions.setdefault(f"portal.kept.{name}", {})
    now = monotonic()
    if key in store and store[key][0] > now:
        return store[key][1]
    value = compute()
    for stale in [k for k, (until, _value) in store.items() if until <= now]:
        del store[stale]
    store[key] = (now + seconds, value)
    return value
