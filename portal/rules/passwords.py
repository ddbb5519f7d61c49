"""Password rules: long enough, with letters and digits, not the user name."""

import re


def password_problems(password: str, username: str = "", min_length: int = 10) -> list[str]:
    """Return the codes of the rules *password* breaks (empty when it is acceptable).

    Codes: ``too_short``, ``no_letter``, ``no_digit``, ``contains_username``.
    """
    problems = []
    if len(password) < min_length:
        problems.append("too_short")
    if not re.search(r"[A-Za-z]", password):
        problems.append("no_letter")
    if not re.search(r"\d", password):
        problems.append("no_digit")
    if username and username.lower() in password.lower():
        problems.append("contains_username")
    return problems
