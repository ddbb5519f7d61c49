"""E-mails wait on the database session until its transaction commits; a rollback drops them.

Operations call :func:`queue_email` inside the transaction that makes the change. When the
session commits, the waiting messages become ``send_email`` tasks on the queue; when it rolls
back, they are forgotten, so no e-mail ever tells of a change that did not happen.
"""

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from .. import tasks

log = logging.getLogger(__name__)
KEY = "portal.outbox"


def queue_email(session, to: str, subject: str, body: str) -> None:
    """Send this e-mail once *session*'s transaction has committed."""
    session.info.setdefault(KEY, []).append((to, subject, body))


def pending(session) -> list[tuple[str, str, str]]:
    """The e-mails waiting for *session* to commit."""
    return list(session.info.get(KEY, ()))


def _after_commit(session) -> None:
    for to, subject, body in session.info.pop(KEY, ()):
        try:
            tasks.enqueue("send_email", to, subject, body)
        except Exception:  # the change is committed; a lost e-mail must not turn it into a 500
            log.exception("could not queue an e-mail to %s", to)


def _after_soft_rollback(session, previous_transaction) -> None:
    # A rolled-back savepoint leaves the outer transaction (and its e-mails) alive.
    if not previous_transaction.nested:
        session.info.pop(KEY, None)


def init_app(app) -> None:
    """Listen to every session's commits and rollbacks (once per process)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)
