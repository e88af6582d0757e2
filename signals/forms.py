"""The standard signal form (covenant sections 4-5) as web forms."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from register.models import BirthPrecision, Organisation
from register.ui import DateInput
from signals import rules
from signals.attachments import check_upload
from signals.countries import country_choices
from signals.limits import (
    BUSINESS_TEXT,
    ESTIMATED_AGE_MAX,
    GROUP_SIZE_MAX,
    PARTS_PER_SIGNAL,
    PERSON_TEXT,
    SIGNAL_TEXT,
    TRANSIT_COUNTRIES_MAX,
    VEHICLE_TEXT,
)
from signals.vocab import (
    BorderOutcome,
    BorderPlace,
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


class CountrySelect(forms.Select):
    """The nationality list, rendered in Python rather than through a template per option.

    It has about 250 options, shown once per person: through Django's option templates the
    lists took most of the time of a page with many persons (seconds at the form's maximum).
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
            (code, mark_safe(" selected") if str(code) in selected else "", label)
            for code, label in self.choices))
        return format_html("<select{}>{}</select>",
                           flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
                           options)


def _blank(label):
    return [("", label)]


def _unknown_first(vocabulary) -> list[tuple[str, str]]:
    """A vocabulary with its "unknown" first. A row added with "Add a person" comes back
    without a value, and a browser then selects the first option: that was "Female", and
    everyone nobody described was filed as a woman."""
    unknown = vocabulary.UNKNOWN
    return [(unknown.value, unknown.label)] + [
        choice for choice in vocabulary.choices if choice[0] != unknown]


