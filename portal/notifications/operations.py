"""Create notifications, mark them read, and keep each user's choices. Functions flush.

:func:`filing_changed` is the one hook the filing workflow calls (``filings.operations.apply``):
it decides who hears of a transition. :func:`notify` writes the in-app rows in the caller's
transaction and queues the e-mails for after its commit (see :mod:`.outbox`).
"""

from flask_babel import force_locale
from sqlalchemy import func, or_, select, update

from .. import audit
from ..extensions import db
from ..i18n import LANGUAGES
from ..i18n import gettext as _
from ..models import (
    Bureau,
    Filing,
    Notification,
    NotificationKind,
    NotificationPreference,
    Role,
    User,
    utcnow,
)
from ..rules.regions import ancestors
from ..rules.workflow import Action
from . import outbox
from .messages import SUBJECTS, filing_url, notice_url, render

# (in_app, email) when the user has not chosen.
DEFAULTS = {kind: (True, True) for kind in NotificationKind}
# The kinds each role can receive (and so choose on the preferences page).
ROLE_KINDS = {
    Role.REGULATOR: (NotificationKind.FILING_SUBMITTED, NotificationKind.NOTICE,
                     NotificationKind.DEADLINE),
    Role.ENTERPRISE_ADMIN: (NotificationKind.FILING_DECIDED, NotificationKind.NOTICE,
                           NotificationKind.DEADLINE),
    Role.ENTERPRISE_STAFF: (NotificationKind.FILING_DECIDED, NotificationKind.DEADLINE),
}
SUBMIT_MESSAGES = {
    Action.SUBMIT: "filing_submitted",
    Action.RESUBMIT: "filing_resubmitted",
    Action.AMEND: "filing_amended",
}
DECISION_MESSAGES = {
    Action.APPROVE: "filing_approved",
    Action.RETURN: "filing_returned",
    Action.REJECT: "filing_rejected",
}
# The navbar badge counts at most this many unread notifications ("99+").
BADGE_CAP = 99


def filing_params(filing: Filing) -> dict:
    """The message parameters describing *filing* (rendered later, in the reader's language)."""
    return {"kind": filing.kind.value, "number": filing.number, "title": filing.title,
            "enterprise": filing.enterprise.name}


def reviewing_regulators(region_code: str) -> list[User]:
    """The active regulators of the most local active bureau whose jurisdiction holds the code.

    The same bureaus whose scope shows the filing (``access``); of those, the most local one
    with active regulators reviews it, so a provincial bureau hears only when no city or
    district bureau has anybody.
    """
    codes = [region_code, *ancestors(region_code)]
    rows = db.session.execute(
        select(User, Bureau).join(Bureau, User.bureau_id == Bureau.id).where(
            User.role == Role.REGULATOR, User.is_active_account.is_(True),
            Bureau.is_active.is_(True), Bureau.region_code.in_(codes),
        ).order_by(User.id)
    ).all()
    by_prefix: dict[str, list[User]] = {}
    for user, bureau in rows:
        if region_code.startswith(bureau.jurisdiction_prefix):
            by_prefix.setdefault(bureau.jurisdiction_prefix, []).append(user)
    return by_prefix[max(by_prefix, key=len)] if by_prefix else []


def enterprise_recipients(filing: Filing) -> list[User]:
    """The filing's creator and the enterprise's administrators, if active."""
    return list(db.session.scalars(
        select(User).where(
            User.enterprise_id == filing.enterprise_id, User.is_active_account.is_(True),
            or_(User.id == filing.created_by_id, User.role == Role.ENTERPRISE_ADMIN),
        ).order_by(User.id)
    ))


def filing_changed(filing: Filing, action: Action, actor) -> list[Notification]:
    """Workflow hook: tell the bureau of a submission, the enterprise of a decision."""
    if action in SUBMIT_MESSAGES:
        recipients = reviewing_regulators(filing.region_code)
        kind, message = NotificationKind.FILING_SUBMITTED, SUBMIT_MESSAGES[action]
    elif action in DECISION_MESSAGES:
        recipients = enterprise_recipients(filing)
        kind, message = NotificationKind.FILING_DECIDED, DECISION_MESSAGES[action]
    else:
        return []
    recipients = [u for u in recipients if actor is None or u.id != actor.id]
    return notify(recipients, kind, message, filing_params(filing), filing)


