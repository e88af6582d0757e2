import datetime as dt
import os

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from register.models import AuditEvent, RetentionReview
from register.services.privacy import retention_review_apply, retention_review_create
from signals.models import Attachment, Signal, SignalPerson
from tests.personas import persona
from tests.signals.builders import file_signal

PERSON = {"role": "victim", "given_names": "Ana", "family_name": "Pérez", "sex": "female",
          "date_of_birth": dt.date(2000, 5, 1), "nationality": "VE",
          "document_type": "passport", "document_number": "V-99", "phone": "+599 700 9999",
          "notes": "stays at the bar"}


def aged(signal, years):
    Signal.objects.filter(pk=signal.pk).update(
        last_processed_at=timezone.now() - dt.timedelta(days=365 * years + 2))
    return signal


@pytest.fixture
def old_and_new(db):
    old = aged(file_signal(persona("reporter_kmar"), with_pdf=True, persons=[PERSON],
                           businesses=[{"name": "Bar Demo"}], location="Rincon",
                           observed_on=dt.date(2020, 6, 1)), 6)
    recent = aged(file_signal(persona("reporter_kmar"), persons=[PERSON]), 4)
    return old, recent


def test_the_job_lists_what_is_past_five_years_and_alerts_the_managers(old_and_new):
    old, recent = old_and_new
    review = retention_review_create()
    assert [item.reference for item in review.items.all()] == [old.reference]
    assert "1" in mail.outbox[0].body
    assert retention_review_create() is None, "an item already waiting is not listed twice"


def test_the_retention_period_is_configurable(old_and_new, settings):
    settings.RETENTION_YEARS = 3
    review = retention_review_create()
    assert review.items.count() == 2


def test_anonymising_removes_personal_data_and_files_but_keeps_the_figures(
    old_and_new, django_capture_on_commit_callbacks
):
    old, recent = old_and_new
    attachment_path = old.attachments.get().file.path
    review = retention_review_create()
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_review_apply(actor=persona("manager"), review=review, keep=set()) == 1
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.reporter_name, old.reporter_phone, old.reporter_email, old.description,
            old.location) == ("", "", "", "", "")
    assert not Attachment.objects.filter(signal=old).exists()
    assert old.businesses.count() == 0
    person = old.persons.get()
    assert (person.family_name, person.given_names, person.date_of_birth,
            person.document_number, person.phone, person.notes) == ("", "", None, "", "", "")
    assert (person.role, person.sex, person.nationality, person.age_band) == (
        "victim", "female", "VE", "18-24")
    assert old.form_codes == ["labour_exploitation"] and old.island == "bonaire"
    assert old.observed_on == dt.date(2020, 6, 1)
    assert not os.path.exists(attachment_path)


def test_nothing_else_is_touched(old_and_new):
    old, recent = old_and_new
    retention_review_apply(actor=persona("manager"), review=retention_review_create(), keep=set())
    recent.refresh_from_db()
    assert recent.anonymised_at is None
    assert recent.persons.get().family_name == "Pérez"


def test_a_kept_item_is_not_anonymised(old_and_new):
    old, _ = old_and_new
    review = retention_review_create()
    item = review.items.get()
    assert retention_review_apply(actor=persona("manager"), review=review,
                                  keep={item.pk}) == 0
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_the_audit_chain_survives_anonymisation(old_and_new):
    from django.core.management import call_command

    retention_review_apply(actor=persona("manager"), review=retention_review_create(), keep=set())
    call_command("audit_verify")
    assert AuditEvent.objects.filter(action="signals.signal.anonymised").count() == 1


def test_anonymised_persons_are_not_found_by_a_data_subject_search(old_and_new):
    from register.subject_search import SubjectQuery, find_subject

    old, recent = old_and_new
    retention_review_apply(actor=persona("manager"), review=retention_review_create(), keep=set())
    found = {f.reference for f in find_subject(SubjectQuery(family_name="Pérez",
                                                            given_names="Ana"))}
    assert found == {recent.reference}


def test_the_manager_reviews_and_applies_in_the_app(as_user, old_and_new):
    old, _ = old_and_new
    review = retention_review_create()
    manager = as_user("manager")
    page = manager.get(reverse("manage_retention_review", args=[review.pk])).content.decode()
    assert old.reference in page and "Pérez" not in page
    manager.post(reverse("manage_retention_decide", args=[review.pk]), {"decision": "apply"})
    review.refresh_from_db()
    assert review.status == RetentionReview.Status.APPLIED
    assert review.decided_by == persona("manager")
    assert SignalPerson.objects.filter(signal=old, family_name="").exists()


def test_a_decided_review_cannot_be_applied_again(as_user, old_and_new):
    review = retention_review_create()
    manager = as_user("manager")
    manager.post(reverse("manage_retention_decide", args=[review.pk]), {"decision": "cancel"})
    manager.post(reverse("manage_retention_decide", args=[review.pk]), {"decision": "apply"})
    review.refresh_from_db()
    assert review.status == RetentionReview.Status.CANCELLED
    assert Signal.objects.filter(anonymised_at__isnull=False).count() == 0


