"""Analysts open a bar or a count of the dashboard to the signals or dossiers behind it,
through the casework need-to-know selectors; nobody else gets a link or the page."""

import datetime as dt

from django.urls import reverse

from casework.dossiers import dossier_open, dossier_person_update, dossier_restrict
from register.models import AuditEvent
from tests.personas import persona
from tests.reporting.builders import YEAR
from tests.signals.builders import file_signal


def drill(client, figure, value, **query):
    return client.get(reverse("reporting:drill", args=[figure]),
                      {"year": YEAR, "value": value, **query})


def test_an_analysts_dashboard_links_every_bar_and_count_to_what_lies_behind_it(
        register_year, as_user):
    html = as_user("analyst_kpcn").get(reverse("reporting:dashboard"),
                                       {"year": YEAR}).content.decode()
    drill_url = reverse("reporting:drill", args=["form"])
    assert f'<a href="{drill_url}?year={YEAR}&amp;value=sexual_exploitation">' in html
    assert reverse("reporting:drill", args=["mou"]) + f"?year={YEAR}&amp;value=victims" in html


def test_the_coordinators_dashboard_has_no_link_to_what_lies_behind_a_figure(
        register_year, as_user):
    html = as_user("coordinator").get(reverse("reporting:dashboard"),
                                      {"year": YEAR}).content.decode()
    assert "/reports/drill/" not in html


def test_the_coordinator_and_the_manager_may_not_open_what_lies_behind_a_figure(
        register_year, as_user):
    for name in ("coordinator", "manager"):
        assert drill(as_user(name), "form", "sexual_exploitation").status_code == 403


def test_the_signals_behind_a_bar_are_listed_and_the_reading_audited(register_year, as_user):
    page = drill(as_user("analyst_kpcn"), "form", "sexual_exploitation")
    assert page.status_code == 200
    listed = [signal.pk for signal in page.context["page"]]
    assert listed == [register_year.signals.get().pk]
    event = AuditEvent.objects.get(action="reporting.drilldown.viewed")
    assert event.result_ids == [f"signals.signal:{listed[0]}"]
    assert event.detail["figure"] == "form"
    assert drill(as_user("analyst_kpcn"), "island", "saba").context["page"].paginator.count == 0


def test_the_dossiers_behind_an_mou_count_are_listed(register_year, as_user):
    page = drill(as_user("analyst_kpcn"), "mou", "convictions")
    assert [d.pk for d in page.context["page"]] == [register_year.pk]
    last_year = drill(as_user("analyst_kpcn"), "mou", "victims", year=YEAR - 1)
    assert last_year.context["page"].paginator.count == 1
    assert last_year.context["page"][0].pk != register_year.pk


def test_the_dossiers_behind_a_nationality_bar_are_listed(register_year, as_user):
    page = drill(as_user("analyst_kpcn"), "nationality", "VE")
    assert register_year.pk in [d.pk for d in page.context["page"]]
    assert drill(as_user("analyst_kpcn"), "nationality", "NL").context["page"].paginator.count == 0


def test_a_restricted_dossier_and_its_signals_stay_hidden_behind_a_figure(register_year,
                                                                          as_user):
    owner = persona("analyst_kpcn")
    dossier_restrict(actor=owner, dossier=register_year, analysts=[owner])
    other = as_user("analyst_om")
    assert drill(other, "mou", "convictions").context["page"].paginator.count == 0
    assert drill(other, "form", "sexual_exploitation").context["page"].paginator.count == 0
    assert drill(as_user("analyst_kpcn"), "mou", "convictions").context[
        "page"].paginator.count == 1


def test_a_figure_or_value_the_dashboard_does_not_show_is_not_found(register_year, as_user):
    analyst = as_user("analyst_kpcn")
    assert drill(analyst, "names", "x").status_code == 404
    assert drill(analyst, "form", "not-a-form").status_code == 404
    assert drill(analyst, "month", f"{YEAR - 1}-01").status_code == 404
    assert drill(analyst, "nationality", "Venezuela").status_code == 404
    assert drill(analyst, "mou", "unknown").status_code == 404
    assert not AuditEvent.objects.filter(action="reporting.drilldown.viewed").exists()


def test_the_signals_of_a_month_and_an_island_are_behind_those_bars(db, as_user):
    signal = file_signal(persona("reporter_kmar"), island="saba")
    month = signal.received_at.astimezone().strftime("%Y-%m")
    analyst = as_user("analyst_kpcn")
    page = drill(analyst, "month", month, island="saba")
    assert [s.pk for s in page.context["page"]] == [signal.pk]
    assert drill(analyst, "month", month, island="bonaire").context["page"].paginator.count == 0


def test_the_signals_behind_the_unknown_sector_are_those_with_the_sector_unknown(db, as_user):
    signal = file_signal(persona("reporter_kmar"), sector="unknown")
    page = drill(as_user("analyst_kpcn"), "sector", "unknown")
    assert [s.pk for s in page.context["page"]] == [signal.pk]


def test_the_dossiers_behind_an_unknown_age_band_include_victims_coded_unknown(db, as_user):
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "A", "family_name": "Test", "sex": "unknown"}])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    dossier_person_update(actor=analyst, role=dossier.persons.get(), values={
        "victim_status": "presumed", "identified_on": dt.date(YEAR, 2, 1)})
    assert signal.persons.get().age_band == "unknown"
    for figure in ("age_band", "sex"):
        page = drill(as_user("analyst_kpcn"), figure, "unknown")
        assert [d.pk for d in page.context["page"]] == [dossier.pk]
