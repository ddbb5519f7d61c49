"""The one PDF renderer: templates/pdf/*.html through WeasyPrint, local resources only.

Fonts come from the system's fontconfig (``make install`` puts Noto CJK there); one
FontConfiguration is shared per process, which keeps memory flat across renders. The URL
fetcher serves only the portal's own static files, so a document can never reach the network.
"""

import hashlib
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher


class ExternalResourceError(FatalURLFetchingError):
    """A PDF template asked for something outside the portal's static folder."""


class StaticOnlyFetcher(URLFetcher):
    """Fetches files inside *static* and data: URLs; refuses everything else."""

    def __init__(self, static: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.static = static.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if self.static in path.parents and path.is_file():
                return super().fetch(url, headers)
        elif parts.scheme == "data":
            return super().fetch(url, headers)
        raise ExternalResourceError(url)


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    return FontConfiguration()


def render_pdf(template: str, **context) -> bytes:
    """Render ``templates/<template>`` with *context* into PDF bytes."""
    return html_to_pdf(render_template(template, **context))


# Rendered PDFs by the SHA-256 of their HTML (and the static folder), most recent last.
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 64


def render_pdf_cached(template: str, **context) -> bytes:
    """:func:`render_pdf`, served from a per-process cache when the HTML is the same.

    The HTML is all a render depends on besides the static files (style sheets, fonts), so a
    document whose HTML has not changed is the same document. The key also holds the static
    folder, so two apps never share an entry. Use only for templates without a time stamp.
    """
    html = render_template(template, **context)
    key = hashlib.sha256(f"{current_app.static_folder}\0{html}".encode()).hexdigest()
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    pdf = html_to_pdf(html)
    with _CACHE_LOCK:
        _CACHE[key] = pdf
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return pdf


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document whose relative URLs point into the static folder."""
    static = Path(current_app.static_folder)
    document = HTML(
        string=html, base_url=static.resolve().as_uri() + "/", url_fetcher=StaticOnlyFetcher(static)
    )
    return document.write_pdf(font_config=font_configuration())
