"""Return and exchange policy rules (DSR Art. 25, DISC Art. 5) and version selection."""

from datetime import UTC, date, datetime

from portal.rules.policies import (
    Limits,
    Terms,
    Version,
    VersionRole,
    check_policy,
    compare_terms,
    pick_current,
    version_roles,
)
from portal.rules.problems import Severity

ALL_PLACES = ("enterprise", "branch", "outlet", "seller")


def terms(**changes) -> Terms:
    values = {"consumer_return_days": 30, "seller_return_days": 30, "requires_unopened": True,
              "refund_days": 7, "return_places": ALL_PLACES,
              "effective_on": date(2026, 3, 1)}
    values.update(changes)
    return Terms(**values)


def codes(problems):
    return [(p.code, p.basis, p.field) for p in problems]


def test_a_policy_with_the_legal_minimums_is_accepted():
    assert check_policy(terms(), has_document=True, submitted_on=date(2026, 2, 1)) == []


def test_more_generous_terms_are_accepted():
    generous = terms(consumer_return_days=90, seller_return_days=60, refund_days=3,
                     requires_unopened=False)
    assert check_policy(generous, has_document=True) == []


def test_a_missing_document_is_refused():
    assert codes(check_policy(terms(), has_document=False)) == [
        ("policy_document_missing", "DSR-25", "document")]


def test_consumer_window_shorter_than_30_days_is_refused():
    problems = check_policy(terms(consumer_return_days=29), has_document=True)
    assert codes(problems) == [("policy_consumer_window_short", "DSR-25-1",
                                "consumer_return_days")]
    assert problems[0].params == {"days": 29, "min": 30}
    assert problems[0].is_error


def test_seller_window_shorter_than_30_days_is_refused():
    problems = check_policy(terms(seller_return_days=15), has_document=True)
    assert codes(problems) == [("policy_seller_window_short", "DSR-25-2", "seller_return_days")]
    assert problems[0].params == {"days": 15, "min": 30}


def test_refund_time_longer_than_7_days_is_refused():
    problems = check_policy(terms(refund_days=8), has_document=True)
    assert codes(problems) == [("policy_refund_too_slow", "DSR-25-1", "refund_days")]
    assert problems[0].params == {"days": 8, "max": 7}


def test_every_return_place_is_required():
    problems = check_policy(terms(return_places=("enterprise", "outlet")), has_document=True)
    assert codes(problems) == [("policy_return_places_missing", "DSR-25-1", "return_places")]
    assert problems[0].params == {"places": ("branch", "seller")}
    assert codes(check_policy(terms(return_places=()), has_document=True))[0][0] == \
        "policy_return_places_missing"


def test_limits_are_settings_a_bureau_can_change():
    local = Limits(min_consumer_return_days=45, min_seller_return_days=40, max_refund_days=5)
    problems = check_policy(terms(consumer_return_days=40, seller_return_days=40, refund_days=6),
                            has_document=True, limits=local)
    assert [p.code for p in problems] == ["policy_consumer_window_short",
                                          "policy_refund_too_slow"]
    assert problems[0].params["min"] == 45 and problems[1].params["max"] == 5


def test_an_effective_date_before_submission_is_a_warning_not_an_error():
    problems = check_policy(terms(effective_on=date(2026, 1, 31)), has_document=True,
                            submitted_on=date(2026, 2, 1))
    assert codes(problems) == [("policy_effective_in_past", "DISC-5", "effective_on")]
    assert problems[0].severity is Severity.WARNING and not problems[0].is_error
    assert problems[0].params == {"date": "2026-01-31", "submitted": "2026-02-01"}


def test_an_effective_date_on_the_submission_day_or_later_is_fine():
    for effective_on in (date(2026, 2, 1), date(2026, 5, 1)):
        assert check_policy(terms(effective_on=effective_on), has_document=True,
                            submitted_on=date(2026, 2, 1)) == []
    # Without a submission day (a decided filing) the date is not checked.
    assert check_policy(terms(effective_on=date(2020, 1, 1)), has_document=True) == []


def at(day):
    return datetime(2026, 1, day, 9, tzinfo=UTC)


def test_the_current_version_is_the_latest_effective_approved_one():
    versions = [
        Version(1, True, date(2025, 1, 1), at(1)),
        Version(2, True, date(2026, 1, 1), at(2)),
        Version(3, False, date(2026, 1, 15), None),  # not approved (e.g. under review)
        Version(4, True, date(2026, 6, 1), at(3)),  # approved, effective later
    ]
    assert pick_current(versions, date(2026, 3, 1)).filing_id == 2
    assert pick_current(versions, date(2026, 6, 1)).filing_id == 4
    assert pick_current(versions, date(2024, 12, 31)) is None
    assert version_roles(versions, date(2026, 3, 1)) == {
        1: VersionRole.PREVIOUS, 2: VersionRole.CURRENT, 4: VersionRole.SCHEDULED}
    assert version_roles(versions, date(2026, 7, 1))[2] is VersionRole.PREVIOUS


def test_the_same_effective_date_goes_to_the_later_decision():
    versions = [Version(7, True, date(2026, 1, 1), at(5)), Version(8, True, date(2026, 1, 1),
                                                                     at(4))]
    assert pick_current(versions, date(2026, 2, 1)).filing_id == 7


def test_comparison_marks_changed_terms_and_ignores_the_order_of_places():
    a = {"title": "制度", "consumer_return_days": 30, "refund_days": 7,
         "return_places": ["seller", "enterprise", "branch", "outlet"]}
    b = {"title": "制度", "consumer_return_days": 45, "refund_days": 7,
         "return_places": ["enterprise", "branch", "outlet", "seller"]}
    rows = {row.key: row for row in compare_terms(a, b)}
    assert rows["consumer_return_days"].is_changed
    assert (rows["consumer_return_days"].a, rows["consumer_return_days"].b) == (30, 45)
    assert not rows["title"].is_changed
    assert not rows["return_places"].is_changed
    assert not rows["refund_days"].is_changed
    assert [row.key for row in compare_terms(a, b)][0] == "title"
