"""The one filing workflow: every allowed step, and everything else refused."""

import itertools

import pytest

from portal.rules.workflow import (
    TRANSITIONS,
    Action,
    Side,
    Status,
    TransitionError,
    actions_for,
    transition,
)

ALLOWED = {
    (Status.DRAFT, Action.SUBMIT): (Status.SUBMITTED, Side.ENTERPRISE),
    (Status.RETURNED, Action.RESUBMIT): (Status.SUBMITTED, Side.ENTERPRISE),
    (Status.SUBMITTED, Action.APPROVE): (Status.APPROVED, Side.BUREAU),
    (Status.SUBMITTED, Action.RETURN): (Status.RETURNED, Side.BUREAU),
    (Status.SUBMITTED, Action.REJECT): (Status.REJECTED, Side.BUREAU),
    (Status.APPROVED, Action.AMEND): (Status.SUBMITTED, Side.ENTERPRISE),
    (Status.APPROVED, Action.WITHDRAW): (Status.WITHDRAWN, Side.ENTERPRISE),
}


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_allowed_steps(key):
    status, action = key
    target, side = ALLOWED[key]
    reasons = ["理由"] if action in (Action.RETURN, Action.REJECT) else []
    assert transition(status, action, side, reasons).target is target


ILLEGAL = [(s, a) for s, a in itertools.product(Status, Action) if (s, a) not in ALLOWED]


@pytest.mark.parametrize("status, action", ILLEGAL)
def test_everything_else_is_refused(status, action):
    for side in Side:
        with pytest.raises(TransitionError) as caught:
            transition(status, action, side, ["理由"])
        assert caught.value.code == "not_allowed"


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_the_other_side_may_not_take_the_step(key):
    status, action = key
    other = Side.BUREAU if ALLOWED[key][1] is Side.ENTERPRISE else Side.ENTERPRISE
    with pytest.raises(TransitionError) as caught:
        transition(status, action, other, ["理由"])
    assert caught.value.code == "wrong_side"


@pytest.mark.parametrize("action", [Action.RETURN, Action.REJECT])
def test_return_and_reject_need_reasons(action):
    with pytest.raises(TransitionError) as caught:
        transition(Status.SUBMITTED, action, Side.BUREAU, [])
    assert caught.value.code == "reasons_required"


def test_final_states_have_no_way_out():
    for status in (Status.REJECTED, Status.WITHDRAWN):
        assert actions_for(status, Side.ENTERPRISE) == []
        assert actions_for(status, Side.BUREAU) == []


def test_table_matches_the_documented_workflow():
    assert {(t.source, t.action): (t.target, t.side) for t in TRANSITIONS} == ALLOWED
