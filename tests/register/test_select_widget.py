"""The register's <select> template writes its options in place (no template include per
option, which made a list's filter form cost more than its rows) and gives exactly the HTML of
Django's own select and option templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from register.ui import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), ("b", '"quoted"')])
    grouped = forms.ChoiceField(choices=[("Fruit", [("1", "Apple"), ("2", "Pear")]),
                                         ("3", "Other")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    attributes = forms.ChoiceField(choices=[("1", "One")], widget=forms.Select(
        attrs={"data-x": "1 < 2", "disabled": True, "hidden": False}))


class DjangosTemplates(DjangoTemplates):
    bound_field_class = FormRenderer.bound_field_class  # the same aria-required marking


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "2", "many": ["x", "z"],
                                         "attributes": "1"}])
def test_the_select_template_gives_the_html_of_djangos_own(data):
    ours = Choices(data, renderer=FormRenderer())
    djangos = Choices(data, renderer=DjangosTemplates())
    for name in Choices.base_fields:
        mine, theirs = str(ours[name]), str(djangos[name])
        assert mine == theirs, name
    assert FormRenderer().get_template("django/forms/widgets/select.html").origin.name \
        .endswith("partials/forms/django/forms/widgets/select.html")
