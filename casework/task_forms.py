"""The portfolio holder's forms on a task."""

from django import forms
from django.utils.translation import gettext_lazy as _

from register.models import FollowUpAction
from register.ui import DateInput

OUTCOMES = [(value, label) for value, label in FollowUpAction.Outcome.choices
            if value != FollowUpAction.Outcome.PLANNED]


class TaskDeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why your organisation declines"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class TaskProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For example: hearing set for 3 March."))


class TaskOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "-")] + OUTCOMES)
    happened_on = forms.DateField(label=_("Date it happened"), required=False,
                                  widget=DateInput())
    ends_on = forms.DateField(label=_("Runs until"), required=False, widget=DateInput())
    explanation = forms.CharField(
        label=_("What was done"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: hospitality licence revoked."))
    document = forms.FileField(label=_("Decision document (PDF, JPEG or PNG)"), required=False)
