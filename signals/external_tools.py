"""Running poppler and Tesseract on an attachment's bytes: in a private temporary folder under
neutral names, with a time limit, and never with a file name or any of the text in a log line
or an error message (their output is personal data)."""

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

# A larger "photo" is a decompression bomb: Pillow refuses it (for the OCR and the preview).
Image.MAX_IMAGE_PIXELS = 80_000_000


class ToolFailed(Exception):
    """The tool could not read the file (corrupt, too big, too slow): the file's fault."""


@contextmanager
def workspace():
    """A folder only this process reads, removed with everything in it afterwards."""
    with tempfile.TemporaryDirectory(prefix="attachment-") as folder:
        yield Path(folder)


def run(argv: list[str], *, timeout: float) -> bytes:
    """Standard output of the tool; ToolFailed when it fails or runs out of time. A missing
    tool (FileNotFoundError) is the installation's fault and is raised as it is."""
    # One thread per Tesseract: the worker's processes share the machine's cores.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        finished = subprocess.run(argv, capture_output=True, timeout=timeout, check=False,
                                  env=env)
    except subprocess.TimeoutExpired:
        raise ToolFailed(f"{Path(argv[0]).name} took longer than {timeout:.0f} s") from None
    if finished.returncode != 0:
        # stderr may quote the file's contents: only the exit code is kept.
        raise ToolFailed(f"{Path(argv[0]).name} exited with {finished.returncode}")
    return finished.stdout


def pdf_pages_as_png(pdf: Path, *, first: int, last: int, dpi: int, timeout: float,
                     scale_to: int | None = None, prefix: str = "page") -> list[Path]:
    """Pages first..last of the PDF as PNG files, in page order (named by `prefix`, so the
    pages of one call are not mixed with another's in the same folder)."""
    prefix = pdf.with_name(f"{pdf.stem}-{prefix}")
    size = ["-scale-to", str(scale_to)] if scale_to else ["-r", str(dpi)]
    run(["pdftoppm", "-f", str(first), "-l", str(last), *size, "-png", str(pdf), str(prefix)],
        timeout=timeout)
    # pdftoppm pads the page number to the width of the last page's number.
    return sorted(pdf.parent.glob(f"{prefix.name}-*.png"),
                  key=lambda path: int(path.stem.rsplit("-", 1)[1]))


def ocr(image: Path, *, languages: str, timeout: float) -> str:
    """The text Tesseract reads in the image."""
    return run(["tesseract", str(image), "stdout", "-l", languages], timeout=timeout).decode(
        "utf-8", errors="replace")
