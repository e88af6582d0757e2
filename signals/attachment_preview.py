"""Showing an attachment in the page instead of only downloading it: every page becomes a
PNG drawn here (a photo scaled down and stripped of its metadata, a PDF page rendered by
pdftoppm), so the browser never runs the file itself (its PDF viewer cannot run in a
sandbox). Made on request within limits: a few pages, a bounded size, a time limit."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from signals import external_tools
from signals.external_tools import ToolFailed
from signals.models import Attachment, AttachmentText

PREVIEW_PAGES = 5
PREVIEW_SIZE = 1200  # pixels on the longest side: readable, and small to send
RENDER_TIMEOUT = 20


class NoPreview(Exception):
    """The file cannot be shown (corrupt, too large, too slow)."""


def preview_pages(attachment: Attachment) -> int:
    """How many pages the preview shows (0 when the file cannot be shown)."""
    if attachment.content_type != "application/pdf":
        return 1
    known = AttachmentText.objects.filter(attachment=attachment, pages__gt=0).values_list(
        "pages", flat=True).first()
    if known is None:
        try:
            with attachment.file.open("rb") as handle:
                known = len(PdfReader(io.BytesIO(handle.read())).pages)
        except (PyPdfError, OSError, ValueError):
            return 0
    return min(known, PREVIEW_PAGES)


def preview_png(attachment: Attachment, page: int) -> bytes:
    """One page of the attachment as a PNG; NoPreview when it cannot be drawn."""
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
        if attachment.content_type == "application/pdf":
            return _pdf_page(content, page)
        return _image(content)
    except (ToolFailed, OSError, ValueError, UnidentifiedImageError,
            Image.DecompressionBombError) as error:
        if isinstance(error, FileNotFoundError) and error.filename == "pdftoppm":
            raise
        raise NoPreview(type(error).__name__) from None


def _pdf_page(content: bytes, page: int) -> bytes:
    with external_tools.workspace() as folder:
        pdf = folder / "document.pdf"
        pdf.write_bytes(content)
        images = external_tools.pdf_pages_as_png(pdf, first=page, last=page, dpi=0,
                                                  scale_to=PREVIEW_SIZE,
                                                  timeout=RENDER_TIMEOUT)
        if not images:
            raise NoPreview("no such page")
        return images[0].read_bytes()


def _image(content: bytes) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
        # Drawn anew as PNG: no EXIF (a phone photo's location), nothing but pixels.
        drawn = upright.convert("RGB")
    out = io.BytesIO()
    drawn.save(out, format="PNG", optimize=False)
    return out.getvalue()
