"""Property-based tests (hypothesis): the validators hold their promises for any input, and no
input a user can send to a form or a filter produces a server error."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.review.queue import parse_cursor
from portal.rules.claims import Source, find_claims, normalise
from portal.rules.passwords import password_problems
from portal.rules.regions import code_range, prefix_of
from portal.rules.returns import ReturnDateError, return_window
from portal.rules.trainers import id_number_error

from .factories import id_number
from .review.conftest import signed_in

# Text a user can type or a client can send: any unicode, control characters and NUL included,
# empty, very long.
TEXT = st.one_of(st.text(max_size=40), st.text(min_size=200, max_size=3000),
                 st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999999999999999", "%",
                                  "'; DROP TABLE filing;--", "<script>", "1e9", "2026-02-30",
                                  "２０２６", "\u202e", "\ud7ff", "9999-12-31", "0001-01-01", "²"]))
FAST = settings(max_examples=200, deadline=None)
WEB = settings(max_examples=25, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FAST
@given(st.text(max_size=12))
def test_a_division_prefix_is_found_or_refused_never_wrong(code):
    try:
        prefix = prefix_of(code)
    except ValueError:
        return
    first, last = code_range(prefix)
    assert code.startswith(prefix) and first <= code <= last


@FAST
@given(st.text(max_size=40))
def test_queue_cursors_are_parsed_or_refused(value):
    try:
        stamp, ident = parse_cursor(value)
    except ValueError:
        return
    assert stamp.tzinfo is not None and 0 <= ident < 10**12


@FAST
@given(st.text(max_size=24), st.dates(date(2000, 1, 1), date(2040, 1, 1)))
def test_id_numbers_are_judged_without_failing(text, today):
    assert id_number_error(text, today) is None or isinstance(id_number_error(text, today), str)


@FAST
@given(st.integers(min_value=0, max_value=8999))
def test_every_well_formed_id_number_is_accepted(n):
    assert id_number_error(id_number(n), date(2026, 12, 1)) is None


@FAST
@given(st.text(max_size=80), st.text(max_size=30))
def test_password_rules_answer_for_any_text(password, username):
    problems = password_problems(password, username)
    assert isinstance(problems, list)
    if len(password) < 10:
        assert problems


# What titles and agendas are written in: Chinese characters, Latin letters, digits, spaces and
# full-width forms (which NFKC folds), without combining marks that could join across words.
WRITTEN = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.characters(
    min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.characters(min_codepoint=0xFF10,
                                                               max_codepoint=0xFF5A)


@FAST
@given(st.text(WRITTEN, max_size=60),
       st.text(WRITTEN, min_size=1, max_size=6).filter(lambda p: normalise(p)),
       st.text(WRITTEN, max_size=60))
def test_a_banned_phrase_is_found_wherever_it_stands(before, phrase, after):
    hits = find_claims([Source("title", before + phrase + after)], [(phrase, "x")])
    assert [hit.phrase for hit in hits] == [phrase]


@FAST
@given(st.dates(date(2004, 1, 1), date(2026, 12, 1)), st.integers(0, 400),
       st.integers(30, 90), st.integers(1, 7))
def test_the_return_window_is_never_shorter_than_the_law(purchased, later, window, refund):
    requested = purchased + timedelta(days=later)
    result = return_window(purchased, requested, date(2026, 12, 1), window_days=window,
                           refund_days=refund)
    assert result.last_day.day >= purchased + timedelta(days=window)
    assert result.refund_by.day >= requested + timedelta(days=refund)
    assert result.in_time == (requested <= result.last_day.day)
    with pytest.raises(ReturnDateError):
        return_window(requested + timedelta(days=1), requested, date(2099, 1, 1))


# Forms and filters, through the application. Each answer must be below 500.


def _ok(response):
    assert response.status_code < 500, response.status_code


@WEB
@given(username=TEXT, password=TEXT)
def test_the_sign_in_form_never_fails(app, world, username, password):
    _ok(app.test_client().post("/auth/login", data={"username": username,
                                                     "password": password}))


@WEB
@given(args=st.dictionaries(st.sampled_from(
    ["q", "kind", "status", "region", "enterprise", "from", "to", "sort", "warnings",
     "flagged", "after", "before", "page"]), TEXT, max_size=6))
def test_the_review_queue_takes_any_filter(app, world, args):
    _ok(signed_in(app, "regulator").get("/review/queue", query_string=args))


@WEB
@given(args=st.dictionaries(st.sampled_from(
    ["q", "region", "status", "page", "enterprise", "purchased_on", "requested_on"]), TEXT,
    max_size=5))
def test_the_public_pages_take_any_query(app, world, args):
    client = app.test_client()
    for url in ("/public/enterprises", "/public/returns", "/public/checks"):
        _ok(client.get(url, query_string=args))


@WEB
@given(args=st.dictionaries(st.sampled_from(
    ["actor", "action", "object_type", "object_id", "from", "to", "before", "after"]), TEXT,
    max_size=5))
def test_the_audit_viewer_takes_any_filter(app, world, args):
    _ok(signed_in(app, "admin").get("/admin/audit", query_string=args))


@WEB
@given(data=st.fixed_dictionaries({}, optional={key: TEXT for key in (
    "name", "premises_type", "address", "region_code", "person_in_charge", "phone",
    "opening_hours", "proof_document_id", "version")}))
def test_the_outlet_form_never_fails(app, world, data):
    _ok(signed_in(app, "ent-staff").post("/enterprise/outlets/new", data=data))


@WEB
@given(data=st.fixed_dictionaries({}, optional={key: TEXT for key in (
    "enterprise_id", "facts", "provisions", "corrections", "deadline_kind", "working_days",
    "deadline", "version")}))
def test_the_notice_form_never_fails(app, world, data):
    _ok(signed_in(app, "regulator").post("/notices/new", data=data))


@WEB
@given(data=st.fixed_dictionaries({}, optional={key: TEXT for key in (
    "kind", "title", "starts_at", "ends_at", "venue_premises_type", "venue_name",
    "venue_address", "region_code", "expected_attendance", "audience", "trainers", "fee",
    "contact_name", "contact_phone", "sessions-0-topic", "sessions-0-minutes", "version",
    "material_ids")}))
def test_the_meeting_form_never_fails(app, world, data):
    _ok(signed_in(app, "ent-staff").post("/enterprise/meetings/new", data=data))


@WEB
@given(data=st.fixed_dictionaries({}, optional={key: TEXT for key in (
    "code", "article_zh", "article_en", "penalty_zh", "penalty_en", "suggested_for",
    "position")}))
def test_the_provision_form_never_fails(app, world, data):
    _ok(signed_in(app, "admin").post("/admin/provisions/new", data=data))
