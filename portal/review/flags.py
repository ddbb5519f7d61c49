"""Flags: a regulator's concern about a filing (pyramid-selling hallmarks and others).

Flags are independent of the filing's status and never change the filing row, so raising one
cannot collide with a decision taken at the same moment. Views commit.
"""

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..models import BUREAU_ROLES, Filing, FilingFlag, FlagCategory, utcnow

MAX_NOTE = 2000


class FlagError(Exception):
    """The flag cannot be raised or cleared; ``code`` says why (the view translates it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _note(text) -> str:
    note = (text or "").strip()
    if not note:
        raise FlagError("note_required")
    if len(note) > MAX_NOTE:
        raise FlagError("note_too_long")
    return note


def parse_category(value) -> FlagCategory:
    """:raise FlagError: *value* is not a category."""
    try:
        return FlagCategory(value)
    except ValueError:
        raise FlagError("category_unknown") from None


def raise_flag(filing: Filing, category: FlagCategory, note, actor) -> FilingFlag:
    """Flag *filing*; one open flag per category (a second one is refused).

    :raise FlagError: no note, a note too long, or an open flag of this category exists.
    """
    note = _note(note)
    if db.session.scalar(select(FilingFlag.id).where(
        FilingFlag.filing_id == filing.id, FilingFlag.category == category,
        FilingFlag.cleared_at.is_(None),
    )):
        raise FlagError("already_flagged")
    flag = FilingFlag(filing_id=filing.id, category=category, note=note, raised_by_id=actor.id)
    db.session.add(flag)
    db.session.flush()
    audit.record("filing.flagged", filing, actor=actor, number=filing.number,
                 flag_id=flag.id, category=category.value)
    return flag


def clear_flag(flag: FilingFlag, note, actor) -> FilingFlag:
    """Close *flag* with the regulator's note on what was found.

    :raise FlagError: no note, or the flag is already cleared.
    """
    note = _note(note)
    # Conditional on the flag being open, so of two regulators clearing at once one wins and
    # the other is told, rather than overwriting the first one's note.
    cleared = db.session.execute(
        update(FilingFlag)
        .where(FilingFlag.id == flag.id, FilingFlag.cleared_at.is_(None))
        .values(cleared_at=utcnow(), cleared_by_id=actor.id, cleared_note=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not cleared:
        raise FlagError("already_cleared")
    db.session.refresh(flag)
    audit.record("filing.flag_cleared", flag.filing, actor=actor, number=flag.filing.number,
                 flag_id=flag.id, category=flag.category.value)
    return flag


# Read on every filing page of bureau staff: built once, so SQLAlchemy works out its cache key
# once.
FLAGS_OF = (select(FilingFlag).where(FilingFlag.filing_id == bindparam("filing_id"))
            .options(joinedload(FilingFlag.raised_by), joinedload(FilingFlag.cleared_by))
            .order_by(FilingFlag.cleared_at.is_not(None), FilingFlag.raised_at.desc()))


def flags_of(filing: Filing, user) -> list[FilingFlag]:
    """The filing's flags, open first then newest, for bureau staff; nothing for anyone else."""
    if user.role not in BUREAU_ROLES:
        return []
    return list(db.session.scalars(FLAGS_OF, {"filing_id": filing.id}))


# Whether the filing of the enclosing statement has an open flag (a column for the queue and
# its export; ix_filing_flag_filing_cleared answers it).
HAS_OPEN_FLAG = (select(FilingFlag.id)
                 .where(FilingFlag.filing_id == Filing.id, FilingFlag.cleared_at.is_(None))
                 .exists())
