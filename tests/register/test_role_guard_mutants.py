"""`role_required` on its own: who is sent to log in, who gets 403 and what the view receives
(`register/access.py`, mutation testing in issue 14)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from register.access import role_required
from register.models import Role
from tests.personas import persona


def guarded(*roles):
    @role_required(*roles)
    def a_view(request, *args, **kwargs):
        """The page itself."""
        return ("the view ran", args, kwargs)

    return a_view


def request_by(user, path="/somewhere/deep/?page=2&sort=name"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_an_anonymous_visitor_is_sent_to_the_login_page_and_back_to_the_full_path():
    response = guarded(Role.ANALYST)(request_by(AnonymousUser()))
    assert response.status_code == 302
    login, _, back = response["Location"].partition("?")
    assert login == reverse(settings.LOGIN_URL)
    assert back == "next=/somewhere/deep/%3Fpage%3D2%26sort%3Dname"


@pytest.mark.parametrize("name", ["reporter_kmar", "coordinator", "manager", "auditor"])
def test_a_user_without_the_role_gets_403_and_the_view_never_runs(db, name):
    with pytest.raises(PermissionDenied):
        guarded(Role.ANALYST)(request_by(persona(name)))


@pytest.mark.parametrize(("roles", "name"), [
    ((Role.ANALYST,), "analyst_kpcn"),
    ((Role.REPORTER, Role.ANALYST), "reporter_kmar"),
    ((Role.REPORTER, Role.ANALYST), "analyst_om"),
])
def test_a_user_with_any_one_of_the_roles_reaches_the_view_with_its_arguments(db, roles, name):
    result = guarded(*roles)(request_by(persona(name)), "MH-1", part="persons")
    assert result == ("the view ran", ("MH-1",), {"part": "persons"})


def test_a_user_whose_account_was_deactivated_is_refused_even_with_the_role(db):
    analyst = persona("analyst_kpcn")
    analyst.is_active = False
    with pytest.raises(PermissionDenied):
        guarded(Role.ANALYST)(request_by(analyst))


def test_the_guarded_view_keeps_its_name_and_tells_which_roles_it_needs():
    view = guarded(Role.REPORTER, Role.ANALYST)
    assert view.__name__ == "a_view"
    assert view.__doc__ == "The page itself."
    assert view.required_roles == (Role.REPORTER, Role.ANALYST)
