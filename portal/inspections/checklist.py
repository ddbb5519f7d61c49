"""The checklist PDF (检查表) of one spot check: A4, the check's facts, every item with its legal
basis and boxes for pass / fail / not applicable, notes, signatures and a QR code to the check.

The QR code is made here as SVG (segno, pure Python) and embedded as a data: URI, so the render
never reaches the network. A rendered PDF is kept in memory keyed by the SHA-256 of its HTML
(portal.pdf.render_pdf_cached): the same inputs give the same bytes without a second render.
"""

import segno
from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from ..models import Check, Outlet
from ..pdf import render_pdf_cached


def qr_data_uri(url: str) -> str:
    """A QR code for *url* as an SVG data: URI (black on white, quiet zone included)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def context(check: Check, base_url: str | None = None) -> dict:
    """The template context of ``templates/pdf/checklist.html``.

    *base_url* is the portal's address for the QR code's link (default: PORTAL_BASE_URL or
    the request's; a background task, which has no request, passes it).
    """
    from .checks import absolute_check_url

    url = absolute_check_url(check, base_url)
    outlet = (db.session.scalar(select(Outlet).where(Outlet.filing_id == check.outlet_filing_id))
              if check.outlet_filing_id else None)
    return {
        "check": check,
        "plan": check.plan,
        "enterprise": check.enterprise,
        "outlet": outlet,
        "items": check.plan.items,
        "inspectors": check.inspectors,
        "url": url,
        "qr": qr_data_uri(url),
        "locale": str(get_locale()),
    }


def render(check: Check) -> bytes:
    """The checklist PDF of *check* in the current language."""
    return render_pdf_cached("pdf/checklist.html", **context(check))
