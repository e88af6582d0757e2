"""HTML to PDF/A with WeasyPrint, fetching nothing but the app's own static files.

Report content comes from the register, which is filled by partners: treat it as untrusted.
The URL fetcher refuses file://, http:// and everything else, so a reference planted in a
signal can never read a file from the server or call out to the network.
"""

import logging
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:"
logger = logging.getLogger(__name__)


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:<path>` from the app's static files; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=set(), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            name = url[len(STATIC_PREFIX):].lstrip("/")
            path = finders.find(name) if ".." not in Path(name).parts else None
            if path:
                mime = "text/css" if name.endswith(".css") else "application/octet-stream"
                return URLFetcherResponse(url, Path(path).read_bytes(),
                                          {"Content-Type": mime})
        self.refused.append(url[:100])
        logger.warning("PDF rendering refused to fetch a resource")
        raise ValueError("refused")


def render_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """A PDF/A-3b document from trusted templates filled with untrusted data."""
    fetcher = fetcher or StaticOnlyFetcher()
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/a-3b")
