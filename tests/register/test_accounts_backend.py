"""Who is signed in is read once per request, with the organisation every audited page names
in its audit event (issue 21: that was one query more on every page)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.models import AuditEvent
from tests.personas import persona


def organisation_reads(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured
            if q["sql"].startswith('SELECT "register_organisation"."id"')
            and 'WHERE "register_organisation"."id" =' in q["sql"]]


def test_an_audited_page_names_the_organisation_without_reading_it_on_its_own(as_user):
    client = as_user("analyst_kpcn")
    assert organisation_reads(client, reverse("casework:inbox")) == []
    event = AuditEvent.objects.filter(action="signals.inbox.listed").latest("id")
    assert event.organisation_code == "kpcn"


def test_a_deactivated_account_is_signed_out_on_its_next_request(as_user):
    client = as_user("analyst_kpcn")
    analyst = persona("analyst_kpcn")
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])
    response = client.get(reverse("casework:inbox"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

