"""The report request form never makes a report for a period the requester did not choose."""

import re

import pytest
from django.urls import reverse

from register.models import AuditEvent
from reporting.models import Report


def date_inputs(html: str) -> list[str]:
    return re.findall(r'<input type="date" name="period_(?:start|end)"[^>]*>', html)


def test_the_report_form_proposes_no_period(as_user):
    page = as_user("coordinator").get(reverse("reporting:archive")).content.decode()

    inputs = date_inputs(page)
    assert len(inputs) == 2
    assert not any("value=" in tag for tag in inputs), inputs


@pytest.mark.parametrize("sent", [
    {"period_start": "", "period_end": ""},
    {},  # a browser sends nothing for a field it cannot show
], ids=["empty", "absent"])
def test_a_report_request_without_dates_is_refused_next_to_the_fields(as_user, sent):
    response = as_user("coordinator").post(reverse("reporting:archive"), {
        "kind": "annual", "language": "en", **sent})

    assert response.status_code == 200
    page = response.content.decode()
    for field, message in (("period_start", "Enter the first day of the period."),
                           ("period_end", "Enter the last day of the period.")):
        # Next to the field, and in the summary at the top with a link to the field.
        assert re.search(rf'id="id_{field}_error"><li>{re.escape(message)}', page), field
        assert re.search(rf'<a href="#id_{field}">[^<]*: {re.escape(message)}</a>', page), field
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reporting.report").exists()


def test_a_report_request_with_only_a_start_is_refused(as_user):
    response = as_user("coordinator").post(reverse("reporting:archive"), {
        "kind": "annual", "language": "en", "period_start": "2025-01-01", "period_end": ""})

    assert "Enter the last day of the period." in response.content.decode()
    assert not Report.objects.exists()