def preferences_for(user_ids, kind: NotificationKind) -> dict[int, tuple[bool, bool]]:
    """(in_app, email) of each user for *kind*, defaults filled in."""
    chosen = {
        p.user_id: (p.in_app, p.email)
        for p in db.session.scalars(select(NotificationPreference).where(
            NotificationPreference.user_id.in_(list(user_ids)),
            NotificationPreference.kind == kind,
        ))
    } if user_ids else {}
    return {uid: chosen.get(uid, DEFAULTS[kind]) for uid in user_ids}


def notify(users, kind: NotificationKind, message: str, params: dict,
           filing: Filing | None = None, notice=None) -> list[Notification]:
    """Notify *users* as each one chose for *kind*: an in-app row, an e-mail after commit.

    The notification links to *filing* or to *notice* (a rectification notice).
    """
    users = [u for u in dict.fromkeys(users) if u.is_active_account]
    choices = preferences_for([u.id for u in users], kind)
    created = []
    for user in users:
        in_app, email = choices[user.id]
        if in_app:
            created.append(Notification(user_id=user.id, kind=kind, message=message,
                                        params=params, filing_id=filing.id if filing else None,
                                        notice_id=notice.id if notice else None,
                                        created_at=utcnow()))
        if email and user.email:
            outbox.queue_email(db.session, user.email,
                               *compose_email(user, kind, message, params, filing, notice))
    db.session.add_all(created)
    db.session.flush()
    return created


def compose_email(user: User, kind: NotificationKind, message: str, params: dict,
                  filing: Filing | None, notice=None) -> tuple[str, str]:
    """Subject and body of the e-mail for *user*, in the user's language."""
    with force_locale(LANGUAGES.get(user.locale or "zh", LANGUAGES["zh"])):
        subject = _("%(subject)s · Direct-Selling Compliance Portal", subject=SUBJECTS[kind])
        lines = [_("Dear %(name)s,", name=user.display_name), "", render(message, params)]
        if filing is not None:
            lines += ["", _("Open the filing: %(url)s", url=filing_url(filing.id))]
        if notice is not None:
            lines += ["", _("Open the notice: %(url)s", url=notice_url(notice.id))]
        lines += ["", _("You can choose which notifications you receive by e-mail on the "
                        "portal's notification settings page.")]
    return subject, "\n".join(lines) + "\n"


def unread_count(user, cap: int = BADGE_CAP + 1) -> int:
    """How many unread notifications *user* has, counting no further than *cap*."""
    inner = select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    ).limit(cap).subquery()
    return db.session.scalar(select(func.count()).select_from(inner))


def mark_read(notification: Notification, actor) -> bool:
    """Mark one of *actor*'s notifications read; False when it already was."""
    if notification.read_at is not None:
        return False
    notification.read_at = utcnow()
    audit.record("notification.read", notification, actor=actor)
    db.session.flush()
    return True


def mark_all_read(actor) -> int:
    """Mark every unread notification of *actor* read; returns how many."""
    count = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if count:
        audit.record("notification.read_all", actor, actor=actor, count=count)
    db.session.flush()
    return count


def kinds_for(user) -> tuple[NotificationKind, ...]:
    """The kinds of notification *user*'s role can receive."""
    return ROLE_KINDS.get(user.role, ())


def preferences_of(user) -> dict[NotificationKind, tuple[bool, bool]]:
    """(in_app, email) for each kind *user* can receive, defaults filled in."""
    return {kind: preferences_for([user.id], kind)[user.id] for kind in kinds_for(user)}


def set_preferences(user, choices: dict, actor) -> dict:
    """Store *user*'s (in_app, email) per kind; audit what changed; returns the changes."""
    current = preferences_of(user)
    changes = {}
    for kind in kinds_for(user):
        wanted = tuple(bool(v) for v in choices.get(kind, current[kind]))
        if wanted == current[kind]:
            continue
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=kind)
            db.session.add(row)
        row.in_app, row.email = wanted
        changes[kind.value] = {"in_app": wanted[0], "email": wanted[1]}
    if changes:
        audit.record("notification.preferences", user, actor=actor, changes=changes)
    db.session.flush()
    return changes
