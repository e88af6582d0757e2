"""Every required field of every form page of every role is marked: a visible * on its label
or legend (explained on the page) and aria-required for assistive technology."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.test_route_matrix import (  # noqa: F401 (kmar_signal is a fixture)
    PERMITTED_PERSONA,
    ROUTES,
    kmar_signal,
    url_for,
)

PAGES = sorted(name for name, route in ROUTES.items()
               if route.allowed and route.method == "get" and not route.api)
CONTROLS = ("input", "select", "textarea")


class _Form(HTMLParser):
    """The required controls of a page, and which labels and legends carry the marker."""

    def __init__(self):
        super().__init__()
        self.required: list[dict] = []
        self.marked_labels: set[str] = set()
        self._label_for = None
        self._fieldsets: list[dict] = []  # {"marked": bool, "in_legend": bool}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self._fieldsets.append({"marked": False, "in_legend": False})
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1]["in_legend"] = True
        elif tag == "label":
            self._label_for = attrs.get("for")
        elif tag == "span" and "required-marker" in (attrs.get("class") or "").split():
            if self._label_for:
                self.marked_labels.add(self._label_for)
            if self._fieldsets and self._fieldsets[-1]["in_legend"]:
                self._fieldsets[-1]["marked"] = True
        if tag in CONTROLS and "required" in attrs:
            self.required.append({**attrs, "_tag": tag,
                                  "_fieldset": self._fieldsets[-1] if self._fieldsets else None})

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        elif tag == "legend" and self._fieldsets:
            self._fieldsets[-1]["in_legend"] = False
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()


def unmarked(body: str) -> list[str]:
    page = _Form()
    page.feed(body)
    problems = []
    for control in page.required:
        name = control.get("name") or control.get("id")
        if control.get("type") == "radio":
            if not (control["_fieldset"] and control["_fieldset"]["marked"]):
                problems.append(f"{name}: no * on the legend")
            continue
        if control.get("aria-required") != "true":
            problems.append(f"{name}: no aria-required")
        if control.get("id") not in page.marked_labels and not (
                control["_fieldset"] and control["_fieldset"]["marked"]):
            problems.append(f"{name}: no * on the label")
    return problems


def legend() -> str:
    with translation.override("en"):
        return gettext("Fields marked * are required.")


@pytest.mark.parametrize("name", PAGES)
def test_every_required_field_on_a_form_page_is_marked_for_every_role(kmar_signal, as_user,  # noqa: F811
                                                                     name):
    for role in sorted(ROUTES[name].allowed):
        response = as_user(PERMITTED_PERSONA[role]).get(url_for(name, kmar_signal))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        assert unmarked(body) == [], f"{name} as {role}"
        if 'class="required-marker"' in body:
            assert legend() in body, f"{name} as {role}: the * is not explained"


@pytest.mark.parametrize("route", ["login", "password_change"])
def test_the_account_pages_mark_their_required_fields(as_user, client, route):
    response = (client if route == "login" else as_user("reporter_kmar")).get(reverse(route))
    assert unmarked(response.content.decode()) == []
    assert 'class="required-marker"' in response.content.decode()


def test_the_control_plan_marks_its_goal_as_required(as_user):
    body = as_user("reporter_kmar").get(reverse("controls:new")).content.decode()
    page = _Form()
    page.feed(body)
    goal = next(c for c in page.required if c.get("name") == "goal")
    assert goal["aria-required"] == "true"
    assert goal["id"] in page.marked_labels
    assert legend() in body
