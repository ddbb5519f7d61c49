"""Outlet rules: premises and approved regions."""

from portal.rules.outlets import check_outlet
from portal.rules.premises import Premises


def codes(problems):
    return [(p.code, p.basis, p.field) for p in problems]


def test_shop_inside_an_approved_city_is_accepted():
    assert check_outlet(Premises.SHOP, "140502", ["140500"]) == []


def test_province_wide_approval_covers_every_district():
    assert check_outlet(Premises.OFFICE, "140105", ["140000"]) == []


def test_forbidden_premises_are_refused_with_the_article():
    for premises in (Premises.PRIVATE_HOME, Premises.SCHOOL, Premises.HOSPITAL,
                     Premises.MILITARY, Premises.GOVERNMENT, Premises.RESIDENTIAL):
        assert codes(check_outlet(premises, "140502", ["140500"])) == [
            ("premises_forbidden", "OUT-2", "premises_type")
        ]


def test_region_outside_the_licence_is_refused():
    assert codes(check_outlet(Premises.SHOP, "140105", ["140500"])) == [
        ("outside_approved_regions", "OUT-3", "region_code")
    ]
