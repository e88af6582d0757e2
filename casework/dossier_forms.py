"""Forms of the dossier and person pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from register.models import Dossier, DossierPerson, FollowUpAction, Organisation, Role, User
from register.numbering import dossier_number_pattern
from register.ui import DateInput, ListedChoiceField
from register.vocab import ExploitationForm
from signals.models import Attachment


def analysts():
    return (User.objects.filter(is_active=True, role_grants__role=Role.ANALYST)
            .select_related("organisation").order_by("username"))


def analyst_label(user: User) -> str:
    return f"{user.display_name} ({user.organisation.code.upper()})"


class AnalystChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return analyst_label(user)


class AnalystField(ListedChoiceField):
    """One analyst, chosen by account number; the list shows names and organisations."""

    def label_from_instance(self, user):
        return analyst_label(user)


class DossierOpenForm(forms.Form):
    title = forms.CharField(label=_("Working title"), max_length=200, help_text=_(
        "No names: e.g. 'Construction site Kralendijk, withheld passports'."))
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Dossier.Priority.choices,
                                      coerce=int, initial=Dossier.Priority.NORMAL)


class DossierUpdateForm(forms.Form):
    title = forms.CharField(label=_("Working title"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=Dossier.Status.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Dossier.Priority.choices,
                                      coerce=int)
    closed_reason = forms.CharField(label=_("Reason for closing"), max_length=300,
                                    required=False)


class AnalystsForm(forms.Form):
    analysts = AnalystChoiceField(label=_("Analysts"), queryset=User.objects.none(),
                                  required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysts"].queryset = analysts()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=10000)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"),
                             choices=[("", "-")] + FollowUpAction.Kind.choices)
    organisation = forms.ModelChoiceField(label=_("Responsible organisation"),
                                          queryset=Organisation.objects.filter(is_active=True))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpAction.Outcome.choices)
    happened_on = forms.DateField(label=_("Date it happened"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Runs until"), required=False, widget=DateInput(),
                              help_text=_("For what lasts: shelter, a reflection period, a "
                                          "residence permit, a guardianship."))
    explanation = forms.CharField(label=_("Explanation"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    brief = forms.CharField(
        label=_("Brief for the partner"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask another organisation: its portfolio holders get "
                    "a task with this brief. Write only what they need; sharing it is "
                    "recorded as a disclosure."))
    attachments = forms.ModelMultipleChoiceField(
        label=_("Attachments to share with the partner"), required=False,
        queryset=Attachment.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None:
            self.fields["attachments"].queryset = Attachment.objects.filter(
                signal__dossier=dossier).select_related("signal").order_by("received_at")
            self.fields["attachments"].label_from_instance = (
                lambda a: f"{a.signal.reference}: {a.original_name}")
        if not self.fields["attachments"].queryset.exists():
            del self.fields["attachments"]


class FollowUpOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpAction.Outcome.choices)
    happened_on = forms.DateField(label=_("Date it happened"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Runs until"), required=False, widget=DateInput())
    explanation = forms.CharField(label=_("Explanation"), required=False, max_length=5000)


class DossierPersonForm(forms.Form):
    victim_status = forms.ChoiceField(
        label=_("Victim status"), required=False,
        choices=[("", "-")] + DossierPerson.VictimStatus.choices)
    status_decided_by = forms.ChoiceField(
        label=_("Decided by"), required=False,
        choices=[("", "-")] + DossierPerson.DecidedBy.choices)
    identified_on = forms.DateField(label=_("Identified on"), required=False, widget=DateInput())
    form_of_exploitation = forms.ChoiceField(
        label=_("Form of exploitation"), required=False,
        choices=[("", "-")] + ExploitationForm.choices)


class NumberForm(forms.Form):
    number = forms.RegexField(label=_("Dossier number"), regex=rf"^{dossier_number_pattern()}$",
                              help_text=_("For example DS-2026-0007."),
                              error_messages={"invalid": _("Use the form DS-2026-0007.")})


class PersonNumberForm(forms.Form):
    person = forms.RegexField(label=_("Person number"), regex=r"^P-\d+$",
                              help_text=_("For example P-123, as shown on the person's page."),
                              error_messages={"invalid": _("Use the form P-123.")})

    def person_id(self) -> int:
        return int(self.cleaned_data["person"][2:])


class RestrictionForm(NumberForm):
    analysts = AnalystChoiceField(
        label=_("Analysts who may see it"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the dossier is open to all analysts again."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysts"].queryset = analysts()
