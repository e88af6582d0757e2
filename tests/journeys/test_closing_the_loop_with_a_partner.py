"""The loop with a partner: an OM analyst asks KPCN's portfolio holder for a criminal
investigation; the portfolio holder is told in the app, opens the task, accepts it and records
the outcome; the analyst sees it on the dossier and the MoU figure counts it; the reporter is
told of a question and sees what became of the signal they filed."""

import contextlib
import datetime as dt

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation
from playwright.sync_api import expect

from casework.dossiers import dossier_open
from casework.triage import triage_ask
from register.models import FollowUpAction, Organisation
from reporting.figures import Period, mou_period_figures
from tests.faults.waiting import wait_for
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.register.test_site_url import Inbox, free_port
from tests.signals.builders import file_signal
from tests.workers import celery_worker


@contextlib.contextmanager
def mail_through_a_worker():
    """A local SMTP server and, where a worker can share the test's database (PostgreSQL and
    Redis), a real Celery worker sending the register's e-mails to it; yields the inbox, or
    None on SQLite, whose test database a worker cannot reach."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        yield None
        return
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        with celery_worker(queues="celery", env={"TEST_EMAIL_PORT": str(server.port),
                                                 "SITE_URL": "https://register.example.test"}):
            yield inbox
    finally:
        server.stop()


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def log_out(page):
    page.get_by_role("button", name=dutch("Log out")).click()
    page.wait_for_url(lambda url: "/accounts/login/" in url)


def test_a_partner_is_asked_accepts_and_records_the_outcome_and_the_reporter_sees_it(
        page, live_server, transactional_db, accessible):
    today = timezone.localdate()
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Marisol", "family_name": "Quintero Arrieta"}],
        location="Kralendijk, harbour road")
    other = file_signal(persona("reporter_szw"), location="Kralendijk")
    dossier = dossier_open(actor=persona("analyst_om"), signals=[signal, other],
                           title="Harbour road site")
    kpcn = Organisation.objects.get(code="kpcn")
    investigations = mou_period_figures(Period.year(today.year)).investigations

    # The analyst asks KPCN for a criminal investigation, with a brief.
    mail = contextlib.ExitStack()
    inbox = mail.enter_context(mail_through_a_worker())
    log_in(page, live_server, "analyst.om")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("link", name=dutch("Add follow-up action")).click()
    form = page.locator("form[action$='/follow-up/']")
    expect(form).to_be_visible()
    form.get_by_label(dutch("Action")).select_option("criminal_investigation")
    form.get_by_label(dutch("Responsible organisation")).select_option(str(kpcn.pk))
    form.get_by_label(dutch("Due on")).fill((today + dt.timedelta(days=14)).isoformat())
    form.get_by_label(dutch("Brief for the partner")).fill(
        "Workers at the harbour road site say their passports are kept by the employer.")
    form.get_by_role("button", name=dutch("Add follow-up action")).click()
    expect(page.locator(".notice")).to_contain_text(kpcn.name)
    log_out(page)
    # ... and the portfolio holder is also told by e-mail, through the worker and SMTP: one
    # neutral sentence and a link, not the dossier or the brief.
    with mail:
        if inbox is not None:
            wait_for(lambda: any("holder_kpcn@example.invalid" in m for m in inbox.messages),
                     seconds=90, what="the portfolio holder's e-mail")
            message = next(m for m in inbox.messages if "holder_kpcn@example.invalid" in m)
            assert "https://register.example.test/notifications/" in message
            assert dossier.number not in message and "passports" not in message

    # KPCN's portfolio holder is told in the app and opens the task from the notification.
    log_in(page, live_server, "holder.kpcn")
    header = page.get_by_role("link", name="1 nieuwe notificatie")
    expect(header).to_be_visible()
    header.click()
    page.get_by_role("link", name=dossier.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        dutch("Criminal investigation started"))
    expect(page.locator(".brief")).to_contain_text("passports are kept by the employer")
    accessible(page)
    page.get_by_role("button", name=dutch("Accept the task")).click()
    expect(page.locator(".notice")).to_contain_text(dutch("You accepted the task."))
    outcome = page.locator("form[action$='/outcome/']")
    outcome.get_by_label(dutch("Outcome")).select_option("done")
    outcome.get_by_label(dutch("Date it happened")).fill(today.isoformat())
    outcome.get_by_label(dutch("What was done")).fill("Investigation opened by the police")
    outcome.get_by_role("button", name=dutch("Record the outcome")).click()
    expect(page.locator(".notice")).to_contain_text(
        dutch("The outcome was recorded; the analysts see it on the dossier."))
    expect(page.locator(".task-outcome")).to_contain_text(dutch("Done"))
    accessible(page)
    # The portfolio holder reaches nothing else of the register.
    response = page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    assert response.status == 403
    log_out(page)

    # The analyst sees it on the dossier, and the MoU figure counts it.
    action = FollowUpAction.objects.get(dossier=dossier, kind="criminal_investigation")
    assert (action.outcome, action.happened_on) == ("done", today)
    assert mou_period_figures(Period.year(today.year)).investigations == investigations + 1
    log_in(page, live_server, "analyst.om")
    expect(page.get_by_role("link", name="1 nieuwe notificatie").or_(
        page.get_by_role("link", name="2 nieuwe notificaties"))).to_be_visible()
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    on_dossier = page.locator(".task-on-dossier")
    expect(on_dossier).to_contain_text(dutch("Accepted"))
    expect(page.get_by_role("cell", name="Investigation opened by the police")).to_be_visible()
    log_out(page)

    # The reporter is told of a question and sees what became of the signal.
    triage_ask(actor=persona("analyst_kpcn"), signal=file_signal(persona("reporter_kmar")),
               question="Which site?")
    log_in(page, live_server, "reporter.kmar")
    expect(page.get_by_role("link", name="1 nieuwe notificatie")).to_be_visible()
    page.goto(f"{live_server.url}/signals/{signal.reference}/")
    feedback = page.locator("section[aria-labelledby='feedback-heading']")
    expect(feedback).to_contain_text(dutch("Follow-up is under way."))
    expect(feedback).to_contain_text("Gecombineerd met 1 ander signaal.")
    expect(feedback).to_contain_text(kpcn.name)
    expect(feedback).not_to_contain_text("Quintero")
    accessible(page)
