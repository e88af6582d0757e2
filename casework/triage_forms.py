"""Forms of the triage page and of the reporter's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.dossier_forms import AnalystField, analysts
from register.models import User
from register.numbering import signal_reference_pattern
from signals.limits import TRIAGE_TEXT
from signals.vocab import (
    ExploitationForm,
    InformationReliability,
    Island,
    Sector,
    SourceReliability,
)


class GradeForm(forms.Form):
    source = forms.ChoiceField(label=_("Reliability of the source"),
                               choices=[("", "-")] + SourceReliability.choices)
    information = forms.ChoiceField(label=_("Reliability of the information"),
                                    choices=[("", "-")] + InformationReliability.choices)


class CodingForm(forms.Form):
    island = forms.ChoiceField(label=_("Island"), choices=Island.choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=Sector.choices)
    forms = forms.MultipleChoiceField(label=_("Forms"), choices=ExploitationForm.choices,
                                      widget=forms.CheckboxSelectMultiple)


class QuestionForm(forms.Form):
    question = forms.CharField(label=_("Question to the reporter"), max_length=TRIAGE_TEXT,
                               widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why the signal is not taken up"), max_length=TRIAGE_TEXT,
                             widget=forms.Textarea(attrs={"rows": 3}))
    reason_for_reporter = forms.CharField(
        label=_("What the reporter is told of why (optional)"), max_length=TRIAGE_TEXT,
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The reporter sees this with the signal's status. Leave it empty to tell "
                    "them only that it was not taken up."))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class SearchForm(forms.Form):
    """Searched by POST: the terms (names, phones, documents) never appear in a URL."""

    query = forms.CharField(
        label=_("Search"), max_length=200, min_length=2,
        help_text=_("A name, reference (MH-/DS-), phone, document number, business or vessel."))


class ReferenceForm(forms.Form):
    reference = forms.RegexField(
        label=_("Signal reference"), regex=rf"^{signal_reference_pattern()}$",
        help_text=_("For example MH-2026-000123."),
        error_messages={"invalid": _("Use the form MH-2026-000123.")})


class AssignForm(forms.Form):
    analyst = AnalystField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analyst"].queryset = analysts()


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100, help_text=_(
        "What it looks for, without names: e.g. 'Vessels from Venezuela, 2026'."))
    query = forms.CharField(widget=forms.HiddenInput, max_length=200, min_length=2)
