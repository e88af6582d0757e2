"""The intake API's contract. Field names and codes are stable: partner systems depend on them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from signals import rules
from signals.countries import is_country_code
from signals.limits import (
    BUSINESS_TEXT,
    ESTIMATED_AGE_MAX,
    GROUP_SIZE_MAX,
    PARTS_PER_SIGNAL,
    PERSON_TEXT,
    SIGNAL_TEXT,
    TRANSIT_COUNTRIES_MAX,
    VEHICLE_TEXT,
    max_lengths,
)
from signals.models import Attachment, Signal, SignalBusiness, SignalPerson, SignalVehicle
from signals.services import SignalInput
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


class StrictFieldsMixin:
    """A misspelt field is an error, not silently dropped: "people" is not "persons"."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


def _apply(check, attrs):
    errors = check(attrs)
    if errors:
        raise serializers.ValidationError(errors)
    return attrs


class PersonSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    document_type = serializers.ChoiceField(choices=DocumentType.choices, required=False,
                                            allow_blank=True)
    nationality = serializers.CharField(
        required=False, allow_blank=True, max_length=2,
        help_text="ISO 3166-1 alpha-2 country code, e.g. VE, CO, DO.",
    )
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                             max_value=ESTIMATED_AGE_MAX)

    class Meta:
        model = SignalPerson
        fields = ["role", "family_name", "given_names", "alias", "sex", "date_of_birth",
                  "date_of_birth_precision", "estimated_age", "nationality", "document_type",
                  "document_number", "phone", "notes"]
        extra_kwargs = max_lengths(PERSON_TEXT)

    def validate_nationality(self, value):
        value = value.upper()
        if value and not is_country_code(value):
            raise serializers.ValidationError(_("Not an ISO 3166 country code."))
        return value

    def validate(self, attrs):
        return _apply(rules.check_person, attrs)


class BusinessSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = SignalBusiness
        fields = ["name", "registration_number", "address"]
        extra_kwargs = max_lengths(BUSINESS_TEXT)


class VehicleSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=VehicleKind.choices)

    class Meta:
        model = SignalVehicle
        fields = ["kind", "name", "registration", "description"]
        extra_kwargs = max_lengths(VEHICLE_TEXT)

    def validate(self, attrs):
        return _apply(rules.check_vehicle, attrs)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256"]


class SignalSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A signal as filed. `reporter_*` default to the token's account when left out."""

    island = serializers.ChoiceField(choices=Island.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices),
        allow_empty=False, max_length=len(ExploitationForm.choices),
        source="form_codes",
    )
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=Indicator.choices), required=False,
        max_length=len(Indicator.choices), source="indicator_codes",
    )
    persons = PersonSerializer(many=True, required=False, max_length=PARTS_PER_SIGNAL)
    businesses = BusinessSerializer(many=True, required=False, max_length=PARTS_PER_SIGNAL)
    vehicles = VehicleSerializer(many=True, required=False, max_length=PARTS_PER_SIGNAL)
    reporter_name = serializers.CharField(required=False, max_length=SIGNAL_TEXT["reporter_name"])
    reporter_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    border_place = serializers.ChoiceField(
        choices=BorderPlace.choices, required=False, allow_blank=True,
        help_text="Border section: where the persons arrived or were intercepted.")
    departure_country = serializers.CharField(
        required=False, allow_blank=True, max_length=2,
        help_text="Border section: ISO 3166-1 alpha-2 code of the country of departure.")
    transit_countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False,
        max_length=TRANSIT_COUNTRIES_MAX,
        help_text="Border section: ISO 3166-1 alpha-2 codes of the countries of transit.")
    group_size = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=GROUP_SIZE_MAX,
        help_text="Border section: everyone in the boat or group, named or not; never fewer "
                  "than the persons named.")
    border_outcome = serializers.ChoiceField(
        choices=BorderOutcome.choices, required=False, allow_blank=True,
        help_text="Border section: what happened to the persons.")

    class Meta:
        model = Signal
        fields = ["reference", "status", "channel", "received_at", "reporter_name",
                  "reporter_organisation", "reporter_phone", "reporter_email", "observed_on",
                  "island", "location", "sector", "forms", "indicators", "description",
                  "immediate_danger", "persons", "businesses", "vehicles", "attachments",
                  "border_place", "border_position", "departure_country", "transit_countries",
                  "group_size", "border_outcome"]
        read_only_fields = ["reference", "status", "channel", "received_at"]
        extra_kwargs = max_lengths(SIGNAL_TEXT)

    def validate_observed_on(self, value):
        if message := rules.check_observed_on(value):
            raise serializers.ValidationError(message)
        return value

    def validate_reporter_phone(self, value):
        if message := rules.check_phone(value):
            raise serializers.ValidationError(message)
        return value

    def validate_departure_country(self, value):
        value = value.upper()
        if value and not is_country_code(value):
            raise serializers.ValidationError(_("Not an ISO 3166 country code."))
        return value

    def validate_transit_countries(self, value):
        value = [code.upper() for code in value]
        if any(not is_country_code(code) for code in value):
            raise serializers.ValidationError(_("Not an ISO 3166 country code."))
        return value

    def validate(self, attrs):
        named = len(attrs.get("persons", []))
        if message := rules.check_group_size(attrs.get("group_size"), named):
            raise serializers.ValidationError({"group_size": message})
        return attrs


class SignalListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signal
        fields = ["reference", "status", "channel", "received_at", "observed_on", "island"]


class SignalCreatedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signal
        fields = ["reference", "status", "received_at"]


def signal_input(data: dict, *, organisation, reporter_name: str, reporter_phone: str = "",
                 reporter_email: str = "") -> SignalInput:
    """What SignalSerializer validated, as the intake service takes it. The API and the bulk
    import (casework/imports) both file through this, so one validation path serves both;
    the reporter's details fill in what the data leaves out."""
    return SignalInput(
        reporter_name=data.get("reporter_name") or reporter_name,
        reporter_organisation=organisation,
        reporter_phone=data.get("reporter_phone", reporter_phone),
        reporter_email=data.get("reporter_email", reporter_email),
        observed_on=data["observed_on"],
        island=data["island"],
        location=data.get("location", ""),
        sector=data.get("sector", ""),
        description=data["description"],
        immediate_danger=data.get("immediate_danger", False),
        forms=data["form_codes"],
        indicators=data.get("indicator_codes", []),
        persons=data.get("persons", []),
        businesses=data.get("businesses", []),
        vehicles=data.get("vehicles", []),
        border_place=data.get("border_place", ""),
        border_position=data.get("border_position", ""),
        departure_country=data.get("departure_country", ""),
        transit_countries=data.get("transit_countries", []),
        group_size=data.get("group_size"),
        border_outcome=data.get("border_outcome", ""),
    )
