"""Values each process keeps a while, per application: figures that may be minutes old
(the dashboard's statistics) and reference data that changes a few times a decade (the
divisions a region filter offers); and catalogues kept for as long as they stay unchanged
(claim phrases, review reasons, bureaus' meeting rules)."""

from collections.abc import Callable
from time import monotonic

from flask import current_app, g

# How long a process keeps a catalogue at most, even though the stamp says it is unchanged:
# a change made outside the portal (SQL typed into psql) is seen within this time.
CATALOGUE_SECONDS = 300


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


def per_catalogue(name: str, key, compute: Callable):
    """``compute()`` for *key*, kept while the catalogue stamp stays where it was.

    The stamp (``models.CatalogueStamp``) moves on in the transaction that changes a kept
    catalogue; it is read with the signed-in user at the start of every request. So a
    process reads such a catalogue again on the first request after any process changed it,
    and otherwise not (but at least every CATALOGUE_SECONDS). Without a signed-in user (the
    public pages, tasks, the command line) there is no stamp: computed every time.
    *compute* must return plain values, not rows of the request's session."""
    stamp = g.get("catalogue_stamp")
    if stamp is None:
        return compute()
    return kept(name, (stamp, key), CATALOGUE_SECONDS, compute)
