"""Reading the words in an attachment, in the worker: a PDF's own text layer (pypdf), and
text recognition (Tesseract in Dutch, English and Spanish) on each page of a PDF that has no
text layer to speak of (a scan, or a scanned page among typed ones, rendered by pdftoppm) and
on a photo. The text is stored in AttachmentText for the search,
the data-subject search and the analyst's signal page.

Reading an attachment is idempotent: an attachment that has its text is not read again. A
file that cannot be read ends as "failed" (the worker goes on); a missing tool raises, so the
sweep tries again once it is installed. Log lines carry the attachment's id, never its name or
any of its text.
"""

import io
import logging
import re
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from register.names import normalise
from signals import external_tools
from signals.external_tools import ToolFailed
from signals.models import Attachment, AttachmentText

logger = logging.getLogger(__name__)

LANGUAGES = "nld+eng+spa"
OCR_DPI = 200  # Tesseract reads best at 200-300 dpi; 200 keeps a page within seconds
OCR_MAX_PAGES = 10  # scanned pages read per file: a form is a few; a book is not read to the end
TEXT_MAX_PAGES = 200
MAX_CHARS = 200_000
# Fewer letters than this in a page's text layer means a scanned page (or one with only a few
# labels, which text recognition reads as well).
TEXT_LAYER_MIN_CHARS = 20
TOOL_TIMEOUT = 60  # seconds per pdftoppm call or Tesseract page
DEADLINE = 200  # seconds for all pages, within the task's soft time limit
IMAGE_MAX_SIDE = 4000  # larger photos are scaled down before OCR

Status, Method = AttachmentText.Status, AttachmentText.Method


class Unreadable(Exception):
    pass


def read_attachment_text(attachment_id) -> str | None:
    """Read and store the text of one attachment; returns the status, or None when the
    attachment is gone (its signal was anonymised) or its text was read before."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, signal__anonymised_at__isnull=True).first()
    if attachment is None or AttachmentText.objects.filter(attachment_id=attachment_id).exists():
        return None
    started = time.monotonic()
    text, method, pages, status = "", "", 0, Status.DONE
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
        if attachment.content_type == "application/pdf":
            text, method, pages = _read_pdf(content)
        elif attachment.content_type in {"image/jpeg", "image/png"}:
            text, method, pages = _read_image(content), Method.OCR, 1
        else:
            status = Status.SKIPPED
    except (Unreadable, ToolFailed, PyPdfError, UnidentifiedImageError, OSError,
            ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, FileNotFoundError) and error.filename in {"pdftoppm", "tesseract"}:
            raise  # the tool is missing, not the file broken: the sweep tries again
        # The type of error only: its message may quote the file.
        logger.warning("Attachment %s could not be read (%s)", attachment_id,
                       type(error).__name__)
        text, status = "", Status.FAILED
    text = _tidy(text)[:MAX_CHARS]
    stored = _store(attachment_id, text=text, method=method, pages=pages, status=status)
    if stored:
        logger.info("Attachment %s read: status %s, method %s, %d pages, %d characters, "
                    "%.1f s", attachment_id, status, method or "-", pages, len(text),
                    time.monotonic() - started)
    return status if stored else None


def record_unreadable(attachment_id) -> None:
    """A file that took the task past its time limit is not tried again by the sweep."""
    logger.warning("Attachment %s could not be read in time", attachment_id)
    _store(attachment_id, text="", method="", pages=0, status=Status.FAILED)


def _store(attachment_id, **values) -> bool:
    """Keep the text unless the attachment went meanwhile (retention) or another run of the
    task stored it first; the attachment's row is locked, so neither can happen halfway."""
    with transaction.atomic():
        if not Attachment.objects.select_for_update().filter(
                pk=attachment_id, signal__anonymised_at__isnull=True).exists():
            return False
        _, created = AttachmentText.objects.get_or_create(
            attachment_id=attachment_id,
            defaults={**values, "search_text": search_text(values["text"]),
                      "extracted_at": timezone.now()})
    return created


