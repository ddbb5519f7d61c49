"""The meeting rules as pure functions: lead time (calendar and Chinese working days), venue,
fee, trainers, schedule, attendance, and the claims checker."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal.rules import claims
from portal.rules import meetings as rules
from portal.rules.premises import Premises
from portal.rules.problems import Severity
from portal.rules.workflow import Status

from .helpers import china


def codes(problems):
    return [p.code for p in problems]


# ---- lead time -------------------------------------------------------------------------------

def test_calendar_days_count_every_day():
    assert rules.earliest_start(date(2026, 9, 28), 7, False) == date(2026, 10, 5)
    assert rules.earliest_start(date(2026, 10, 1), 7, False) == date(2026, 10, 8)


def test_working_days_skip_national_day_and_count_the_make_up_saturday():
    # Filed Monday 28 September 2026: 29, 30 September are working days, 1–7 October are the
    # National Day holiday, 8 and 9 October are working days and Saturday 10 October is a
    # make-up working day (调休).
    assert rules.earliest_start(date(2026, 9, 28), 5, True) == date(2026, 10, 10)
    # The same five days counted as calendar days end in the middle of the holiday.
    assert rules.earliest_start(date(2026, 9, 28), 5, False) == date(2026, 10, 3)
    assert rules.is_working_day(date(2026, 10, 10)) is True  # Saturday, make-up day
    assert rules.is_working_day(date(2026, 10, 11)) is False  # Sunday
    assert rules.is_working_day(date(2026, 10, 1)) is False


def test_lead_time_accepts_on_the_earliest_day_and_refuses_the_day_before():
    lead = rules.LeadTime(5, True)
    submitted = china(2026, 9, 28, 16)
    assert rules.check_lead_time(china(2026, 10, 10, 9), submitted, lead) == []
    [problem] = rules.check_lead_time(china(2026, 10, 9, 14), submitted, lead)
    assert problem.code == "lead_time_working_days"
    assert problem.basis == "TRAIN-10"
    assert problem.params == {"days": 5, "earliest": "2026-10-10"}
    # Counted in calendar days, 9 October is far enough ahead.
    assert rules.check_lead_time(china(2026, 10, 9, 14), submitted, rules.LeadTime(5)) == []


def test_lead_time_uses_the_date_in_china_not_in_utc():
    # 1 October 00:30 in Beijing is still 30 September in UTC.
    submitted = china(2026, 10, 1, 0, 30)
    assert rules.check_lead_time(china(2026, 10, 8, 9), submitted, rules.LeadTime()) == []
    assert codes(rules.check_lead_time(china(2026, 10, 7, 9), submitted, rules.LeadTime())) == [
        "lead_time_calendar_days"]


def test_a_year_the_calendar_does_not_know_is_a_clear_problem_not_a_crash():
    first, last = rules.known_years()
    submitted = china(last, 12, 28)
    [problem] = rules.check_lead_time(china(last + 1, 2, 1), submitted, rules.LeadTime(5, True))
    assert problem.code == "lead_time_calendar_unknown"
    assert problem.params == {"days": 5, "year": last + 1, "last": last}
    with pytest.raises(rules.CalendarUnknownError):
        rules.add_working_days(date(last, 12, 28), 10)
    # Calendar days need no holiday data.
    assert rules.check_lead_time(china(last + 1, 2, 1), submitted, rules.LeadTime(5)) == []


def test_working_days_known_before_the_unknown_year_are_enough():
    _first, last = rules.known_years()
    # Filed in early December: five working days are reached within the known year.
    assert rules.check_lead_time(china(last + 1, 3, 1), china(last, 12, 1),
                                 rules.LeadTime(5, True)) == []


# ---- venue, fee, trainers, schedule, attendance ---------------------------------------------

@pytest.mark.parametrize("premises", sorted(rules.FORBIDDEN_FOR_MEETINGS))
def test_forbidden_premises(premises):
    assert codes(rules.check_venue(premises, "140502", {"140502"})) == [
        "meeting_premises_forbidden"]


def test_allowed_premises_in_a_district_with_an_approved_outlet():
    assert rules.check_venue(Premises.HOTEL, "140502", {"140502"}) == []


def test_a_district_without_an_outlet_is_refused_even_in_the_same_city():
    [problem] = rules.check_venue(Premises.HOTEL, "140525", {"140502"})
    assert (problem.code, problem.basis, problem.field) == (
        "meeting_without_outlet", "TRAIN-9", "region_code")


def test_fee_must_be_zero():
    assert rules.check_fee(Decimal("0")) == []
    [problem] = rules.check_fee(Decimal("10"))
    assert (problem.code, problem.basis, problem.params) == ("meeting_fee", "TRAIN-7",
                                                             {"fee": "10.00"})


def test_trainers_must_be_approved_and_of_the_same_enterprise():
    ok = rules.TrainerFacts("甲", 1, Status.APPROVED)
    pending = rules.TrainerFacts("乙", 1, Status.SUBMITTED)
    foreign = rules.TrainerFacts("丙", 2, Status.APPROVED)
    assert rules.check_trainers([ok], 1) == []
    found = rules.check_trainers([ok, pending, foreign], 1)
    assert [(p.code, p.params["name"], p.basis) for p in found] == [
        ("trainer_not_approved", "乙", "TRAIN-4"), ("trainer_not_approved", "丙", "TRAIN-4")]
    assert codes(rules.check_trainers([], 1)) == ["meeting_without_trainer"]


def test_end_after_start():
    start = china(2026, 12, 1, 9)
    assert rules.check_schedule(start, start + timedelta(hours=1)) == []
    assert codes(rules.check_schedule(start, start)) == ["meeting_ends_before_start"]


def test_attendance_at_least_one_and_under_the_cap():
    assert rules.check_attendance(1, None) == []
    assert rules.check_attendance(200, 200) == []
    assert codes(rules.check_attendance(0, None)) == ["attendance_required"]
    [problem] = rules.check_attendance(201, 200)
    assert (problem.code, problem.params) == ("attendance_over_cap", {"cap": 200,
                                                                      "expected": 201})


def test_attendance_report_only_after_an_approved_meeting_ended():
    end = china(2026, 11, 1, 12)
    after = end + timedelta(minutes=1)
    assert rules.attendance_report_problems(Status.APPROVED, end, after) == []
    assert codes(rules.attendance_report_problems(Status.APPROVED, end, end - timedelta(1))) == [
        "attendance_before_end"]
    assert codes(rules.attendance_report_problems(Status.SUBMITTED, end, after)) == [
        "attendance_meeting_not_approved"]


def test_check_meeting_collects_everything():
    start = china(2026, 12, 20, 9)
    facts = rules.MeetingFacts(
        enterprise_id=1, starts_at=start, ends_at=start - timedelta(hours=1),
        submitted_at=china(2026, 12, 18), premises=Premises.SCHOOL, region_code="140525",
        fee=Decimal("5"), expected_attendance=0, trainers=(), outlet_districts=frozenset(),
    )
    assert codes(rules.check_meeting(facts)) == [
        "meeting_ends_before_start", "lead_time_calendar_days", "meeting_premises_forbidden",
        "meeting_without_outlet", "attendance_required", "meeting_without_trainer", "meeting_fee"]


# ---- claims ----------------------------------------------------------------------------------

PHRASES = [("根治", "false_product_claim"), ("月入过万", "income_promise"),
           ("研讨会", "disguised_training"), ("Get Rich", "income_promise")]


def test_claims_are_found_in_every_place_and_once_per_source():
    sources = [
        claims.Source(claims.Place.TITLE, "财富研讨会"),
        claims.Source(claims.Place.AGENDA, "如何根治高血压，根治！", 2),
        claims.Source(claims.Place.MATERIAL, "加入即可月\n入 过 万，get  rich fast", "讲义.pdf"),
        claims.Source(claims.Place.AGENDA, "直销管理条例解读", 3),
    ]
    hits = claims.find_claims(sources, PHRASES)
    assert [(h.phrase, h.place, h.ref) for h in hits] == [
        ("研讨会", claims.Place.TITLE, None),
        ("根治", claims.Place.AGENDA, 2),
        ("月入过万", claims.Place.MATERIAL, "讲义.pdf"),
        ("Get Rich", claims.Place.MATERIAL, "讲义.pdf"),
    ]


def test_full_width_text_matches():
    hits = claims.find_claims([claims.Source(claims.Place.TITLE, "ＧＥＴ ＲＩＣＨ")], PHRASES)
    assert [h.phrase for h in hits] == ["Get Rich"]


def test_claim_problems_are_warnings_with_their_article():
    hits = claims.find_claims([claims.Source(claims.Place.TITLE, "月入过万研讨会")], PHRASES)
    found = claims.claim_problems(hits, lambda hit: hit.place.value)
    assert [(p.code, p.basis, p.severity, p.params["place"]) for p in found] == [
        ("claim_income_promise", "TRAIN-8", Severity.WARNING, "title"),
        ("claim_disguised_training", "TRAIN-3", Severity.WARNING, "title"),
    ]
    assert not any(p.is_error for p in found)
