import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from register.models import AuditEvent
from register.services.accounts import token_revoke_all
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import api_payload, file_signal

LIST = reverse("signal-list")


def detail(reference):
    return reverse("signal-detail", args=[reference])


@pytest.fixture
def kmar(api_as):
    return api_as("reporter_kmar")


def test_a_partner_system_files_a_signal_and_gets_its_reference(kmar):
    response = kmar.post(LIST, api_payload(), format="json")
    assert response.status_code == 201, response.json()
    signal = Signal.objects.get()
    assert response.json() == {"reference": signal.reference, "status": "received",
                               "received_at": response.json()["received_at"]}
    assert signal.channel == "api"
    assert signal.reporter_organisation.code == "kmar"
    assert signal.reporter_name == "Reporter Persona"
    assert sorted(signal.form_codes) == ["labour_exploitation"]
    assert sorted(signal.indicator_codes) == ["retention_of_documents", "withholding_of_wages"]
    assert [p.family_name for p in signal.persons.all()] == ["Rodríguez Pérez", "Janssen"]
    assert signal.persons.first().nationality == "VE"
    assert signal.businesses.get().registration_number == "12345"
    assert signal.vehicles.get().kind == "vessel"


def test_only_the_required_fields_are_enough(kmar):
    payload = {"observed_on": "2026-01-05", "island": "saba", "forms": ["people_smuggling"],
               "description": "Boat landing seen at Fort Bay."}
    assert kmar.post(LIST, payload, format="json").status_code == 201


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"island": "curacao"}, ("island",)),
        ({"forms": []}, ("forms",)),
        ({"forms": ["fishing"]}, ("forms", 0)),
        ({"observed_on": "2999-01-01"}, ("observed_on",)),
        ({"observed_on": "yesterday"}, ("observed_on",)),
        ({"description": ""}, ("description",)),
        ({"indicators": ["bad_vibes"]}, ("indicators", 0)),
        ({"persons": [{"role": "boss", "family_name": "X"}]}, ("persons", 0, "role")),
        ({"persons": [{"role": "victim"}]}, ("persons", 0, "family_name")),
        ({"persons": [{"role": "victim", "family_name": "X", "nationality": "QQ"}]},
         ("persons", 0, "nationality")),
        ({"persons": [{"role": "victim", "family_name": "X", "date_of_birth": "2999-01-01"}]},
         ("persons", 0, "date_of_birth")),
        ({"businesses": [{"address": "Kaya 1"}]}, ("businesses", 0, "name")),
        ({"vehicles": [{"kind": "vessel"}]}, ("vehicles", 0, "name")),
        ({"reporter_phone": "not a phone"}, ("reporter_phone",)),
    ],
)
def test_wrong_input_gets_an_error_at_the_field_and_nothing_is_saved(kmar, changes, path):
    response = kmar.post(LIST, api_payload(**changes), format="json")
    assert response.status_code == 400
    errors = response.json()
    for step in path:
        errors = errors[step] if isinstance(errors, list) else errors[str(step)]
    assert errors, response.json()
    assert Signal.objects.count() == 0


def test_missing_required_fields_are_each_named(kmar):
    response = kmar.post(LIST, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"observed_on", "island", "forms", "description"}


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(kmar):
    first = kmar.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="border-42")
    retry = kmar.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="border-42")
    assert first.status_code == retry.status_code == 201
    assert retry.json()["reference"] == first.json()["reference"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Signal.objects.count() == 1


def test_a_reused_idempotency_key_with_another_body_is_refused(kmar):
    kmar.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="border-43")
    response = kmar.post(LIST, api_payload(island="saba"), format="json",
                         HTTP_IDEMPOTENCY_KEY="border-43")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()
    assert Signal.objects.count() == 1


def test_idempotency_keys_are_per_account(kmar, api_as):
    kmar.post(LIST, api_payload(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = api_as("reporter_szw").post(LIST, api_payload(), format="json",
                                        HTTP_IDEMPOTENCY_KEY="same")
    assert other.status_code == 201
    assert Signal.objects.count() == 2


def test_without_a_token_the_api_answers_401(db):
    response = APIClient().post(LIST, api_payload(), format="json")
    assert response.status_code == 401
    assert Signal.objects.count() == 0


def test_a_wrong_or_revoked_token_answers_401(db, kmar):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(LIST).status_code == 401
    token_revoke_all(actor=None, user=persona("reporter_kmar"))
    assert kmar.get(LIST).status_code == 401


def test_a_disabled_users_token_stops_working(kmar):
    user = persona("reporter_kmar")
    user.is_active = False
    user.save()
    assert kmar.get(LIST).status_code == 401


@pytest.mark.parametrize("name", ["coordinator", "manager", "auditor"])
def test_roles_without_intake_get_403(api_as, name):
    assert api_as(name).post(LIST, api_payload(), format="json").status_code == 403
    assert api_as(name).get(LIST).status_code == 403


def test_a_reporter_lists_and_reads_only_their_own_signals(kmar, api_as):
    mine = file_signal(persona("reporter_kmar"))
    colleagues = file_signal(persona("reporter_kmar_colleague"))
    listed = kmar.get(LIST).json()
    assert [row["reference"] for row in listed["results"]] == [mine.reference]
    assert kmar.get(detail(mine.reference)).status_code == 200
    assert kmar.get(detail(colleagues.reference)).status_code == 404
    assert api_as("reporter_szw").get(detail(mine.reference)).status_code == 404


def test_an_analyst_reads_every_signal(api_as):
    signal = file_signal(persona("reporter_szw"), persons=[
        {"role": "victim", "family_name": "Joseph", "nationality": "HT"}])
    body = api_as("analyst_kpcn").get(detail(signal.reference)).json()
    assert body["persons"][0]["family_name"] == "Joseph"
    assert body["forms"] == ["labour_exploitation"]


def test_reads_are_audited_with_the_ids_they_returned(kmar):
    signal = file_signal(persona("reporter_kmar"))
    kmar.get(LIST)
    kmar.get(detail(signal.reference))
    listed = AuditEvent.objects.get(action="signals.signal.listed")
    assert listed.result_ids == [str(signal.pk)]
    viewed = AuditEvent.objects.get(action="signals.signal.viewed")
    assert viewed.object_id == str(signal.pk)


def test_the_openapi_schema_describes_the_intake_contract(kmar):
    schema = kmar.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    post = schema["paths"]["/api/v1/signals/"]["post"]
    assert {"201", "400", "422"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    request = schema["components"]["schemas"]["SignalRequest"]
    assert {"observed_on", "island", "forms", "description"} <= set(request["required"])
    island = schema["components"]["schemas"]["IslandEnum"]["enum"]
    assert island == ["bonaire", "sint_eustatius", "saba", "at_sea", "outside_cn"]


def test_the_schema_is_not_public(db):
    # A browser is sent to the login page; a partner system with a wrong token is refused.
    response = APIClient().get(reverse("schema"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    wrong_token = APIClient(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert wrong_token.get(reverse("schema")).status_code in (401, 403)


@pytest.mark.parametrize(("changes", "field"), [
    ({"people": [{"role": "victim", "family_name": "X"}]}, "people"),
    ({"persons": [{"role": "victim", "family_name": "X", "surname": "Y"}]}, "persons"),
])
def test_an_unknown_field_is_refused_not_dropped(kmar, changes, field):
    response = kmar.post(LIST, api_payload(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Signal.objects.count() == 0
