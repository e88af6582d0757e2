"""The start page tells each role in two sentences what it does here and where to start."""

import pytest
from django.urls import reverse

from register.views.pages import ROLE_INTRODUCTIONS

# persona, its role, and the page its introduction sends it to first
ROLES = [
    ("reporter_kmar", "reporter", "signals:new"),
    ("analyst_kpcn", "analyst", "casework:inbox"),
    ("coordinator", "coordinator", "reporting:dashboard"),
    ("manager", "manager", "manage_users"),
    ("auditor", "auditor", "audit_events"),
]


@pytest.mark.parametrize(("name", "role", "start"), ROLES)
def test_the_home_page_says_what_the_role_does_and_where_to_start(as_user, name, role, start):
    page = as_user(name).get(reverse("home")).content.decode()
    text, url_name, link = ROLE_INTRODUCTIONS[role]
    assert url_name == start
    assert str(text).replace("'", "&#x27;") in page
    assert f'<a href="{reverse(start)}">{link}</a>' in page
    others = [str(t) for r, (t, _, _) in ROLE_INTRODUCTIONS.items() if r != role]
    assert not any(other.replace("'", "&#x27;") in page for other in others)


def test_the_role_introduction_names_the_role_in_the_page_language(as_user):
    page = as_user("analyst_kpcn", language="nl").get(reverse("home")).content.decode()
    section = page.split('<section class="role-introduction"')[1].split("</section>")[0]
    assert "Analist" in section
