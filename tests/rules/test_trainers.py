"""Trainer rules: DSR Art. 19 eligibility, the one-year count (29 February), ID numbers."""

from datetime import date

import pytest
from stdnum.cn import ric

from portal.models import Degree
from portal.rules.trainers import (
    add_years,
    check_trainer,
    eligible_from,
    id_number_error,
    mask_id_number,
)

TODAY = date(2026, 6, 1)


def trainer(**changes):
    facts = {"employment_start": date(2020, 1, 1), "degree": Degree.BACHELOR,
             "is_formal_employee": True, "has_criminal_record": False,
             "is_mainland_resident": True, "id_number": valid_id(), "certificate_no": "PXY-1",
             "on": TODAY}
    facts.update(changes)
    return check_trainer(**facts)


def codes(problems):
    return [(p.code, p.basis, p.field, p.is_error) for p in problems]


def valid_id(region="140502", born="19880315", seq="123"):
    first17 = region + born + seq
    return first17 + ric.calc_check_digit(first17 + "X")


def test_an_eligible_trainer_has_no_problems():
    assert trainer() == []
    for degree in (Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE):
        assert trainer(degree=degree) == []


@pytest.mark.parametrize("changes, code, field", [
    ({"is_formal_employee": False}, "trainer_not_formal_employee", "is_formal_employee"),
    ({"degree": Degree.ASSOCIATE}, "trainer_degree_too_low", "degree"),
    ({"has_criminal_record": True}, "trainer_criminal_record", "has_criminal_record"),
    ({"is_mainland_resident": False}, "trainer_not_mainland_resident", "is_mainland_resident"),
    ({"employment_start": date(2025, 12, 1)}, "trainer_service_too_short", "employment_start"),
])
def test_each_condition_of_article_19_is_refused_with_its_basis(changes, code, field):
    assert codes(trainer(**changes)) == [(code, "DSR-19", field, True)]


def test_a_hong_kong_macao_or_taiwan_permit_number_is_not_mainland_even_if_declared():
    for prefix in ("810000", "820000", "830000"):
        assert codes(trainer(id_number=valid_id(prefix))) == [
            ("trainer_not_mainland_resident", "DSR-19", "is_mainland_resident", True)]


def test_a_missing_certificate_number_is_only_a_warning_citing_train_4():
    assert codes(trainer(certificate_no=None)) == [
        ("trainer_certificate_missing", "TRAIN-4", "certificate_no", False)]
    assert codes(trainer(certificate_no="  ")) == codes(trainer(certificate_no=None))


def test_one_year_of_service_counts_to_the_same_day_next_year():
    start = date(2025, 3, 10)
    refused = trainer(employment_start=start, on=date(2026, 3, 9))
    assert [p.code for p in refused] == ["trainer_service_too_short"]
    assert refused[0].params == {"years": 1, "date": "2026-03-10"}
    assert trainer(employment_start=start, on=date(2026, 3, 10)) == []


def test_started_on_29_february_qualifies_on_28_february_of_a_common_year():
    start = date(2024, 2, 29)
    assert eligible_from(start) == date(2025, 2, 28)
    assert [p.code for p in trainer(employment_start=start, on=date(2025, 2, 27))] == [
        "trainer_service_too_short"]
    assert trainer(employment_start=start, on=date(2025, 2, 28)) == []
    # Four years later 29 February exists again.
    assert eligible_from(start, 4) == date(2028, 2, 29)


def test_on_29_february_one_year_back_is_28_february():
    on = date(2028, 2, 29)
    assert trainer(employment_start=date(2027, 2, 28), on=on) == []
    assert [p.code for p in trainer(employment_start=date(2027, 3, 1), on=on)] == [
        "trainer_service_too_short"]


def test_the_service_period_is_a_setting():
    start = date(2024, 1, 1)
    assert trainer(employment_start=start, min_years=2) == []
    assert trainer(employment_start=start, min_years=3)[0].params["years"] == 3
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)


def test_a_valid_id_number_is_accepted_also_with_a_lower_case_x():
    assert id_number_error(valid_id(), TODAY) is None
    # 140105 (小店区) exists since 1997; a number issued there later to someone born in 1988
    # is valid although stdnum's own validate() refuses it.
    assert id_number_error(valid_id("140105"), TODAY) is None
    with_x = next(valid_id(seq=f"{n:03d}") for n in range(1000)
                  if valid_id(seq=f"{n:03d}").endswith("X"))
    assert id_number_error(with_x.lower(), TODAY) is None


@pytest.mark.parametrize("number, error", [
    ("", "format"),
    ("14050219880315123", "format"),
    ("1405021988031512345", "format"),
    ("14050219880315123A", "format"),
    ("1405021988031512Y0", "format"),
])
def test_malformed_id_numbers_are_refused(number, error):
    assert id_number_error(number, TODAY) == error


def test_a_wrong_check_digit_is_refused():
    number = valid_id()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert id_number_error(wrong, TODAY) == "checksum"


def test_an_impossible_or_future_birth_date_is_refused():
    assert id_number_error(valid_id(born="19880230"), TODAY) == "birth_date"
    assert id_number_error(valid_id(born="20270101"), TODAY) == "birth_date"


def test_an_unknown_region_code_is_refused_but_permits_pass_to_the_rule():
    assert id_number_error(valid_id("999999"), TODAY) == "region"
    assert id_number_error(valid_id("810000"), TODAY) is None


def test_masking_keeps_the_first_and_last_four_characters():
    assert mask_id_number("14050219900307123X") == "1405**********123X"
    assert mask_id_number("1234") == "****"
    assert mask_id_number(None) == ""
