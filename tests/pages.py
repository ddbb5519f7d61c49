"""Read rendered form pages in tests: which options a select offers, what an input holds."""

import re


def select_options(page: str, name: str) -> dict[str, bool]:
    """The options of the ``<select name=…>`` in *page*: {value: selected}."""
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select named {name}"
    return {
        value: "selected" in attrs
        for attrs, value in re.findall(r'<option ([^>]*?)value="([^"]*)"', match.group(1))
    }


def input_value(page: str, name: str) -> str | None:
    """The value of the ``<input name=…>`` in *page*, or None when it has none."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None
