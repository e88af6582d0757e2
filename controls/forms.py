from django import forms
from django.utils.translation import gettext_lazy as _

from controls.limits import (
    BUSINESS_NAME,
    BUSINESSES_PER_CONTROL,
    COUNT_MAX,
    FINDING_DESCRIPTION,
    FINDINGS_PER_CONTROL,
    PARTICIPANTS_PER_CONTROL,
    PLAN_TEXT,
    RESULTS_TEXT,
    TASK,
)
from controls.models import Control, ControlFinding
from register.models import Organisation
from register.ui import DateInput
from signals.vocab import Island, Sector


def _organisations():
    return Organisation.objects.filter(is_active=True)


class PlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Date"), widget=DateInput())
    island = forms.ChoiceField(label=_("Island"), choices=[("", "-")] + Island.choices[:3])
    place = forms.CharField(label=_("Place"), max_length=PLAN_TEXT["place"])
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "-")] + Sector.choices)
    initiating_organisation = forms.ModelChoiceField(label=_("Initiated by"),
                                                     queryset=_organisations())
    directing_organisation = forms.ModelChoiceField(
        label=_("Directed by"), queryset=_organisations(),
        help_text=_("The action plan expects KPCN to direct every control."))
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"), queryset=_organisations(), required=False,
        widget=forms.CheckboxSelectMultiple)
    # A line per participant or business, each within its own limit (checked below).
    tasks = forms.CharField(label=_("Tasks per organisation"), required=False,
                            max_length=PARTICIPANTS_PER_CONTROL * (TASK + 30),
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One line each, e.g. 'SZW: working conditions'."))
    businesses = forms.CharField(label=_("Businesses to visit"), required=False,
                                 max_length=BUSINESSES_PER_CONTROL * (BUSINESS_NAME + 2),
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("One business per line."))
    goal = forms.CharField(label=_("Goal"), max_length=PLAN_TEXT["goal"],
                           widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.CharField(label=_("Team"), required=False, max_length=PLAN_TEXT["team"],
                           widget=forms.Textarea(attrs={"rows": 2}))
    briefing = forms.CharField(label=_("Briefing"), required=False,
                               max_length=PLAN_TEXT["briefing"],
                               widget=forms.Textarea(attrs={"rows": 2}))

    def clean_participants(self):
        value = self.cleaned_data["participants"]
        if len(value) > PARTICIPANTS_PER_CONTROL:
            raise forms.ValidationError(
                _("A control has at most %(count)s participating organisations.")
                % {"count": PARTICIPANTS_PER_CONTROL})
        return value

    def clean_businesses(self):
        lines = [line.strip() for line in self.cleaned_data["businesses"].splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) > BUSINESS_NAME for line in lines):
            raise forms.ValidationError(_("A business name has at most %(count)s characters.")
                                        % {"count": BUSINESS_NAME})
        if len(lines) > BUSINESSES_PER_CONTROL:
            raise forms.ValidationError(_("A control visits at most %(count)s businesses.")
                                        % {"count": BUSINESSES_PER_CONTROL})
        return "\n".join(lines)

    def clean_tasks(self):
        value = self.cleaned_data["tasks"]
        if any(len(line.partition(":")[2].strip()) > TASK for line in value.splitlines()):
            raise forms.ValidationError(_("A task has at most %(count)s characters.")
                                        % {"count": TASK})
        return value

    def tasks_by_code(self) -> dict[str, str]:
        tasks = {}
        for line in self.cleaned_data.get("tasks", "").splitlines():
            code, _sep, task = line.partition(":")
            if task:
                tasks[code.strip().lower()] = task.strip()
        return tasks


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=_("The control was"), choices=[
        (Control.Status.HELD, _("Held")), (Control.Status.CANCELLED, _("Cancelled"))],
        widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput())
    cancelled_reason = forms.CharField(label=_("Reason for cancelling"),
                                       max_length=RESULTS_TEXT["cancelled_reason"],
                                       required=False)
    took_part = forms.ModelMultipleChoiceField(
        label=_("Organisations that took part"), queryset=_organisations(), required=False,
        widget=forms.CheckboxSelectMultiple)
    persons_checked = forms.IntegerField(label=_("Persons checked"), min_value=0,
                                         max_value=COUNT_MAX, required=False)
    businesses_checked = forms.IntegerField(label=_("Businesses checked"), min_value=0,
                                            max_value=COUNT_MAX, required=False)
    arrests = forms.IntegerField(label=_("Arrests"), min_value=0, max_value=COUNT_MAX,
                                 required=False)
    fines = forms.IntegerField(label=_("Fines issued"), min_value=0, max_value=COUNT_MAX,
                               required=False)
    follow_up_agreed = forms.CharField(label=_("Follow-up agreed"), required=False,
                                       max_length=RESULTS_TEXT["follow_up_agreed"],
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, control=None, **kwargs):
        super().__init__(*args, **kwargs)
        if control is not None:
            self.fields["took_part"].queryset = _organisations().filter(
                pk__in=control.participants.values("organisation"))


class FindingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"),
                                 choices=[("", "-")] + ControlFinding.Category.choices)
    count = forms.IntegerField(label=_("Number of violations"), min_value=1,
                               max_value=COUNT_MAX, initial=1)
    description = forms.CharField(label=_("Description"), required=False,
                                  max_length=FINDING_DESCRIPTION,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, control=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.control = control

    def clean(self):
        cleaned = super().clean()
        if self.control is not None and (
                self.control.findings.count() >= FINDINGS_PER_CONTROL):
            raise forms.ValidationError(_("A control has at most %(count)s findings.")
                                        % {"count": FINDINGS_PER_CONTROL})
        return cleaned


class ReportForm(forms.Form):
    report = forms.FileField(label=_("Written report (PDF)"))


class TargetForm(forms.Form):
    island = forms.ChoiceField(label=_("Island"), choices=[("", "-")] + Island.choices[:3])
    year = forms.IntegerField(label=_("From year"), min_value=2017, max_value=2100,
                              help_text=_("Applies to this year and the years after it; "
                                          "earlier years keep their target."))
    target = forms.IntegerField(label=_("Controls a year"), min_value=0, max_value=100)
