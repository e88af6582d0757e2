"""The API docs send a person to the login page and back; the findings count says "Aantal"."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from controls.models import Control
from tests.personas import PASSWORD
from tests.test_route_matrix import kmar_signal  # noqa: F401 (a fixture)


@pytest.mark.parametrize("route", ["api-docs", "schema"])
def test_a_visitor_not_logged_in_is_sent_to_the_login_page_and_back(db, route):
    client = Client()
    target = reverse(route)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(target)}"
    login_page = client.get(response["Location"])
    assert f'value="{target}"' in login_page.content.decode()  # next= kept in the form
    back = client.post(response["Location"], {"username": "reporter.kmar",
                                               "password": PASSWORD, "next": target})
    assert back.status_code == 302 and back["Location"] == target
    assert client.get(target).status_code == 200


def test_a_partner_system_still_reads_the_schema_with_its_token(api_as):
    response = api_as("reporter_kmar").get(reverse("schema"))
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_the_findings_table_counts_under_aantal(kmar_signal, as_user):  # noqa: F811
    control = Control.objects.get(goal="Matrix")
    body = as_user("reporter_kmar", language="nl").get(
        reverse("controls:detail", kwargs={"control_id": control.pk})).content.decode()
    findings = re.search(r"<table>.*?</table>", body[body.index('id="findings"')
                                                       if 'id="findings"' in body else 0:],
                         re.S)
    headers = re.findall(r'<th scope="col">(.*?)</th>', findings.group(0))
    assert "Aantal" in headers, headers
    assert "Nummer" not in headers
