"""Running counts of filings per region, enterprise, kind and status (table ``filing_tally``),
and per region, kind and status (``filing_region_tally``, the same summed over enterprises).

Counting a jurisdiction's filings on every view of the bureau dashboard or the review queue
grows with the number of filings (at 100,000 the dashboard took over a second). Instead every
flush that adds, deletes or changes a filing's region, enterprise, kind or status moves it
from its old count to its new one, in the same transaction, so the counts are exact and never
ahead of or behind the filings they count:

* ``after_flush`` (registered by :func:`init_app`) collects the changes of the flush as +1/-1
  per key and writes them with one upsert per key and table, in key order (two transactions
  changing the same keys lock their rows in the same order, so they queue rather than
  deadlock);
* the key's columns are mapped with ``active_history`` (models/filings.py), so the old value
  is known even when the filing was loaded before the change.

Changes made without the ORM (bulk inserts such as bench/fill.py) must call :func:`recount`;
``flask --app portal filings recount [--check]`` rebuilds or checks the table.
"""

from collections import Counter

import click
from flask.cli import AppGroup
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from ..database import dialect_insert
from ..extensions import db
from ..models import Filing, FilingRegionTally, FilingTally, Meeting

KEY = ("region_code", "enterprise_id", "kind", "status")
# The key of filing_region_tally: KEY without the enterprise.
REGION_KEY = tuple(name for name in KEY if name != "enterprise_id")
_REGION_POSITIONS = tuple(KEY.index(name) for name in REGION_KEY)


def _region_key(key: tuple) -> tuple:
    return tuple(key[i] for i in _REGION_POSITIONS)


def _key_now(filing) -> tuple:
    return tuple(getattr(filing, name) for name in KEY)


def _key_before(filing) -> tuple:
    """The key as it was loaded from the database (before this flush's changes)."""
    state = db.inspect(filing)
    values = []
    for name in KEY:
        history = state.attrs[name].history
        if history.deleted:
            values.append(history.deleted[0])
        elif history.unchanged:
            values.append(history.unchanged[0])
        else:  # unchanged and not loaded: what the filing says (loads it)
            values.append(getattr(filing, name))
    return tuple(values)


def _before_flush(session, _context, _instances) -> None:
    # A deleted filing may be expired: load its key now, while it can still be loaded.
    for obj in session.deleted:
        if isinstance(obj, Filing):
            _key_before(obj)


def _after_flush(session, _context) -> None:
    deltas = Counter()
    for obj in session.new:
        if isinstance(obj, Filing):
            deltas[_key_now(obj)] += 1
    for obj in session.deleted:
        if isinstance(obj, Filing):
            deltas[_key_before(obj)] -= 1
    for obj in session.dirty:
        if isinstance(obj, Filing) and obj not in session.deleted:
            before, now = _key_before(obj), _key_now(obj)
            if before != now:
                deltas[before] -= 1
                deltas[now] += 1
    changes = [(key, n) for key, n in deltas.items() if n]
    if changes:
        apply(session.connection(), changes)


def _sort_value(value):
    return getattr(value, "value", value)


def _upsert(connection, table, names, changes) -> None:
    for key, n in sorted(changes, key=lambda c: tuple(_sort_value(v) for v in c[0])):
        stmt = dialect_insert(table).values(**dict(zip(names, key, strict=True)), n=n)
        stmt = stmt.on_conflict_do_update(index_elements=list(names),
                                          set_={"n": table.c.n + stmt.excluded.n})
        connection.execute(stmt)


def apply(connection, changes) -> None:
    """Add each (key, delta) of *changes* to both tallies, creating missing rows."""
    by_region = Counter()
    for key, n in changes:
        by_region[_region_key(key)] += n
    _upsert(connection, FilingTally.__table__, KEY, changes)
    _upsert(connection, FilingRegionTally.__table__, REGION_KEY,
            [(key, n) for key, n in by_region.items() if n])


def counted(model=FilingTally, names=KEY) -> dict:
    """A tally as stored: key -> count (zero counts left out)."""
    rows = db.session.execute(select(*(getattr(model, name) for name in names), model.n))
    return {tuple(row[:-1]): row[-1] for row in rows if row[-1]}


def actual(names=KEY) -> dict:
    """The counts computed from the filings themselves: key -> count."""
    columns = [getattr(Filing, name) for name in names]
    rows = db.session.execute(select(*columns, func.count()).group_by(*columns))
    return {tuple(row[:-1]): row[-1] for row in rows}


def drift() -> dict:
    """Keys whose stored count differs from the filings, in either tally: key -> (stored,
    actual); a key of three values is filing_region_tally's."""
    differences = {}
    for model, names in ((FilingTally, KEY), (FilingRegionTally, REGION_KEY)):
        stored, real = counted(model, names), actual(names)
        differences.update({key: (stored.get(key, 0), real.get(key, 0))
                            for key in stored.keys() | real.keys()
                            if stored.get(key, 0) != real.get(key, 0)})
    return differences


def recount() -> int:
    """Rebuild both tallies from the filings and copy each filing's status to its meeting
    (:func:`copy_meeting_statuses`; the caller commits); returns the number of keys of
    filing_tally."""
    for model, names in ((FilingTally, KEY), (FilingRegionTally, REGION_KEY)):
        db.session.execute(delete(model))
        columns = [getattr(Filing, name) for name in names]
        db.session.execute(insert(model).from_select(
            [*names, "n"], select(*columns, func.count()).group_by(*columns)))
    copy_meeting_statuses()
    return db.session.scalar(select(func.count()).select_from(FilingTally))


def stale_meeting_statuses() -> dict:
    """Meetings whose copy of their filing's status (``meeting.filing_status``, kept by the
    ORM, models/filings.py) differs from it: filing id -> (copy, status). A status changed
    behind the ORM's back (SQL by hand, or a worker still running the code of a release
    before the copy existed) leaves one."""
    rows = db.session.execute(
        select(Meeting.filing_id, Meeting.filing_status, Filing.status)
        .join(Filing, Filing.id == Meeting.filing_id)
        .where(Meeting.filing_status != Filing.status))
    return {filing_id: (copy, status) for filing_id, copy, status in rows}


def copy_meeting_statuses() -> int:
    """Copy each meeting filing's status to its meeting where they differ; the number of
    meetings changed."""
    status = select(Filing.status).where(Filing.id == Meeting.filing_id).scalar_subquery()
    return db.session.execute(
        update(Meeting).where(Meeting.filing_status != status).values(filing_status=status)
        .execution_options(synchronize_session=False)).rowcount


cli = AppGroup("filings", help="Maintain the filings' running counts and copies.")


@cli.command("recount")
@click.option("--check", is_flag=True, help="Only report differences (exit 1 when there are).")
def recount_command(check: bool) -> None:
    """Rebuild the counts of filings per region, enterprise, kind and status, and the
    meetings' copies of their filing's status."""
    if check:
        differences = drift()
        for key, (stored, real) in sorted(differences.items(), key=str):
            click.echo(f"{key}: counted {stored}, actually {real}")
        stale = stale_meeting_statuses()
        for filing_id, (copy, status) in sorted(stale.items()):
            click.echo(f"meeting {filing_id}: copy {copy.value}, filing {status.value}")
        click.echo(f"{len(differences) + len(stale)} difference(s)")
        raise SystemExit(1 if differences or stale else 0)
    keys = recount()
    db.session.commit()
    click.echo(f"Recounted: {keys} key(s)")


def init_app(app) -> None:
    # Listeners on every Session, once per process (tests create several apps).
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
    app.cli.add_command(cli)
