"""Unusual reading, found in the audit trail once a day and raised to the auditors: opening far
more than the role's threshold and the account's usual day, reading at night, many name
searches without opening a dossier. An alert holds ids and counts, never personal data."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import AuditEvent, Notification, ReadingAlert
from register.services.audit import audit_record
from register.services.reading_alerts import reading_alerts_compute
from tests.personas import persona

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def at(monkeypatch):
    """Write audit events as if at a local time of DAY (or another day)."""

    def write(hour: int, action: str, object_id, *, actor="analyst_kpcn", day=DAY):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 5)))
        monkeypatch.setattr("register.services.audit.timezone",
                            SimpleNamespace(now=lambda: moment))
        audit_record(actor=persona(actor), action=action, object_type="register.person",
                     object_id=object_id)
        monkeypatch.undo()

    return write


def test_opening_more_than_the_threshold_and_the_usual_day_raises_one_alert(db, settings, at):
    settings.READING_DAILY_THRESHOLDS = {"analyst": 5}
    for day_back in (1, 2):  # a usual day: two persons
        for pk in (1, 2):
            at(10, "register.person.viewed", pk, day=DAY - dt.timedelta(days=day_back))
    for pk in range(1, 9):  # today: eight persons, one of them twice
        at(10, "register.person.viewed", pk)
    at(11, "register.person.viewed", 1)
    at(11, "register.person.viewed", 1, actor="analyst_om")
    alerts = reading_alerts_compute(DAY)
    assert [(a.user, a.kind, a.count, a.threshold, a.usual) for a in alerts] == [
        (persona("analyst_kpcn"), "volume", 8, 5, 2)]
    auditor_told = Notification.objects.get(user=persona("auditor"))
    assert auditor_told.event == "register.reading.unusual"
    assert auditor_told.params == {"count": "1", "date": DAY.isoformat()}
    assert reading_alerts_compute(DAY) == []  # a day computed twice adds nothing
    assert ReadingAlert.objects.count() == 1


def test_a_heavy_reader_whose_usual_day_is_as_heavy_raises_nothing(db, settings, at):
    settings.READING_DAILY_THRESHOLDS = {"analyst": 5}
    for pk in range(1, 8):
        at(10, "register.person.viewed", pk, day=DAY - dt.timedelta(days=1))
        at(10, "register.person.viewed", pk)
    assert reading_alerts_compute(DAY) == []


def test_reading_at_night_raises_an_alert_with_its_count(db, settings, at):
    settings.READING_NIGHT_START, settings.READING_NIGHT_END = 22, 6
    at(23, "register.dossier.viewed", 4)
    at(2, "register.person.viewed", 5)
    at(12, "register.person.viewed", 6)
    (alert,) = reading_alerts_compute(DAY)
    assert (alert.kind, alert.count) == ("night", 2)


def test_many_name_searches_without_opening_a_dossier_raise_an_alert(db, settings, at):
    settings.READING_NAME_SEARCHES = 3
    for _ in range(3):
        at(10, "register.search.performed", "")
        at(10, "register.search.performed", "", actor="analyst_om")
    at(11, "register.dossier.viewed", 7, actor="analyst_om")
    (alert,) = reading_alerts_compute(DAY)
    assert (alert.user, alert.kind, alert.count) == (persona("analyst_kpcn"), "name_searches", 3)


def test_the_auditors_see_the_alerts_without_personal_data_and_it_is_audited(db, settings, at,
                                                                                as_user):
    settings.READING_NIGHT_START, settings.READING_NIGHT_END = 22, 6
    at(23, "register.person.viewed", 4)
    (alert,) = reading_alerts_compute(DAY)
    page = as_user("auditor").get(reverse("reading_alerts")).content.decode()
    assert "analyst.kpcn" in page
    listed = AuditEvent.objects.get(action="register.reading_alert.listed")
    assert listed.result_ids == [str(alert.pk)]
    assert as_user("analyst_kpcn").get(reverse("reading_alerts")).status_code == 403


def an_alert():
    return ReadingAlert.objects.create(user=persona("analyst_kpcn"), day=DAY, kind="night",
                                       count=4, threshold=1)


def test_an_auditor_records_what_was_found_and_the_review_is_audited(as_user):
    alert = an_alert()
    auditor = as_user("auditor")
    response = auditor.post(reverse("reading_alert_review", args=[alert.pk]),
                            {"finding": "explained", "note": "Night shift at the harbour."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.finding, alert.review_note, alert.reviewed_by) == (
        "explained", "Night shift at the harbour.", persona("auditor"))
    event = AuditEvent.objects.get(action="register.reading_alert.reviewed")
    assert (event.object_id, event.detail) == (str(alert.pk), {"finding": "explained"})
    assert "Night shift" not in str(event.detail)


def test_a_review_without_a_finding_or_note_is_refused_at_its_fields_and_nothing_is_saved(
        as_user):
    alert = an_alert()
    response = as_user("auditor").post(reverse("reading_alert_review", args=[alert.pk]),
                                       {"finding": "", "note": "Checked the shift roster."})
    assert response.status_code == 400
    assert response.context["form"].errors["finding"]
    assert "Checked the shift roster." in response.content.decode()
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_a_reviewed_alert_cannot_be_reviewed_again_and_stays_as_first_recorded(db):
    from django.core.exceptions import ValidationError

    from register.services.reading_alerts import reading_alert_review

    alert = an_alert()
    reading_alert_review(actor=persona("auditor"), alert=alert, finding="taken_up",
                         note="Asked the team lead.")
    with pytest.raises(ValidationError):
        reading_alert_review(actor=persona("auditor"), alert=alert, finding="explained",
                             note="Never mind.")
    alert.refresh_from_db()
    assert alert.finding == "taken_up"


def test_nobody_reviews_an_alert_about_their_own_reading(db):
    from django.core.exceptions import ValidationError

    from register.services.reading_alerts import reading_alert_review

    alert = ReadingAlert.objects.create(user=persona("auditor"), day=DAY, kind="night",
                                        count=4, threshold=1)
    with pytest.raises(ValidationError) as refused:
        reading_alert_review(actor=persona("auditor"), alert=alert, finding="explained",
                             note="It was me.")
    assert "finding" in refused.value.message_dict
    assert ReadingAlert.objects.get(pk=alert.pk).reviewed_at is None


def test_alerts_still_to_review_come_first_in_the_list(as_user):
    from register.services.reading_alerts import reading_alert_review

    reviewed = ReadingAlert.objects.create(user=persona("analyst_om"), day=DAY, kind="night",
                                           count=4, threshold=1)
    reading_alert_review(actor=persona("auditor"), alert=reviewed, finding="explained",
                         note="Shift.")
    older = ReadingAlert.objects.create(user=persona("analyst_kpcn"),
                                        day=DAY - dt.timedelta(days=3), kind="night",
                                        count=2, threshold=1)
    page = as_user("auditor").get(reverse("reading_alerts")).context["page"]
    assert [a.pk for a in page] == [older.pk, reviewed.pk]