class SignalEntryForm(forms.Form):
    """The signal itself. `paper=True` is the analyst's variant for a signal on paper."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=_("Your name"),
                                    max_length=SIGNAL_TEXT["reporter_name"])
    reporter_organisation = forms.ModelChoiceField(
        label=_("Reporter's organisation"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
    )
    reporter_phone = forms.CharField(label=_("Your phone number"),
                                     max_length=SIGNAL_TEXT["reporter_phone"], required=False)
    reporter_email = forms.EmailField(label=_("Your e-mail address"),
                                      max_length=SIGNAL_TEXT["reporter_email"], required=False)
    observed_on = forms.DateField(
        label=_("Date of the signal"),
        help_text=_("When was this seen or heard?"),
        widget=DateInput(),
    )
    island = forms.ChoiceField(label=_("Island"), choices=Island.choices,
                               widget=forms.RadioSelect)
    location = forms.CharField(
        label=_("Place"), max_length=SIGNAL_TEXT["location"], required=False,
        help_text=_("Neighbourhood, street, beach or business premises."),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=_unknown_first(Sector),
                               initial=Sector.UNKNOWN, required=False)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators observed"),
        choices=Indicator.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description of the signal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SIGNAL_TEXT["description"],
        help_text=_("What did you see or hear, who was involved, and what happened next?"),
    )
    immediate_danger = forms.BooleanField(
        label=_("Someone may be in immediate danger"), required=False,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    # The border section (arrivals and interceptions); the vessel or flight is a vehicle row.
    border_place = forms.ChoiceField(label=_("Arrived or intercepted at"), required=False,
                                     choices=[("", "-"), *BorderPlace.choices])
    border_position = forms.CharField(
        label=_("Position at sea"), max_length=SIGNAL_TEXT["border_position"], required=False,
        help_text=_("Latitude and longitude, or a description of the position."))
    departure_country = forms.ChoiceField(label=_("Country of departure"), required=False,
                                          choices=(), widget=CountrySelect)
    transit_countries = forms.MultipleChoiceField(
        label=_("Countries of transit"), required=False, choices=(),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."))
    group_size = forms.IntegerField(
        label=_("Persons in the boat or group"), required=False, min_value=1,
        max_value=GROUP_SIZE_MAX,
        help_text=_("Everyone, also those not named below: the unnamed count in the figures "
                    "as a number."))
    border_outcome = forms.ChoiceField(label=_("What happened to them"), required=False,
                                       choices=[("", "-"), *BorderOutcome.choices])

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
        self.fields["departure_country"].choices = _blank(_("Unknown")) + country_choices()
        self.fields["transit_countries"].choices = country_choices()
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex

    def clean_transit_countries(self):
        codes = self.cleaned_data["transit_countries"]
        if len(codes) > TRANSIT_COUNTRIES_MAX:
            raise ValidationError(_("Choose at most %(count)s countries of transit.")
                                  % {"count": TRANSIT_COUNTRIES_MAX})
        return codes

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
    family_name = forms.CharField(label=_("Family name(s)"),
                                  max_length=PERSON_TEXT["family_name"], required=False)
    given_names = forms.CharField(label=_("Given names"),
                                  max_length=PERSON_TEXT["given_names"], required=False)
    alias = forms.CharField(label=_("Alias or nickname"), max_length=PERSON_TEXT["alias"],
                            required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=_unknown_first(Sex), initial=Sex.UNKNOWN)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    date_of_birth_precision = forms.ChoiceField(
        label=_("Date of birth known to"), required=False,
        # Blank is a full date (or none): a row left alone files no precision of its own.
        choices=[("", BirthPrecision.DAY.label), (BirthPrecision.MONTH, BirthPrecision.MONTH.label),
                 (BirthPrecision.YEAR, BirthPrecision.YEAR.label)],
        help_text=_("A year only is entered as 1 January of that year."))
    estimated_age = forms.IntegerField(
        label=_("Estimated age"), required=False, min_value=0, max_value=ESTIMATED_AGE_MAX,
        help_text=_("If the date of birth is not known."),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=(),
                                    widget=CountrySelect)
    document_type = forms.ChoiceField(
        label=_("Identity document"), required=False,
        choices=_blank(_("None or unknown")) + DocumentType.choices,
    )
    document_number = forms.CharField(label=_("Document number"),
                                      max_length=PERSON_TEXT["document_number"], required=False)
    phone = forms.CharField(label=_("Phone"), max_length=PERSON_TEXT["phone"], required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=PERSON_TEXT["notes"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Appearance, languages spoken, where the person stays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _blank(_("Unknown")) + country_choices()


class BusinessForm(PartForm):
    name = forms.CharField(label=_("Name of the business"), max_length=BUSINESS_TEXT["name"])
    registration_number = forms.CharField(
        label=_("Chamber of Commerce number"), max_length=BUSINESS_TEXT["registration_number"],
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=BUSINESS_TEXT["address"],
                              required=False)


class VehicleForm(PartForm):
    check = staticmethod(rules.check_vehicle)

    # No kind is proposed: a row with only a name was filed as a vessel.
    kind = forms.ChoiceField(label=_("Kind"), choices=_blank("-") + VehicleKind.choices)
    name = forms.CharField(label=_("Name"), max_length=VEHICLE_TEXT["name"], required=False)
    registration = forms.CharField(
        label=_("Registration or hull number"), max_length=VEHICLE_TEXT["registration"],
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=VEHICLE_TEXT["description"],
                                  required=False)


class PartFormSet(forms.BaseFormSet):
    limit_text = ""  # "A signal names at most %(count)s ...", set per kind of row below

    def get_form_kwargs(self, index):
        # Every row may be left empty: an empty row is dropped, not refused.
        return {"empty_permitted": True}

    @property
    def limit_message(self) -> str:
        return self.limit_text % {"count": self.max_num}

    @property
    def is_full(self) -> bool:
        return self.total_form_count() >= self.max_num

    def refuse_another_row(self) -> None:
        """Say why no row was added; the rows already typed stay as they are."""
        self._non_form_errors = self.error_class([self.limit_message], error_class="nonform")

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # A row ticked for removal is not filed, so what is wrong in it is no longer an error
        # to show (Django already leaves it out of the formset's validity).
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                form._errors = ErrorDict()

    def filled(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]


def _formset(form_class, limit_text):
    # absolute_max = max_num: Django's default absolute_max is max_num + 1000, and it builds
    # (and the page renders) every row a request claims up to that before validate_max says no.
    formset_class = forms.formset_factory(
        form_class, formset=PartFormSet, extra=0, can_delete=True,
        max_num=PARTS_PER_SIGNAL, absolute_max=PARTS_PER_SIGNAL, validate_max=True,
    )
    formset_class.limit_text = limit_text
    return formset_class


PersonFormSet = _formset(PersonForm, _("A signal names at most %(count)s persons."))
BusinessFormSet = _formset(BusinessForm, _("A signal names at most %(count)s businesses."))
VehicleFormSet = _formset(VehicleForm,
                          _("A signal names at most %(count)s vessels or vehicles."))
PART_FORMSETS = (("persons", PersonFormSet), ("businesses", BusinessFormSet),
                 ("vehicles", VehicleFormSet))


def row_count_problem(data) -> str | None:
    """Why a request's claimed number of rows cannot be taken, or None if it can.

    Checked before any formset is built: the claimed count decides how many forms Django makes
    and the page shows, so a tampered count must cost nothing. The web form never sends more
    than the maximum (its "add" button stops there). A missing count is left to Django's own
    formset check, which builds no rows either.
    """
    for name, formset_class in PART_FORMSETS:
        raw = data.get(f"{name}-TOTAL_FORMS")
        if raw is None:
            continue
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit()):
            return _("The form was damaged; please reload the page.")
        # A long digit string is over any limit; int() of it would itself be slow.
        if len(raw) > 6 or int(raw) > formset_class.max_num:
            return formset_class.limit_text % {"count": formset_class.max_num}
    return None
