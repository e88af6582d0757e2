"""Who is signed in is read once per request, with the roles every page asks and the
organisation every audited page names in its audit event (issue 21: those were two queries
more on every page)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.models import AuditEvent
from tests.personas import persona


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured]


def organisation_reads(client, url) -> list[str]:
    return [sql for sql in page_queries(client, url)
            if sql.startswith('SELECT "register_organisation"."id"')
            and 'WHERE "register_organisation"."id" =' in sql]


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



def test_a_page_knows_the_roles_without_reading_them_on_their_own(as_user):
    client = as_user("analyst_kpcn")
    queries = page_queries(client, reverse("casework:inbox"))
    assert not [sql for sql in queries if sql.startswith('SELECT "register_rolegrant"')]


def test_a_role_taken_away_counts_from_the_next_request(as_user):
    client = as_user("analyst_kpcn")
    assert client.get(reverse("casework:inbox")).status_code == 200
    persona("analyst_kpcn").role_grants.filter(role="analyst").delete()
    assert client.get(reverse("casework:inbox")).status_code == 403


def test_an_account_with_several_roles_has_each_of_them(as_user):
    from register.accounts_backend import AccountBackend
    from register.models import Role

    analyst = persona("analyst_kpcn")
    analyst.role_grants.create(role=Role.AUDITOR)
    user = AccountBackend().get_user(analyst.pk)
    assert user.role_codes == {Role.ANALYST, Role.AUDITOR}
    assert user.organisation.code == "kpcn"
    assert AccountBackend().get_user(analyst.pk + 10_000) is None
