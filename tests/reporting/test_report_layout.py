"""The PDF a ministry receives: nothing runs off the page in any language, every figure of
the MoU table is on its page, names instead of codes, and the marking on every page.

The pages are turned into images with pdftoppm (poppler-utils) and looked at: the margin
strips beside the text must hold no ink. Text is read back with pypdf.
"""

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageFont

from casework.dossiers import dossier_open, dossier_person_update
from controls.services import control_plan, control_record
from reporting.charts import LABEL_WIDTH, bar_chart, label_lines
from reporting.content import classification, report_context
from reporting.figures import Period
from reporting.models import Report, ReportKind
from reporting.pdf import render_pdf
from reporting.tasks import make_report
from tests.personas import persona
from tests.reporting.builders import YEAR
from tests.signals.builders import file_signal

DPI = 50
MARGIN_MM = 18  # left and right page margin in report.css
# Long names in every language: the longest country names, and more than one table page.
NATIONALITIES = ["CD", "VC", "GS", "UM", "DO", "HT", "CO", "GY", "SR", "JM", "CN", "IN",
                 "PH", "NG", "VE"]

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm (poppler-utils) is not installed")


@pytest.fixture
def busy_year(register_year):
    """register_year, plus victims of fifteen nationalities and a held control."""
    analyst = persona("analyst_kpcn")
    persons = [{"role": "victim", "given_names": f"N{n}", "family_name": "Layout",
                "sex": "male", "nationality": code, "estimated_age": 30}
               for n, code in enumerate(NATIONALITIES)]
    signal = file_signal(persona("reporter_szw"), forms=["labour_exploitation"],
                         persons=persons)
    dossier = dossier_open(actor=analyst, signals=[signal], title="Layout")
    for role in dossier.persons.all():
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": "presumed", "identified_on": dt.date(YEAR, 3, 1)})
    kmar = persona("reporter_kmar")
    control = control_plan(actor=kmar, participants=[], businesses=[], values={
        "island": "bonaire", "place": "X", "sector": "construction",
        "planned_on": dt.date(YEAR, 3, 1), "initiating_organisation": kmar.organisation,
        "directing_organisation": analyst.organisation, "goal": "g"})
    control_record(actor=kmar, control=control, status="held", took_part=[kmar.organisation],
                   values={"held_on": dt.date(YEAR, 3, 1), "persons_checked": 1,
                           "businesses_checked": 1, "arrests": 0, "fines": 0})
    return dossier


def make(language: str, kind: str = "annual", period: Period | None = None) -> Report:
    period = period or Period.year(YEAR)
    report = Report.objects.create(kind=kind, period_start=period.start,
                                   period_end=period.end, language=language)
    make_report.apply(args=[str(report.pk)])
    report.refresh_from_db()
    assert report.status == "done", report.error
    return report


def pages_text(report: Report) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(report.file.path).pages]


def page_images(report: Report, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", report.file.path,
                    str(folder / "page")], check=True, timeout=120)
    return [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]


def ink_in_strip(image: Image.Image, left: int, right: int) -> list[tuple[int, int]]:
    """Pixels darker than paper between columns left and right (exclusive)."""
    pixels = image.load()
    return [(x, y) for x in range(left, right) for y in range(image.height)
            if pixels[x, y] < 235]


@needs_poppler
@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_nothing_runs_into_the_side_margins_in_any_language(busy_year, language, tmp_path):
    report = make(language, kind="annual")
    images = page_images(report, tmp_path)
    margin = round(MARGIN_MM / 25.4 * DPI)
    slack = round(2 / 25.4 * DPI)  # anti-aliasing of a glyph that ends on the edge
    assert len(images) >= 4
    for number, image in enumerate(images, start=1):
        right = ink_in_strip(image, image.width - margin + slack, image.width)
        left = ink_in_strip(image, 0, margin - slack)
        assert not right, f"{language}: page {number} has ink in its right margin {right[:3]}"
        assert not left, f"{language}: page {number} has ink in its left margin {left[:3]}"


@needs_poppler
def test_the_quarterly_report_fits_its_pages_too(busy_year, tmp_path):
    report = make("pap", kind="quarterly", period=Period.quarter(YEAR, 1))
    margin = round(MARGIN_MM / 25.4 * DPI)
    slack = round(2 / 25.4 * DPI)
    for image in page_images(report, tmp_path):
        assert not ink_in_strip(image, image.width - margin + slack, image.width)


def test_every_mou_figure_is_on_the_page_with_names_not_codes(busy_year, settings):
    settings.REPORT_CLASSIFICATION = ""
    report = make("en")
    pages = pages_text(report)
    mou_page = next(text for text in pages[2:] if "MoU art. 4 figures" in text)
    lines = mou_page.splitlines()
    # This year: 7 + 15 victims, 2 suspects, 3 investigations, 1 prosecution, 2 verdicts,
    # 1 conviction; a year before: 1 victim; counts below 5 suppressed. Every column,
    # the last (convictions) included, is on the page.
    assert [str(YEAR), "22", "<5", "<5", "<5", "<5", "<5"] in [line.split() for line in lines]
    assert [str(YEAR - 1), "<5", "0", "0", "0", "0", "0"] in [line.split() for line in lines]
    text = "\n".join(pages)
    assert "Congo (the Democratic Republic of the)" in text or "Congo - Kinshasa" in text \
        or "Democratic Republic of the Congo" in text
    assert "Venezuela" in text
    assert "Koninklijke Marechaussee (KMar)" in text
    for code in (" VE ", " CD ", "kmar", "KMAR", " szw", "kpcn "):
        assert code not in text.replace("\n", " "), code


