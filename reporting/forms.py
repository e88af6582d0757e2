import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.ui import DateInput
from reporting.models import ReportKind, ReportSchedule


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    period_start = forms.DateField(
        label=_("From"), widget=DateInput(),
        help_text=_("The first day the report covers."),
        error_messages={"required": _("Enter the first day of the period.")})
    period_end = forms.DateField(
        label=_("Until"), widget=DateInput(),
        help_text=_("The last day the report covers."),
        error_messages={"required": _("Enter the last day of the period.")})
    language = forms.ChoiceField(label=_("Language"), choices=[
        ("nl", _("Dutch")), ("en", _("English")), ("pap", _("Papiamentu"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The period is the requester's to choose: a proposed one (1 January to today) was
        # sent unnoticed by whoever left the dates alone, and made a report nobody asked for.
        for name in ("period_start", "period_end"):
            self.initial.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The end comes before the start."))
            elif end - start > dt.timedelta(days=366 * 5):
                self.add_error("period_end", _("A report covers at most five years."))
            elif start > timezone.localdate():
                raise ValidationError(_("A report cannot start in the future."))
        return cleaned


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The written part of the report: what the figures mean and what follows "
                    "from them. Blank lines separate paragraphs. Write no names or other "
                    "details that could identify a person."))


class FinaliseForm(forms.Form):
    """Finalising cannot be undone: the coordinator confirms having read the preview, with a
    box on the form itself (no script), so that a stray click finalises nothing."""

    read = forms.BooleanField(
        label=_("I have read the preview: the figures and the commentary are right."),
        error_messages={"required": _(
            "Tick the box to confirm that you have read the preview before finalising.")})


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = ["enabled", "every_months"]
        widgets = {"every_months": forms.Select(choices=[(n, n) for n in (1, 2, 3, 4, 6, 12)])}
