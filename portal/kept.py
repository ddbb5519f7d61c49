"""Values each process keeps a while, per application: figures that may be minutes old
(the dashboard's statistics) and reference data that changes a few times a decade (the
divisions a region filter offers); catalogues kept for as long as they stay unchanged
(claim phrases, review reasons, bureaus' meeting rules, enterprises' names); and pages'
parts kept until anything changes (the review queue's list, the bureau dashboard, most of a
filing's page)."""

from collections.abc import Callable
from time import monotonic

from flask import current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

from .access import viewer_key
from .extensions import db

# How long a process keeps a catalogue at most, even though the stamp says it is unchanged:
# a change made outside the portal (SQL typed into psql) is seen within this time.
CATALOGUE_SECONDS = 300
# At most this many values per name: beyond it the oldest are dropped (a crawler walking every
# combination of filters must not grow a process without bound).
MOST_KEPT = 512


def kept(name: str, key, seconds: float, compute: Callable):
    """``compute()`` for *key*, computed at most once every *seconds* in this process (kept
    under *name* in the current application); 0 seconds computes it every time."""
    if not seconds:
        return compute()
    store = current_app.extensions.setdefault(f"portal.kept.{name}", {})
    now = monotonic()
    entry = store.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = compute()
    # Copies of the store taken in one step, and pop instead of del: the development server
    # (flask run) serves requests in threads that may change the store meanwhile.
    for stale, (until, _value) in list(store.items()):
        if until <= now:
            store.pop(stale, None)
    for oldest in list(store)[:max(0, len(store) + 1 - MOST_KEPT)]:  # oldest first
        store.pop(oldest, None)
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


def until_changed(name: str, key, compute: Callable):
    """``compute()`` for *key*, kept per signed-in user (``access.viewer_key``: the user, role,
    organisation and jurisdiction) and language while nothing is recorded in the audit log,
    and at most ``KEPT_UNTIL_CHANGED_SECONDS`` (config; 0 computes it every time).

    Every change the portal makes to what pages show is recorded in the audit log in the
    transaction that makes it (``portal.audit.record``; appends are serialised, so the last
    event's id only grows, in the order of the commits). The id of the last event is read
    with the signed-in user at the start of every request (leaving out the events that
    change nothing a page shows: sign-ins, notifications read, exports;
    ``models.audit.UNSEEN_ACTIONS``); a value computed under it shows everything committed
    up to it. So the first request after any process committed any change computes afresh,
    and a request that records a change forgets the id (``audit.record``) and computes
    afresh for the rest of itself. The catalogue stamp is part of the key too
    (per_catalogue: it also moves with catalogue changes the ORM makes outside a request,
    which record no event). Without a signed-in user, in a request other than GET or HEAD,
    or with changes not yet flushed nothing is kept. *compute* must return plain values (or
    markup), not rows of the request's session, and depend only on *key*, the data and the
    clock."""
    head = g.get("audit_head")
    if (head is None or request.method not in ("GET", "HEAD")
            or db.session.new or db.session.dirty or db.session.deleted):
        # Not in a request that may be changing something: what it computes may show
        # changes not committed (nor recorded) yet.
        return compute()
    viewer = (*viewer_key(current_user._get_current_object()), str(get_locale()))
    return kept(f"{UNTIL_CHANGED}{name}", (head, g.get("catalogue_stamp"), viewer, key),
                current_app.config["KEPT_UNTIL_CHANGED_SECONDS"], compute)


# The prefix of the stores until_changed keeps in an application's extensions.
UNTIL_CHANGED = "until_changed."


def forget_until_changed(app) -> None:
    """Drop what *app*'s process keeps until anything changes: for a database replaced under a
    running process (tests do that between tests; a restore stops the portal first)."""
    for name in [n for n in app.extensions if n.startswith(f"portal.kept.{UNTIL_CHANGED}")]:
        del app.extensions[name]
