"""A field group and its label are written out in Python (register.ui.field_html and
label_html) for speed: they must give exactly what their templates give, for every form of
the register, bound and unbound, in every language, and for every branch of the templates."""

import importlib
import inspect

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from register.ui import FormRenderer

FORM_MODULES = ["casework.bulk_forms", "casework.task_forms", "casework.import_forms",
                "casework.triage_forms", "casework.dossier_forms", "signals.forms",
                "register.forms", "register.disclosure_forms", "controls.forms",
                "reporting.forms"]
LANGUAGES = ["nl", "en", "pap"]


class TemplatesOnly(FormRenderer):
    """The register's renderer drawing every part through its template, as before."""

    def render(self, template_name, context, request=None):
        return DjangoTemplates.render(self, template_name, context, request)


def both_ways(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(field name, by the templates, written in Python) for every field of the form."""
    def group(name, renderer):
        form.renderer = renderer
        form._bound_fields_cache.pop(name, None)  # a bound field keeps its form's renderer
        return str(form[name].as_field_group())

    return [(name, group(name, TemplatesOnly()), group(name, FormRenderer()))
            for name in form.fields]


def project_forms() -> list[type[forms.BaseForm]]:
    def made_here(cls, module_name):
        if not (issubclass(cls, forms.BaseForm) and cls.__module__ == module_name):
            return False
        return not issubclass(cls, forms.BaseModelForm) or cls._meta.model is not None

    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        found += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                  if made_here(cls, module_name)]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_of_the_register_is_drawn_in_python_as_its_templates_draw_it(db, language):
    drawn_forms = 0
    with override(language):
        for cls in project_forms():
            # Unbound, and bound with every required field missing.
            for data in (None, QueryDict(mutable=True)):
                try:
                    form = cls(data=data) if data is not None else cls()
                except TypeError:
                    continue  # a form that needs more to be made (a user, a signal)
                form.is_bound and form.is_valid()
                for name, expected, written in both_ways(form):
                    assert written == expected, f"{cls.__name__}.{name}"
                drawn_forms += 1
    assert drawn_forms >= 20  # most of the register's forms, not a lucky few


WORKLISTS = ["casework.worklists.SignalWorklist", "casework.worklists.DossierWorklist",
             "casework.more_worklists.FollowUpWorklist", "casework.more_worklists.PersonWorklist",
             "register.selectors.audit.AuditEventFilter"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", WORKLISTS)
def test_the_filter_bars_are_drawn_in_python_as_their_templates_draw_them(db, language, path):
    module_name, name = path.rsplit(".", 1)
    worklist = getattr(importlib.import_module(module_name), name)
    wrong = QueryDict(mutable=True)
    for field in worklist.base_filters:
        wrong[field] = "not-a-choice"
    with override(language):
        for data in (None, QueryDict(), wrong):
            filterset = worklist(data, queryset=worklist._meta.model.objects.none())
            form = filterset.form
            form.is_bound and form.is_valid()
            for field, expected, written in both_ways(form):
                assert written == expected, f"{name}.{field}"


class EveryBranch(forms.Form):
    """A field for each branch of field.html and label.html."""

    required_text = forms.CharField(label='Name & "alias" <b>', help_text="Help <i>safe</i>")
    optional_lazy = forms.CharField(label=gettext_lazy("Island"), required=False)
    unlabelled = forms.CharField(label="", required=False)
    safe_label = forms.CharField(label=mark_safe("<em>Safe</em>"), required=False)
    question = forms.CharField(label="Which island?", required=False)
    padded = forms.CharField(label=" Padded ", required=False)
    radios = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect,
                               help_text="Pick one")
    ticks = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False,
                                      widget=forms.CheckboxSelectMultiple)
    choice = forms.ChoiceField(choices=[("", "-"), ("s", "Saba")], label="Choice")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    with_id = forms.CharField(required=False, widget=forms.TextInput(attrs={"id": "own"}))
    number = forms.DecimalField(required=False, initial=1234.5)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("options", [
    {}, {"data": QueryDict()}, {"data": QueryDict("required_text=x&radios=z")},
    {"auto_id": False},
    {"prefix": "form-__prefix__"}, {"label_suffix": ":"}, {"auto_id": False, "label_suffix": ""},
    {"use_required_attribute": False},
], ids=["unbound", "bound empty", "bound wrong", "no ids", "empty formset form",
        "label suffix", "no ids and no suffix", "no required attribute"])
def test_every_branch_of_the_field_and_label_templates_is_drawn_the_same(language, options):
    with override(language):
        form = EveryBranch(**options)
        form.is_bound and form.is_valid()
        drawn = both_ways(form)
    assert any("<fieldset" in expected for _, expected, _ in drawn)
    assert any("required-legend" in expected for _, expected, _ in drawn) == (
        not options.get("prefix") and options.get("use_required_attribute", True))
    for name, expected, written in drawn:
        assert written == expected, name


def test_a_form_field_group_goes_through_the_python_writer(monkeypatch):
    from register import ui

    called = []
    real = ui.field_html
    monkeypatch.setattr(ui, "field_html", lambda field: called.append(1) or real(field))
    assert 'class="required-marker"' in str(EveryBranch()["required_text"].as_field_group())
    assert called
