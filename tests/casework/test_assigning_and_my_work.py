"""An analyst hands a signal to a colleague, and every analyst finds her own work on one page:
follow-up due first, then the signals she holds and the dossiers assigned to her."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from casework.dossiers import dossier_assign, dossier_open, dossier_update, follow_up_add
from casework.triage import triage_take_up
from register.models import AuditEvent, Notification
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal


def assign(client, signal, analyst):
    return client.post(reverse("signals:assign", args=[signal.reference]),
                       {"analyst": analyst.pk}, follow=True)


def test_an_analyst_hands_a_signal_to_a_colleague_who_then_holds_it(analyst):
    signal = file_signal(persona("reporter_kmar"))
    colleague = persona("analyst_om")
    response = assign(analyst, signal, colleague)
    stored = Signal.objects.get(pk=signal.pk)
    assert (stored.status, stored.taken_up_by) == ("in_triage", colleague)
    event = AuditEvent.objects.get(action="signals.signal.assigned")
    assert (event.actor_username, event.detail) == ("analyst.kpcn",
                                                    {"to": colleague.pk, "from": None})
    told = Notification.objects.get(user=colleague)
    assert (told.event, told.params) == ("casework.signal.assigned", {"ref": signal.reference})
    assert told.url == reverse("signals:detail", args=[signal.reference])
    assert "now holds this signal" in response.content.decode()
    # It shows under its holder in every list.
    inbox = analyst.get(reverse("casework:inbox"), {"taken_up_by": colleague.pk})
    assert [s.reference for s in inbox.context["page"]] == [signal.reference]


def test_handing_a_signal_on_records_whom_it_came_from(analyst):
    signal = file_signal(persona("reporter_kmar"))
    triage_take_up(actor=persona("analyst_kpcn"), signal=signal)
    assign(analyst, signal, persona("analyst_om"))
    event = AuditEvent.objects.get(action="signals.signal.assigned")
    assert event.detail == {"to": persona("analyst_om").pk, "from": persona("analyst_kpcn").pk}


def test_taking_a_signal_oneself_by_assigning_tells_nobody(analyst):
    signal = file_signal(persona("reporter_kmar"))
    assign(analyst, signal, persona("analyst_kpcn"))
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_kpcn")
    assert not Notification.objects.exists()


def test_a_signal_cannot_be_assigned_to_someone_who_is_not_an_analyst(analyst):
    signal = file_signal(persona("reporter_kmar"))
    response = analyst.post(reverse("signals:assign", args=[signal.reference]),
                            {"analyst": persona("reporter_szw").pk})
    assert response.status_code == 200
    assert "analyst" in response.context["assign_form"].errors
    assert Signal.objects.get(pk=signal.pk).taken_up_by is None


def test_the_api_assigns_and_names_the_field_when_the_analyst_is_unknown(api_as):
    signal = file_signal(persona("reporter_kmar"))
    client = api_as("analyst_kpcn")
    url = reverse("signal-assign", args=[signal.reference])
    refused = client.post(url, {"analyst": persona("coordinator").pk}, format="json")
    assert refused.status_code == 400 and "analyst" in refused.json()
    done = client.post(url, {"analyst": persona("analyst_om").pk}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "in_triage"
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_om")


def test_my_work_puts_due_follow_up_first_then_my_signals_and_dossiers(analyst):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    mine = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                        title="Mine")
    today = timezone.localdate()
    organisation = kpcn.organisation
    later = follow_up_add(actor=kpcn, dossier=mine, kind="victim_care",
                          organisation=organisation, due_on=today + dt.timedelta(days=9),
                          outcome="planned", happened_on=None, explanation="")
    overdue = follow_up_add(actor=kpcn, dossier=mine, kind="information_shared",
                            organisation=organisation, due_on=today - dt.timedelta(days=2),
                            outcome="planned", happened_on=None, explanation="")
    undated = follow_up_add(actor=kpcn, dossier=mine, kind="referred_rst",
                            organisation=organisation, due_on=None, outcome="planned",
                            happened_on=None, explanation="")
    theirs = dossier_open(actor=om, signals=[file_signal(persona("reporter_kmar"))],
                          title="Theirs")
    closed = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                          title="Closed")
    dossier_update(actor=kpcn, dossier=closed, values={"status": "closed",
                                                       "closed_reason": "Done."})
    shared = dossier_open(actor=om, signals=[file_signal(persona("reporter_kmar"))],
                          title="Shared")
    dossier_assign(actor=om, dossier=shared, analysts=[om, kpcn])
    held, other = (file_signal(persona("reporter_kmar")) for _ in range(2))
    triage_take_up(actor=kpcn, signal=held)
    triage_take_up(actor=om, signal=other)

    page = analyst.get(reverse("casework:my_work"))

    assert [a.pk for a in page.context["follow_ups"]] == [overdue.pk, later.pk, undated.pk]
    assert [s.reference for s in page.context["signals"]] == [held.reference]
    assert {d.title for d in page.context["dossiers"]} == {"Mine", "Shared"}
    assert theirs.title not in page.content.decode()
    assert "overdue" in page.content.decode()
    event = AuditEvent.objects.get(action="casework.my_work.listed")
    assert f"signals.signal:{held.pk}" in event.result_ids


def test_my_work_is_in_the_analysts_menu_only(as_user):
    assert reverse("casework:my_work") in as_user("analyst_kpcn").get("/").content.decode()
    assert reverse("casework:my_work") not in as_user("reporter_kmar").get("/").content.decode()
