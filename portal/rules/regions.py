"""Administrative division codes (GB/T 2260): six digits, province 2 + city 2 + district 2."""

import re

CODE_RE = re.compile(r"^\d{6}$")


def prefix_of(code: str) -> str:
    """Jurisdiction prefix of a division code: ``140000`` -> ``14``, ``140500`` -> ``1405``."""
    if not CODE_RE.match(code or ""):
        raise ValueError(f"not a six-digit division code: {code!r}")
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def code_range(prefix: str) -> tuple[str, str]:
    """The first and last six-digit code inside the area *prefix*: ``1405`` -> 140500, 140599.

    ``code BETWEEN first AND last`` selects the same divisions as ``code LIKE 'prefix%'`` but,
    unlike LIKE, can use an index on every database and collation.
    """
    return prefix.ljust(6, "0"), prefix.ljust(6, "9")


def ancestors(prefix: str) -> list[str]:
    """Codes of the divisions that contain the area of *prefix*: ``140502`` -> 140000, 140500."""
    return [prefix[:n].ljust(6, "0") for n in (2, 4) if n < len(prefix)]


def is_within(code: str, prefix: str) -> bool:
    """Whether division *code* lies inside the area *prefix* (a bureau's jurisdiction)."""
    return code.startswith(prefix)


def overlaps(code: str, prefix: str) -> bool:
    """Whether division *code* and the area *prefix* share ground (one contains the other)."""
    return code.startswith(prefix) or prefix.startswith(prefix_of(code))