def test_every_page_carries_the_classification_and_the_managing_organisation(busy_year,
                                                                               settings):
    settings.REPORT_CLASSIFICATION = ""
    pages = pages_text(make("nl"))
    for number, text in enumerate(pages, start=1):
        assert "DEPARTEMENTAAL VERTROUWELIJK" in text.upper(), number
        assert "Korps Politie Caribisch Nederland (KPCN)" in text, number
    cover = pages[0]
    assert "Jaarlijkse voortgangsrapportage" in cover or "rapportage" in cover.lower()
    assert f"{YEAR}" in cover


def test_the_classification_is_as_configured(busy_year, settings):
    settings.REPORT_CLASSIFICATION = "Stg. Confidentieel"
    pages = pages_text(make("en"))
    assert all("STG. CONFIDENTIEEL" in text.upper() for text in pages)


def _dejavu() -> ImageFont.FreeTypeFont:
    found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True,
                           text=True, check=False).stdout if shutil.which("fc-match") else ""
    if not found.endswith(".ttf"):
        pytest.skip("DejaVu Sans is not installed")
    return ImageFont.truetype(found, 12)


def test_a_chart_label_wraps_instead_of_being_cut():
    font = _dejavu()
    label = "Eksplotashon laboral (trabou forsá, sirbidumbre) i otro forma di eksplotashon"
    lines = label_lines(label)
    assert len(lines) > 1 and " ".join(lines) == label
    # Measured in the chart's own font: every line fits the label column.
    assert all(font.getlength(line) <= LABEL_WIDTH - 8 for line in lines)
    widest = "W" * 40
    assert all(font.getlength(line) <= LABEL_WIDTH - 8 for line in label_lines(widest)), \
        "even a line of the widest letters fits"
    svg = bar_chart("t", [(label, 12), ("Saba", "<5")])
    assert all(part in svg for part in lines)


CAPTIONS = ["By sector", "By reporting organisation", "Follow-up by organisation", "By sex",
            "By age band", "By nationality", "By form of exploitation"]


def in_language(language: str) -> tuple[set, set]:
    """The margin boxes' texts and the table captions, as the report writes them."""
    with translation.override(language):
        margins = {classification().upper(), gettext("Draft, not for distribution"),
                   "Korps Politie Caribisch Nederland (KPCN)",
                   str(dict(ReportKind.choices)["annual"])}
        captions = {gettext(caption) for caption in CAPTIONS}
        captions.add(f"{gettext('Category')} {gettext('Count')}")
    return margins, captions


def body_items(page, margins: set) -> list[tuple[float, str]]:
    """(font size, text) of what a page shows, in document order, without its margin boxes
    (WeasyPrint draws those after the page's content)."""
    items = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            items.append((round(size * (tm[0] or 1) * (cm[0] or 1), 1), text.strip()))

    page.extract_text(visitor_text=visit)
    while items and (items[-1][1] in margins or re.fullmatch(r"\d+ / \d+", items[-1][1])):
        items.pop()  # the margin boxes: classification, organisation, title, page number
    return items


@pytest.mark.parametrize("language", ["pap"])
def test_no_heading_or_caption_is_left_alone_at_the_foot_of_a_page(busy_year, language):
    margins, captions = in_language(language)
    report = make(language)
    for number, page in enumerate(pypdf.PdfReader(report.file.path).pages[2:], start=3):
        items = body_items(page, margins)
        assert items, number
        size, text = items[-1]
        assert size < 14, f"{language}: page {number} ends with the heading {text!r}"
        assert text not in captions, f"{language}: page {number} ends with the caption {text!r}"


CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="590" height="300" class="chart">'
         '<rect width="500" height="300"/></svg>')
ROWS = "".join(f"<tr><td>Row {n}</td><td class='n'>{n}</td></tr>" for n in range(10))


@pytest.mark.parametrize("follows", [
    f"<p>Signals received: 40.</p>{CHART}",
    f"<table class='counts small'><tbody>{ROWS}</tbody></table>"])
@pytest.mark.parametrize("filler_mm", [200, 230])
def test_a_heading_near_the_page_foot_moves_on_with_what_follows_it(follows, filler_mm):
    """As the report template writes a section (heading and what follows in div.keep), with
    the report's style sheet: the heading is never left behind on the page before."""
    html = ('<html><head><link rel="stylesheet" href="static:reporting/report.css"></head>'
            f'<body><div class="filler" style="height: {filler_mm}mm">Above</div>'
            f'<div class="keep"><h2>Kept heading</h2>{follows}</div></body></html>')
    pages = [page.extract_text() for page in
             pypdf.PdfReader(io.BytesIO(render_pdf(html))).pages]
    assert len(pages) == 2
    assert "Kept heading" not in pages[0] and "Kept heading" in pages[1]


def test_every_section_heading_of_the_report_is_kept_with_what_follows(busy_year):
    with translation.override("en"):
        context = report_context("annual", Period.year(YEAR))
        html = render_to_string("reporting/report.html", {
            **context, "language": "en", "made_on": dt.date(YEAR, 12, 31), "threshold": 5,
            "draft": True, "commentary": "Text", "version": 1})
    body = html.split("</nav>", 1)[1]
    headings = re.findall(r"(<[^>]+>)\s*<h2 id=\"(\w+)\"", body)
    assert len(headings) == 7
    for opener, name in headings:
        assert opener in ('<div class="keep">', '<section class="wide">'), name
