"""The bar of bulk actions under the inbox and the dossier list.

The rows are ticked in the same plain HTML form: `selected` holds the ticked references or
numbers, `on_page` every row the page showed. "Select all on this page" is a checkbox the
server reads (it then takes `on_page`), so it works without JavaScript; a static script only
ticks the boxes to show it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.dossier_forms import AnalystChoiceField, AnalystField, analysts
from register.models import User
from register.numbering import dossier_number_pattern, signal_reference_pattern

PREFIX = "bulk"
EXPORTS = {"export_csv": "csv", "export_xlsx": "xlsx"}


class _SelectionForm(forms.Form):
    select_all = forms.BooleanField(label=_("Select all on this page"), required=False)
    pattern = ""  # what one selected reference or number looks like
    empty_message = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.selection: list[str] = []

    def chosen(self) -> list[str]:
        """What the rows' boxes (or "select all") chose, as posted; [] when not bound."""
        if not self.is_bound:
            return []
        all_on_page = self.data.get(self.add_prefix("select_all")) in ("on", "true", "1")
        return self.data.getlist("on_page" if all_on_page else "selected")

    def clean(self):
        data = super().clean()
        chosen = self.chosen()
        if any(not re.fullmatch(self.pattern, value) for value in chosen):
            raise ValidationError(_("The selection holds something that is not a reference "
                                    "or number."), code="invalid")
        if not chosen:
            raise ValidationError(self.empty_message, code="empty")
        self.selection = list(dict.fromkeys(chosen))
        return data

    @property
    def export_format(self) -> str | None:
        return EXPORTS.get(self.cleaned_data.get("action", ""))


class SignalBulkForm(_SelectionForm):
    # Set by the button pressed; blank first, so no action is ever taken by default.
    action = forms.ChoiceField(choices=[
        ("", "-"), ("add_to_dossier", _("Add to dossier")), ("assign", _("Assign")),
        ("assign_me", _("Take up myself")), ("export_csv", _("Export as CSV")),
        ("export_xlsx", _("Export as Excel"))])
    number = forms.RegexField(
        label=_("Dossier number"), regex=rf"^{dossier_number_pattern()}$", required=False,
        help_text=_("For example DS-2026-0007."),
        error_messages={"invalid": _("Use the form DS-2026-0007.")})
    analyst = AnalystField(label=_("Analyst"), queryset=User.objects.none(), required=False)

    @property
    def pattern(self):
        return signal_reference_pattern()

    empty_message = _("Choose at least one signal: tick its box in the list.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analyst"].queryset = analysts()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "assign" and not data.get("analyst"):
            self.add_error("analyst", _("Choose the analyst to assign the signals to."))
        if action == "add_to_dossier" and not data.get("number") and \
                "number" not in self.errors:
            self.add_error("number", _("Give the number of the dossier."))
        return data


class DossierBulkForm(_SelectionForm):
    action = forms.ChoiceField(choices=[
        ("", "-"), ("assign", _("Assign")), ("assign_me", _("Assign to me")),
        ("export_csv", _("Export as CSV")), ("export_xlsx", _("Export as Excel"))])
    analysts = AnalystChoiceField(label=_("Analysts"), queryset=User.objects.none(),
                                  required=False, widget=forms.CheckboxSelectMultiple)

    @property
    def pattern(self):
        return dossier_number_pattern()

    empty_message = _("Choose at least one dossier: tick its box in the list.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysts"].queryset = analysts()

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("analysts"):
            self.add_error("analysts", _("Choose the analysts to assign the dossiers to."))
        return data
