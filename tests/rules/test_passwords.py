"""Password rules."""

from portal.rules.passwords import password_problems


def test_good_password_passes():
    assert password_problems("Correct-horse-42", "alice") == []


def test_each_rule_reports_its_code():
    assert password_problems("short1", "") == ["too_short"]
    assert password_problems("12345678901", "") == ["no_letter"]
    assert password_problems("abcdefghijk", "") == ["no_digit"]
    assert password_problems("alice-secret-1", "alice") == ["contains_username"]
