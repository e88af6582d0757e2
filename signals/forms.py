"""The standard signal form (covenant sections 4-5) as web forms."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from register.models import Organisation
from register.ui import DateInput
from signals import rules
from signals.attachments import check_upload
from signals.countries import country_choices
from signals.vocab import (
    DocumentType,
    ExploitationForm,
    Indicator,
    Island,
    PersonRole,
    Sector,
    Sex,
    VehicleKind,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked by content, and each bad one is named."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _blank(label):
    return [("", label)]


class SignalEntryForm(forms.Form):
    """The signal itself. `paper=True` is the analyst's variant for a signal on paper."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=_("Your name"), max_length=200)
    reporter_organisation = forms.ModelChoiceField(
        label=_("Reporter's organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    reporter_phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False)
    reporter_email = forms.EmailField(label=_("Your e-mail address"), required=False)
    observed_on = forms.DateField(
        label=_("Date of the signal"),
        help_text=_("When was this seen or heard?"),
        widget=DateInput(),
    )
    island = forms.ChoiceField(label=_("Island"), choices=Island.choices,
                               widget=forms.RadioSelect)
    location = forms.CharField(
        label=_("Place"), max_length=200, required=False,
        help_text=_("Neighbourhood, street, beach or business premises."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=_blank(_("Not known / not applicable")) + Sector.choices,
        required=False,
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators observed"),
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description of the signal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("What did you see or hear, who was involved, and what happened next?"),
    )
    immediate_danger = forms.BooleanField(
        label=_("Someone may be in immediate danger"), required=False,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    # Last in the class body: the field's name `forms` hides the django.forms module below it.
    forms = forms.MultipleChoiceField(
        label=_("Form of trafficking or smuggling"),
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that may apply. Not sure? Tick 'Other or unknown'."),
        error_messages={"required": _("Tick at least one form, or 'Other or unknown'.")},
    )

    def __init__(self, *args, paper: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.paper = paper
        # Set per request: a translated string with a number must not be frozen at import.
        self.fields["attachments"].help_text = _(
            "PDF, JPEG or PNG; at most %(count)s files."
        ) % {"count": settings.ATTACHMENTS_PER_SIGNAL}
        if paper:
            self.fields["reporter_name"].label = _("Reporter's name")
            self.fields["reporter_phone"].label = _("Reporter's phone number")
            self.fields["reporter_email"].label = _("Reporter's e-mail address")
            self.fields["reporter_organisation"].required = True
        else:
            del self.fields["reporter_organisation"]
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex

    def clean_observed_on(self):
        value = self.cleaned_data["observed_on"]
        if message := rules.check_observed_on(value):
            raise ValidationError(message)
        return value

    def clean_reporter_phone(self):
        value = self.cleaned_data["reporter_phone"].strip()
        if message := rules.check_phone(value):
            raise ValidationError(message)
        return value

    def clean_form_token(self):
        value = self.cleaned_data["form_token"]
        try:
            return uuid.UUID(value).hex
        except ValueError:
            raise ValidationError(_("The form was damaged; please reload the page.")) from None

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        errors = []
        self.valid_files = []
        for upload in files:
            try:
                self.valid_files.append((upload, check_upload(upload)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return files


class PartForm(forms.Form):
    """A person, business or vehicle row: empty rows are ignored, not refused."""

    check = None

    def __init__(self, *args, **kwargs):
        kwargs["use_required_attribute"] = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.check and not self.errors:
            for field, message in type(self).check(cleaned).items():
                self.add_error(field, message)
        return cleaned


class PersonForm(PartForm):
    check = staticmethod(rules.check_person)

    role = forms.ChoiceField(label=_("Role"), choices=_blank("") + PersonRole.choices)
    family_name = forms.CharField(label=_("Family name(s)"), max_length=150, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    alias = forms.CharField(label=_("Alias or nickname"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    estimated_age = forms.IntegerField(
        label=_("Estimated age"), required=False, min_value=0, max_value=120,
        help_text=_("If the date of birth is not known."),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=())
    document_type = forms.ChoiceField(
        label=_("Identity document"), required=False,
        choices=_blank(_("None or unknown")) + DocumentType.choices,
    )
    document_number = forms.CharField(label=_("Document number"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Appearance, languages spoken, where the person stays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _blank(_("Unknown")) + country_choices()


class BusinessForm(PartForm):
    name = forms.CharField(label=_("Name of the business"), max_length=200)
    registration_number = forms.CharField(
        label=_("Chamber of Commerce number"), max_length=50, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class VehicleForm(PartForm):
    check = staticmethod(rules.check_vehicle)

    kind = forms.ChoiceField(label=_("Kind"), choices=VehicleKind.choices,
                             initial=VehicleKind.VESSEL)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    registration = forms.CharField(
        label=_("Registration or hull number"), max_length=50, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class PartFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row may be left empty: an empty row is dropped, not refused.
        return {"empty_permitted": True}

    def filled(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]


def _formset(form_class):
    return forms.formset_factory(
        form_class, formset=PartFormSet, extra=0, can_delete=True, max_num=50,
        validate_max=True,
    )


PersonFormSet = _formset(PersonForm)
BusinessFormSet = _formset(BusinessForm)
VehicleFormSet = _formset(VehicleForm)
PART_FORMSETS = (("persons", PersonFormSet), ("businesses", BusinessFormSet),
                 ("vehicles", VehicleFormSet))
