"""Dates are written so no reader can take the day for the month (1 Dec 2026, not 12/01/2026)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from register.services.notifications import notify
from tests.personas import persona

# The 2nd of January: read month-first it would be the 1st of February.
DAY = dt.date(2026, 1, 2)
MOMENT = dt.datetime(2026, 1, 2, 16, 5)
FORMATS = ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"]


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("language", ["en", "nl", "pap"])
def test_no_language_writes_the_month_before_the_day(language, name):
    with translation.override(language):
        text = formats.date_format(MOMENT if "TIME" in name else DAY, name)
    assert not re.search(r"\b0?1[/.-]0?2\b", text), text
    assert re.match(r"0?2\b", text), text


def test_english_dates_name_the_month():
    with translation.override("en"):
        assert formats.date_format(dt.date(2026, 12, 1), "SHORT_DATE_FORMAT") == "1 Dec 2026"
        assert formats.date_format(dt.date(2026, 12, 1)) == "1 December 2026"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "2 Jan 2026 16:05"


def test_an_english_date_typed_month_first_is_not_taken_for_the_day():
    from django import forms

    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("2026-12-01") == dt.date(2026, 12, 1)
        assert field.clean("1 Dec 2026") == dt.date(2026, 12, 1)
        with pytest.raises(forms.ValidationError):
            field.clean("12/01/2026")


def test_no_template_forces_a_numeric_month_first_date():
    templates = Path(settings.BASE_DIR) / "templates"
    forced = []
    for path in templates.rglob("*.html"):
        for pattern in re.findall(r"""\|date:["']([^"']+)["']""", path.read_text()):
            if pattern.isupper() or pattern == "Y-m-d":  # named formats; ISO for <input>
                continue
            if re.search(r"[mn].*[dj]", pattern):
                forced.append((path.name, pattern))
    assert forced == []


def test_an_english_page_shows_dates_with_the_month_as_a_word(as_user):
    notify(users=[persona("reporter_szw")], event="controls.control.planned",
           params={"ref": "CO-7", "date": "2026-12-01", "island": "bonaire"})
    page = as_user("reporter_szw", language="en").get(reverse("notifications")).content.decode()
    # The time it arrived (today) and the date of the control, both day first.
    assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}\b", page)
    assert "1 December 2026" in page
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", page)
