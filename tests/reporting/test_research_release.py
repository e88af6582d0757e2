"""The HTCDS export and the k-anonymous research release."""

import csv
import datetime as dt
import io
import json
import random
from collections import Counter

from django.urls import reverse

from register.models import AuditEvent, Disclosure
from reporting.research_release import (
    HTCDS_FIELDS,
    QUASI,
    htcds,
    k_anonymise,
    victim_rows,
)
from tests.reporting.builders import YEAR


def rows(n, **values):
    base = {"year": 2025, "sex": "Female", "age_band": "18-24", "citizenship": "VE",
            "form": "Sexual exploitation", "island": "bonaire"}
    return [{**base, **values} for _ in range(n)]


def test_small_groups_are_generalised_field_by_field_and_the_rest_suppressed():
    release = k_anonymise(rows(12) + rows(6, island="saba") + rows(5, island="sint_eustatius")
                          + rows(1, sex="Male", age_band="50+", citizenship="CO",
                                 form="Forced labour"), 11)
    assert release.report == {
        "k": 11, "victims": 24, "released": 23, "suppressed": 1,
        "generalised": {"cnIsland": 12, "cnAgeBand": 1, "citizenship": 1,
                        "typeOfExploitConcatenated": 1}}
    islands = Counter(r["cnIsland"] for r in release.records)
    assert islands == {"bonaire": 12, "Caribbean Netherlands": 11}


def test_every_released_combination_occurs_at_least_k_times_whatever_the_rows():
    chooser = random.Random(19)
    values = {"year": [2023, 2024, 2025], "sex": ["Female", "Male", "Unknown"],
              "age_band": ["0-17", "18-24", "25-34", "50+"],
              "citizenship": ["VE", "CO", "DO", "HT", "CN"],
              "form": ["Sexual exploitation", "Forced labour"],
              "island": ["bonaire", "saba", "sint_eustatius"]}
    for k in (2, 5, 11):
        data = [{name: chooser.choice(options) for name, options in values.items()}
                for _ in range(400)]
        release = k_anonymise(data, k)
        combos = Counter(tuple(r[HTCDS_FIELDS[c]] for c in QUASI) for r in release.records)
        assert min(combos.values()) >= k
        assert len(release.records) + release.suppressed == 400


def test_the_register_gives_one_row_per_victim_and_year_with_only_quasi_identifiers(
        register_year):
    this_year = victim_rows(YEAR, YEAR)
    assert len(this_year) == 7
    assert this_year[0] == {"year": YEAR, "sex": "Female", "age_band": "18-24",
                            "citizenship": "VE", "form": "Unknown", "island": "bonaire"}
    assert len(victim_rows(YEAR - 1, YEAR)) == 8


def test_the_coordinator_downloads_a_release_that_reports_what_it_suppressed(register_year,
                                                                            as_user):
    coordinator = as_user("coordinator")
    page = coordinator.get(reverse("reporting:disclosures"))
    assert page.context["form"]["k"].value() == 11
    response = coordinator.post(reverse("reporting:disclosures"), {
        "kind": "research", "first_year": YEAR, "last_year": YEAR, "k": 11})
    body = json.loads(response.content)
    assert body["release"]["suppressed"] == 7 and body["records"] == []
    response = coordinator.post(reverse("reporting:disclosures"), {
        "kind": "research", "first_year": YEAR, "last_year": YEAR, "k": 7})
    body = json.loads(response.content)
    assert body["release"]["released"] == 7 and body["release"]["suppressed"] == 0
    event = AuditEvent.objects.filter(action="reporting.research_release.made").last()
    assert event.detail == {"first_year": YEAR, "last_year": YEAR, "k": 7, "released": 7,
                            "suppressed": 0}


RECIPIENT = {"recipient_organisation": "IOM Counter Trafficking Data Collaborative",
             "legal_ground": "covenant", "purpose": "Global dataset contribution",
             "kept_until": (dt.date.today() + dt.timedelta(days=365)).isoformat()}


