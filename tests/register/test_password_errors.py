"""Django's own password rules speak the page's language and are listed in the summary."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.personas import PASSWORD, persona

TOO_SHORT = {
    "nl": "Dit wachtwoord is te kort. De minimale lengte is 12 tekens.",
    "en": "This password is too short. It must contain at least 12 characters.",
    "pap": "E kontraseña aki ta muchu kòrtiku. E mester tin por lo ménos 12 karakter.",
}
TOO_COMMON = {"nl": "Dit wachtwoord is te algemeen.", "en": "This password is too common.",
              "pap": "E kontraseña aki ta muchu komun."}


def summary(body: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', body, re.S)
    assert found, "no error summary above the form"
    return found.group(0)


@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_a_refused_new_password_is_explained_in_the_page_language_in_the_summary(as_user,
                                                                                language):
    client = as_user("reporter_kmar", language=language)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"})
    body = response.content.decode()
    assert response.status_code == 200
    listed = summary(body)
    for message in (TOO_SHORT[language], TOO_COMMON[language]):
        assert message in listed
    if language != "en":
        assert "This password" not in body


def test_the_summary_links_each_password_error_to_its_field(as_user):
    client = as_user("reporter_kmar", language="nl")
    response = client.post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": "a-long-enough-passphrase",
        "new_password2": "another-long-passphrase"})
    listed = summary(response.content.decode())
    assert 'href="#id_old_password"' in listed
    assert 'href="#id_new_password2"' in listed


def test_a_new_user_setting_a_first_password_sees_the_rules_in_dutch_in_the_summary(db, client):
    user = persona("reporter_szw")
    url = reverse("password_set", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                          "token": default_token_generator.make_token(user)})
    client.cookies["django_language"] = "nl"
    form_page = client.get(url, follow=True)
    response = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else url,
                           {"new_password1": "12345", "new_password2": "12345"})
    assert TOO_SHORT["nl"] in summary(response.content.decode())
