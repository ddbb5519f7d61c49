"""The one PDF renderer: templates/pdf/*.html through WeasyPrint, local resources only.

Fonts come from the system's fontconfig (``make install`` puts Noto CJK there); one
FontConfiguration is shared per process, which keeps memory flat across renders. The URL
fetcher serves only the portal's own static files, so a document can never reach the network.
"""

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
    static = Path(current_app.static_folder)
    html = render_template(template, **context)
    document = HTML(
        string=html, base_url=static.resolve().as_uri() + "/", url_fetcher=StaticOnlyFetcher(static)
    )
    return document.write_pdf(font_config=font_configuration())