def test_the_htcds_export_uses_the_ctdc_column_names_and_reaches_the_disclosure_ledger(
        register_year, as_user):
    response = as_user("coordinator").post(reverse("reporting:disclosures"), {
        "kind": "htcds", "first_year": YEAR - 1, "last_year": YEAR, "k": 11, **RECIPIENT})
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(table[0]) == [
        "yearOfRegistration", "gender", "majorityStatus", "cnAgeBand", "citizenship",
        "typeOfExploitConcatenated", "isForcedLabour", "isSexualExploit", "isForcedMarriage",
        "isOrganRemoval", "isOtherExploit", "typeOfLabourIllicitActivities",
        "CountryOfExploitation", "cnIsland"]
    assert table[-1]["majorityStatus"] == "Adult" and table[-1]["gender"] == "Female"
    assert len(table) == 8 and "V0" not in response.content.decode()
    assert AuditEvent.objects.filter(action="reporting.htcds.exported").get().detail[
        "rows"] == 8
    disclosure = Disclosure.objects.get()
    assert (disclosure.recipient_organisation, disclosure.legal_ground, disclosure.channel) == (
        "IOM Counter Trafficking Data Collaborative", "covenant", "export")
    assert disclosure.items.filter(object_type="register.person").count() == 8
    assert disclosure.items.filter(reference=register_year.number).count() == 7
    ledger = as_user("auditor").get(reverse("disclosures")).content.decode()
    assert "IOM Counter Trafficking Data Collaborative" in ledger


def test_the_htcds_file_is_not_made_before_its_recipient_ground_and_purpose_are_given(
        register_year, as_user):
    page = as_user("coordinator").post(reverse("reporting:disclosures"), {
        "kind": "htcds", "first_year": YEAR, "last_year": YEAR, "k": 11})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert set(page.context["form"].errors) == {"recipient_organisation", "legal_ground",
                                                "purpose", "kept_until"}
    assert not AuditEvent.objects.filter(action="reporting.htcds.exported").exists()
    assert not Disclosure.objects.exists()


def test_the_research_release_asks_no_recipient(register_year, as_user):
    response = as_user("coordinator").post(reverse("reporting:disclosures"), {
        "kind": "research", "first_year": YEAR, "last_year": YEAR, "k": 7})
    assert response["Content-Type"] == "application/json"


def test_the_form_of_exploitation_sets_the_ctdc_yes_no_columns():
    row = {"year": 2025, "sex": "Female", "age_band": "0-17", "citizenship": "VE",
           "form": "Forced criminal activity", "island": "saba"}
    out = htcds(row)
    assert (out["isForcedLabour"], out["typeOfLabourIllicitActivities"],
            out["isSexualExploit"]) == (1, 1, 0)
    assert out["majorityStatus"] == "Minor" and out["cnAgeBand"] == "0-17"
    assert htcds({**row, "form": "Other", "age_band": "Unknown"})["majorityStatus"] == "Unknown"
    assert htcds({**row, "form": "Other"})["isOtherExploit"] == 1


def test_bad_years_or_k_are_refused_at_the_field_and_nothing_is_released(db, as_user):
    coordinator = as_user("coordinator")
    page = coordinator.post(reverse("reporting:disclosures"), {
        "kind": "research", "first_year": YEAR, "last_year": YEAR - 1, "k": 1})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"last_year", "k"}
    page = coordinator.post(reverse("reporting:disclosures"), {
        "kind": "leak", "first_year": YEAR, "last_year": YEAR + 1, "k": 11})
    assert set(page.context["form"].errors) == {"kind", "last_year"}
    assert not AuditEvent.objects.filter(action__in=[
        "reporting.research_release.made", "reporting.htcds.exported"]).exists()


def test_only_the_coordinator_makes_releases(db, as_user):
    for name in ("analyst_kpcn", "manager"):
        assert as_user(name).get(reverse("reporting:disclosures")).status_code == 403