def _read_pdf(content: bytes) -> tuple[str, str, int]:
    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unreadable("encrypted")
    count = len(reader.pages)
    texts = []
    for page in reader.pages[:TEXT_MAX_PAGES]:
        texts.append(page.extract_text() or "")
        if sum(map(len, texts)) > MAX_CHARS:
            break
    # A page without a text layer to speak of is a scan, also among typed pages (a typed
    # statement with the signed, scanned form behind it): those pages go through OCR.
    scanned = [number for number, text in enumerate(texts)
               if len(normalise(text).replace(" ", "")) < TEXT_LAYER_MIN_CHARS]
    if not scanned:
        return "\n\n".join(texts), Method.PDF_TEXT, count
    for number, text in zip(scanned, _ocr_pdf(content, scanned[:OCR_MAX_PAGES]), strict=False):
        texts[number] = text
    return "\n\n".join(texts), Method.OCR, count


def _ocr_pdf(content: bytes, pages: list[int]) -> list[str]:
    """The text recognised on each of `pages` (numbered from 0), in that order."""
    deadline = time.monotonic() + DEADLINE
    with external_tools.workspace() as folder:
        pdf = folder / "document.pdf"
        pdf.write_bytes(content)
        texts = []
        for number in pages:
            if time.monotonic() > deadline:
                raise Unreadable("too slow")
            [image] = external_tools.pdf_pages_as_png(
                pdf, first=number + 1, last=number + 1, dpi=OCR_DPI, timeout=TOOL_TIMEOUT,
                prefix=f"page-{number}")
            texts.append(external_tools.ocr(image, languages=LANGUAGES, timeout=TOOL_TIMEOUT))
        return texts


def _read_image(content: bytes) -> str:
    with Image.open(io.BytesIO(content)) as image:
        # A phone photo is stored sideways with an orientation tag; Tesseract reads upright.
        upright = ImageOps.exif_transpose(image).convert("L")
    upright.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    with external_tools.workspace() as folder:
        path = folder / "page.png"
        upright.save(path, format="PNG")
        return external_tools.ocr(path, languages=LANGUAGES, timeout=TOOL_TIMEOUT)


_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")
_SPACES = re.compile(r"[ \t\f\v\r]+")


def _tidy(text: str) -> str:
    text = text.replace("\x00", "")
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def search_text(text: str) -> str:
    """'José  RODRÍGUEZ, Kralendijk' -> ' jose rodriguez kralendijk ': words can be found by
    their beginning with LIKE '% word%'."""
    words = normalise(text)
    return f" {words} " if words else ""


def words_of(query: str) -> list[str]:
    """The query's words as the search looks for them in search_text."""
    return normalise(query).split()


def snippet(text: str, words: list[str], *, width: int = 60) -> str:
    """A short piece of the text around the first place the words occur, for the reason
    beside a search result (shown to analysts only, never logged)."""
    if not words:
        return ""
    tokens = [(match.start(), match.end(), normalise(match.group()))
              for match in re.finditer(r"\S+", text)]
    start = end = None
    for position, (begin, finish, word) in enumerate(tokens):
        if any(part.startswith(words[0]) for part in word.split()):
            start, end = begin, finish
            # Take in the words that follow when they are the query's next words.
            for offset, wanted in enumerate(words[1:], start=1):
                if position + offset < len(tokens) and tokens[position + offset][2].startswith(
                        wanted):
                    end = tokens[position + offset][1]
            break
    if start is None:
        return ""
    left, right = max(0, start - width), min(len(text), end + width)
    piece = " ".join(text[left:right].split())
    return f"{'…' if left else ''}{piece}{'…' if right < len(text) else ''}"


def attachments_without_text(*, older_than: timedelta, limit: int):
    """Attachments of live signals never read (the worker or broker was down), oldest first."""
    return (Attachment.objects.filter(text__isnull=True, signal__anonymised_at__isnull=True,
                                      received_at__lt=timezone.now() - older_than)
            .order_by("received_at").values_list("pk", flat=True)[:limit])
