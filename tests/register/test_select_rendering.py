"""A select is written out in Python (register.ui.select_html) for speed: it must give exactly
what its template gives, for every kind of choice, label and attribute."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from register.ui import SELECT_TEMPLATE, FormRenderer, select_html

CHOICES = [("", "---------"), ("a", "Plain"), (1, "A number"), ("x<y", 'Tom & "Jerry" <b>'),
           ("safe", mark_safe("<em>safe</em>")), ("lazy", gettext_lazy("Island")),
           ("Group <1>", [("g1", "In a group"), ("g2", "Also & in it")]), (2.5, 3.75)]


def by_template(widget, name, value, attrs=None):
    renderer = FormRenderer()
    context = widget.get_context(name, value, attrs)
    template = renderer.get_template(SELECT_TEMPLATE)
    return template.render(context).strip()  # as the renderer gives it


WIDGETS = [
    ("a select", forms.Select(choices=CHOICES), "a"),
    ("nothing chosen", forms.Select(choices=CHOICES), None),
    ("a number chosen", forms.Select(choices=CHOICES), 1),
    ("a chosen option in a group", forms.Select(choices=CHOICES), "g2"),
    ("several chosen", forms.SelectMultiple(choices=CHOICES), ["a", "g1", "x<y"]),
    ("attributes true, false and text", forms.Select(
        choices=CHOICES, attrs={"required": True, "disabled": False, "class": 'a"b',
                                "aria-describedby": mark_safe("id_x_helptext")}), "safe"),
    ("yes, no or unknown", forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize("label,widget,value", WIDGETS, ids=[w[0] for w in WIDGETS])
@pytest.mark.parametrize("language", ["nl", "en", "pap"])
def test_a_select_written_in_python_is_what_its_template_writes(label, widget, value, language):
    with override(language):
        expected = by_template(widget, "field", value, {"id": "id_field"})
        written = select_html(widget.get_context("field", value, {"id": "id_field"})["widget"])
    assert "<option" in expected
    assert written == expected


def test_a_form_field_shows_its_select_through_the_python_writer(monkeypatch):
    called = []
    from register import ui

    real = ui.select_html
    monkeypatch.setattr(ui, "select_html", lambda widget: called.append(1) or real(widget))

    class ChoiceForm(forms.Form):
        island = forms.ChoiceField(choices=[("bonaire", "Bonaire"), ("saba", "Saba")])

    assert '<option value="saba">Saba</option>' in str(ChoiceForm()["island"])
    assert called
