"""403, 404 and 500 in the site's layout, in the reader's language, with a way back home."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

LAYOUT = ('<header class="site">', '<footer class="site">', 'href="/static/', "site.css")


def in_language(language: str, *msgids: str) -> list[str]:
    with translation.override(language):
        return [gettext(msgid) for msgid in msgids]


def assert_site_page(response, language: str, *msgids: str):
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    for part in LAYOUT:
        assert part in body
    assert f'href="{reverse("home")}"' in body
    msgids = ("Go to the start page", *msgids)
    for msgid, text in zip(msgids, in_language(language, *msgids), strict=True):
        assert text in body, text
        assert language == "en" or text != msgid, f"{msgid!r} is not translated"


def visitor(language: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_a_page_the_role_may_not_open_is_refused_in_the_layout_and_language(as_user,
                                                                           language):
    response = as_user("analyst_kpcn", language=language).get(reverse("reporting:schedules"))
    assert response.status_code == 403
    assert_site_page(response, language, "You cannot open this page")
    assert 'class="main bar"' in response.content.decode()  # the menu is still there


@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_an_unknown_address_is_answered_in_the_layout_and_language(db, language):
    response = visitor(language).get("/no-such-page/")
    assert response.status_code == 404
    assert_site_page(response, language, "Page not found")


def test_the_dutch_404_is_dutch(db):
    assert "Pagina niet gevonden" in visitor("nl").get("/no-such-page/").content.decode()


@pytest.mark.urls("tests.register.error_urls")
@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_a_failure_is_answered_in_the_layout_and_language_without_the_database(language):
    """No db fixture: pytest-django refuses any query, so the page needs no database."""
    assert settings.DEBUG is False
    response = visitor(language, raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    assert_site_page(response, language, "Something went wrong")
    assert "RuntimeError" not in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_a_form_sent_without_its_token_is_explained_in_the_layout_and_language(db, language):
    response = visitor(language, enforce_csrf_checks=True).post(
        reverse("login"), {"username": "reporter.kmar", "password": "x"})
    assert response.status_code == 403
    assert_site_page(response, language, "The form has expired")
