"""Bounded offset pagination for every list of the portal."""

from flask import abort, current_app, request

from .extensions import db

# Deeper pages are refused: nobody reads them, and SQLite cannot even bind such offsets.
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100


def paginate(stmt, per_page: int | None = None, arg: str = "page"):
    """One page of *stmt* for the ``?page=`` of the request (404 past the last page).

    :raise 404: the page number is out of range.
    """
    page = request.args.get(arg, 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return db.paginate(stmt, page=page, per_page=per_page or current_app.config["PAGE_SIZE"],
                       max_per_page=MAX_PER_PAGE)