def test_an_item_worked_on_since_the_review_is_not_anonymised(old_and_new):
    old, _ = old_and_new
    review = retention_review_create()
    Signal.objects.filter(pk=old.pk).update(last_processed_at=timezone.now())
    assert retention_review_apply(actor=persona("manager"), review=review, keep=set()) == 0
    old.refresh_from_db()
    assert old.anonymised_at is None


def test_the_cutoff_survives_a_leap_day(settings):
    from register.services.privacy import retention_cutoff

    leap_day = timezone.make_aware(dt.datetime(2028, 2, 29, 12, 0))
    assert retention_cutoff(leap_day).date() == dt.date(2023, 2, 28)


def test_decided_data_subject_requests_are_anonymised_after_the_period(db):
    from register.models import SubjectRequest

    old = SubjectRequest.objects.create(
        received_on=dt.date(2019, 1, 2), requester_name="Old requester",
        subject_family_name="Oldname", decided_on=dt.date(2019, 1, 20), outcome="informed",
        created_by=persona("manager"))
    recent = SubjectRequest.objects.create(
        received_on=dt.date(2026, 1, 2), requester_name="New requester",
        subject_family_name="Newname", decided_on=dt.date(2026, 1, 20), outcome="informed",
        created_by=persona("manager"))
    review = retention_review_create()
    assert {i.reference for i in review.items.all()} == {f"DSR-{old.pk}"}
    retention_review_apply(actor=persona("manager"), review=review, keep=set())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.requester_name, old.subject_family_name) == ("", "")
    assert recent.subject_family_name == "Newname"


def test_anonymising_leaves_no_keys_questions_or_register_person_behind(old_and_new):
    from casework.triage import triage_take_in
    from register.models import Person
    from signals.models import SignalQuestion

    old, _ = old_and_new
    SignalQuestion.objects.create(signal=old, asked_by=persona("analyst_kpcn"),
                                  question="Where does Ana Pérez stay?",
                                  answer="At the bar", asked_at=timezone.now())
    triage_take_in(actor=persona("analyst_kpcn"), signal=old)
    Signal.objects.filter(pk=old.pk).update(
        last_processed_at=timezone.now() - dt.timedelta(days=6 * 365))
    person = old.persons.get().person
    retention_review_apply(actor=persona("manager"), review=retention_review_create(), keep=set())
    mention = old.persons.get()
    assert (mention.phone_key, mention.phonetic_key, mention.name_key) == ("", "", "")
    question = old.questions.get()
    assert (question.question, question.answer) == ("", "")
    person = Person.objects.get(pk=person.pk)
    assert (person.family_name, person.given_names, person.date_of_birth) == ("", "", None)
    assert not person.identifiers.exists()


def test_a_dossier_whose_signals_are_all_anonymised_keeps_no_text_about_its_people(
        old_and_new, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.dossiers import dossier_add_note, dossier_open, follow_up_add
    from casework.models import FollowUpTask
    from casework.task_work import task_accept, task_progress_add, task_record_outcome
    from register.models import Organisation
    from tests.signals.builders import PDF_BYTES

    old, recent = old_and_new
    analyst = persona("analyst_om")
    gone = dossier_open(actor=analyst, signals=[old], title="Ana Pérez at Bar Demo")
    kept = dossier_open(actor=analyst, signals=[recent], title="Ana Pérez again")
    for dossier in (gone, kept):
        dossier_add_note(actor=analyst, dossier=dossier, text="Ana stays above the bar")
        follow_up_add(actor=analyst, dossier=dossier, kind="criminal_investigation",
                      organisation=Organisation.objects.get(code="kpcn"),
                      brief="Ana Pérez, passport V-99, at Bar Demo")
    task = FollowUpTask.objects.get(action__dossier=gone)
    holder = persona("holder_kpcn")
    task_accept(actor=holder, task=task)
    task_progress_add(actor=holder, task=task, text="Spoke with Ana Pérez")
    task_record_outcome(actor=holder, task=task, outcome="done", happened_on=dt.date(2021, 1, 5),
                        explanation="Ana Pérez was heard",
                        document=SimpleUploadedFile("d.pdf", PDF_BYTES, "application/pdf"))
    document = FollowUpTask.objects.get(pk=task.pk).decision_document
    path = document.path
    assert os.path.exists(path)
    Signal.objects.filter(pk=old.pk).update(
        last_processed_at=timezone.now() - dt.timedelta(days=6 * 365))

    with django_capture_on_commit_callbacks(execute=True):
        retention_review_apply(actor=persona("manager"), review=retention_review_create(),
                               keep=set())

    gone.refresh_from_db()
    assert gone.title == gone.number
    assert list(gone.notes.values_list("text", flat=True)) == [""]
    action = gone.follow_ups.get()
    assert (action.explanation, action.outcome) == ("", "done")
    task = FollowUpTask.objects.get(pk=task.pk)
    assert (task.brief, task.decision_document.name) == ("", "")
    assert list(task.progress.values_list("text", flat=True)) == [""]
    assert not os.path.exists(path)
    assert AuditEvent.objects.filter(action="register.dossier.anonymised",
                                     object_id=str(gone.pk)).exists()
    # The dossier with a signal still inside its period keeps everything.
    kept.refresh_from_db()
    assert kept.title == "Ana Pérez again"
    assert kept.notes.get().text == "Ana stays above the bar"
    assert FollowUpTask.objects.get(action__dossier=kept).brief.startswith("Ana Pérez")
