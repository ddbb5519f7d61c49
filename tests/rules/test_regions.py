"""Division codes and jurisdiction prefixes."""

import pytest

from portal.rules.regions import ancestors, is_within, overlaps, prefix_of


@pytest.mark.parametrize(
    "code, prefix", [("140000", "14"), ("140500", "1405"), ("140502", "140502")]
)
def test_prefix_of(code, prefix):
    assert prefix_of(code) == prefix


@pytest.mark.parametrize("bad", ["14050", "1405021", "14a500", ""])
def test_prefix_of_refuses_malformed_codes(bad):
    with pytest.raises(ValueError):
        prefix_of(bad)


def test_ancestors():
    assert ancestors("140502") == ["140000", "140500"]
    assert ancestors("1405") == ["140000"]
    assert ancestors("14") == []


def test_within_and_overlaps():
    assert is_within("140502", "1405")
    assert not is_within("140105", "1405")
    assert overlaps("140000", "1405")  # a province-wide licence reaches a city bureau
    assert overlaps("140502", "1405")
    assert not overlaps("140100", "1405")
