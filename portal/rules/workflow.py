"""The one filing workflow every kind shares: statuses, actions, who may take them.

```
draft ──submit──▶ submitted ──approve──▶ approved ──amend──▶ submitted (new revision)
                      │  └──return (reasons)──▶ returned ──resubmit──▶ submitted
                      └──reject (reasons)──▶ rejected
approved ──withdraw──▶ withdrawn
```
Views never set a status: they call an operation, which asks :func:`transition`.
"""

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    AMEND = "amend"
    WITHDRAW = "withdraw"


class Side(enum.StrEnum):
    """Who acts: the filing enterprise or the reviewing bureau."""

    ENTERPRISE = "enterprise"
    BUREAU = "bureau"


@dataclass(frozen=True)
class Transition:
    source: Status
    action: Action
    target: Status
    side: Side
    needs_reasons: bool = False


TRANSITIONS = [
    Transition(Status.DRAFT, Action.SUBMIT, Status.SUBMITTED, Side.ENTERPRISE),
    Transition(Status.RETURNED, Action.RESUBMIT, Status.SUBMITTED, Side.ENTERPRISE),
    Transition(Status.SUBMITTED, Action.APPROVE, Status.APPROVED, Side.BUREAU),
    Transition(Status.SUBMITTED, Action.RETURN, Status.RETURNED, Side.BUREAU, needs_reasons=True),
    Transition(Status.SUBMITTED, Action.REJECT, Status.REJECTED, Side.BUREAU, needs_reasons=True),
    Transition(Status.APPROVED, Action.AMEND, Status.SUBMITTED, Side.ENTERPRISE),
    Transition(Status.APPROVED, Action.WITHDRAW, Status.WITHDRAWN, Side.ENTERPRISE),
]
_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}

# Statuses in which the enterprise may still edit the filing's fields.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# ... and those in which saving changed fields is allowed at all (approved: as an amendment).
CHANGEABLE = EDITABLE | {Status.APPROVED}
# Statuses that end a filing's life.
FINAL = frozenset({Status.REJECTED, Status.WITHDRAWN})


class TransitionError(Exception):
    """An action that the workflow does not allow; ``code`` says why."""

    def __init__(self, code: str, status: Status, action: Action):
        super().__init__(f"{code}: {action} from {status}")
        self.code = code
        self.status = status
        self.action = action


def transition(status: Status, action: Action, side: Side, reasons=()) -> Transition:
    """The transition for *action* on a filing in *status* taken by *side*.

    :raise TransitionError: ``not_allowed`` (no such transition from this status),
        ``wrong_side`` (the other side takes this action) or ``reasons_required``.
    """
    found = _BY_KEY.get((status, action))
    if found is None:
        raise TransitionError("not_allowed", status, action)
    if found.side is not side:
        raise TransitionError("wrong_side", status, action)
    if found.needs_reasons and not reasons:
        raise TransitionError("reasons_required", status, action)
    return found


def actions_for(status: Status, side: Side) -> list[Action]:
    """The actions *side* may take on a filing in *status*, in table order."""
    return [t.action for t in TRANSITIONS if t.source is status and t.side is side]
