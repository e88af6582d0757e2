"""An analyst exports a worklist as she filtered it: a CSV or Excel file with the
classification marking, after giving her password again, audited with what left."""

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.dossiers import dossier_open, dossier_restrict
from register.middleware import SESSION_CONFIRMED
from register.models import AuditEvent
from signals.models import Signal
from tests.personas import persona
from tests.register.test_sessions_and_account_management import age_session
from tests.signals.builders import file_signal


@pytest.fixture
def three(db):
    kmar = persona("reporter_kmar")
    return [file_signal(kmar, island="saba"), file_signal(kmar, island="saba"),
            file_signal(kmar, island="bonaire")]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


@override_settings(REPORT_CLASSIFICATION="Departementaal vertrouwelijk")
def test_a_csv_export_holds_the_filtered_list_under_the_classification_marking(three,
                                                                             as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:inbox_export", args=["csv"]),
                                           {"island": "saba"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="signals-')
    rows = csv_rows(response)
    assert rows[0][0] == "DEPARTEMENTAAL VERTROUWELIJK"
    assert rows[2][0] == "Reference"  # the header, in the analyst's language
    assert sorted(row[0] for row in rows[3:]) == sorted(s.reference for s in three[:2])


@override_settings(REPORT_CLASSIFICATION="Departementaal vertrouwelijk")
def test_an_excel_export_has_the_same_rows_and_the_marking_on_every_printed_page(three,
                                                                               as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:inbox_export", args=["xlsx"]),
                                           {"island": "saba"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "DEPARTEMENTAAL VERTROUWELIJK"
    assert sheet.oddHeader.center.text == "DEPARTEMENTAAL VERTROUWELIJK"
    assert sorted(row[0] for row in rows[3:]) == sorted(s.reference for s in three[:2])


def test_an_export_is_audited_with_the_ids_that_left_and_the_filters(three, as_user):
    as_user("analyst_kpcn").get(reverse("casework:inbox_export", args=["csv"]),
                                {"island": "bonaire"})
    event = AuditEvent.objects.get(action="signals.inbox.exported")
    assert event.result_ids == [str(three[2].pk)]
    assert event.detail == {"format": "csv", "view": "open", "filters": {"island": "bonaire"}}


def test_an_export_asks_for_the_password_again_after_five_minutes(three, as_user):
    client = as_user("analyst_kpcn")
    age_session(client, SESSION_CONFIRMED, 301)
    url = reverse("casework:dossiers_export", args=["xlsx"])
    response = client.get(url)
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert not AuditEvent.objects.filter(action="register.dossier.exported").exists()


def test_an_export_never_holds_a_signal_or_dossier_hidden_by_need_to_know(db, as_user):
    kpcn = persona("analyst_kpcn")
    hidden, shown = (file_signal(persona("reporter_kmar")) for _ in range(2))
    secret = dossier_open(actor=kpcn, signals=[hidden], title="Secret case")
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn])
    dossier_open(actor=kpcn, signals=[shown], title="Open case")
    Signal.objects.update(received_at=timezone.now() - dt.timedelta(days=60))
    other = as_user("analyst_om")
    signals = csv_rows(other.get(reverse("casework:inbox_export", args=["csv"]),
                                 {"view": "overdue"}))
    assert [row[0] for row in signals[3:]] == [shown.reference]
    dossiers = csv_rows(other.get(reverse("casework:dossiers_export", args=["csv"])))
    assert [row[1] for row in dossiers[3:]] == ["Open case"]


def test_a_cell_that_starts_like_a_formula_is_written_as_text(db, as_user):
    dossier_open(actor=persona("analyst_kpcn"), signals=[file_signal(persona("reporter_kmar"))],
                 title='=HYPERLINK("http://example.invalid","open")')
    rows = csv_rows(as_user("analyst_kpcn").get(reverse("casework:dossiers_export",
                                                        args=["csv"])))
    assert rows[3][1] == '\'=HYPERLINK("http://example.invalid","open")'


def test_an_unknown_export_format_is_not_found(db, as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:inbox_export", args=["pdf"]))
    assert response.status_code == 404


def test_only_analysts_export(db, as_user):
    for name in ("reporter_kmar", "coordinator", "manager"):
        response = as_user(name).get(reverse("casework:inbox_export", args=["csv"]))
        assert response.status_code == 403
