"""Files like the ones partners send: a scanned paper form (PNG), the same scan as a PDF
without a text layer, and a PDF with text. Drawn once per test process (OCR tests reuse one
small image), with a synthetic name that exists in no other test."""

import io
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

# Invented; the search and subject-search tests look for these words.
SCANNED_NAME = ("Marisol", "Quintero")
SCANNED_LINES = ("SIGNAALFORMULIER", f"Naam: {' '.join(SCANNED_NAME)}",
                 "Werkplaats: bar Caracola")
TEXT_PDF_WORDS = "Verklaring van Ernesto Valderrama over de boot Esmeralda"

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _font(size: int):
    return ImageFont.truetype(str(_FONT), size) if _FONT.exists() else ImageFont.load_default(
        size)


@cache
def scan_png() -> bytes:
    """Black words, 48 px high, on a white page: what a phone photo of a form becomes after
    cropping, small enough that Tesseract reads it in about a second."""
    image = Image.new("L", (1100, 330), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(SCANNED_LINES):
        draw.text((40, 30 + row * 95), line, fill=0, font=_font(48))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@cache
def scan_pdf() -> bytes:
    """The same scan as a PDF holding only the picture (no text layer), as a scanner makes."""
    with Image.open(io.BytesIO(scan_png())) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PDF", resolution=150)
    return out.getvalue()


@cache
def text_pdf() -> bytes:
    """A PDF with a text layer, made by WeasyPrint as a partner's system would."""
    from weasyprint import HTML

    return HTML(string=f"<p>{TEXT_PDF_WORDS}</p><p>Pagina twee volgt.</p>").write_pdf()


@cache
def typed_and_scanned_pdf() -> bytes:
    """A typed statement with the scanned form behind it: a text page, then a picture page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in (text_pdf(), scan_pdf()):
        for page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
