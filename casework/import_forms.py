"""Forms of the bulk import pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.imports.fields import offered_fields
from register.models import Organisation


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation whose signals these are"),
        queryset=Organisation.objects.order_by("name"), to_field_name="code")
    file = forms.FileField(label=_("File (.xlsx or .csv)"),
                           help_text=_("The first row names the columns; one signal a row."))


class MappingForm(forms.Form):
    """One choice per column of the file: the field of the signal form it fills, or none."""

    def __init__(self, *args, columns: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        offered = offered_fields()
        known = {name for name, _label in offered}
        extra = [(f, f) for f in mapping.values() if f not in known]
        choices = [("", _("(not imported)")), *offered, *extra]
        self.columns = columns
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column, choices=choices, required=False,
                initial=mapping.get(column, ""))

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data[f"column_{index}"]
                for index, column in enumerate(self.columns)
                if self.cleaned_data.get(f"column_{index}")}


class ConfirmForm(forms.Form):
    take_in = forms.BooleanField(
        label=_("Take the signals straight into the register (historic records reviewed "
                "in this preview)"), required=False)
