from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from register.access import INTAKE_ROLES
from register.models import Role
from register.numbering import signal_reference_pattern
from register.services.audit import audit_record
from signals.api.serializers import (
    AttachmentSerializer,
    PersonSerializer,
    SignalCreatedSerializer,
    SignalListSerializer,
    SignalSerializer,
    VehicleSerializer,
    signal_input,
)
from signals.models import SignalPerson
from signals.selectors import own_signals
from signals.services import IdempotencyConflict, signal_submit
from signals.vocab import Channel, Sex, VehicleKind

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Any unique string (at most 100 characters). A retried request with the same "
                "key and body answers with the first result instead of filing a second signal; "
                "the same key with a different body is refused with 422.",
)


# Why one object with optional fields, not a oneOf of two objects: clients generated from a
# oneOf without a discriminator get an untyped union that every caller must take apart by
# guessing (and the whole signal matches both shapes, so a oneOf would not even validate),
# while one type with optional fields is what every generator handles well and what a
# partner reads without surprise: the fields it never receives stay empty.
class StoredPersonSerializer(PersonSerializer):
    """A person as stored: one filed through the services without a sex has it blank."""

    sex = serializers.ChoiceField(choices=Sex.choices, allow_blank=True)


class StoredVehicleSerializer(VehicleSerializer):
    kind = serializers.ChoiceField(choices=VehicleKind.choices, allow_blank=True)


class SignalDetailSerializer(SignalSerializer):
    """A signal. An analyst receives every field; a reporter receives the status of a signal
    they filed: reference, status, channel, received_at, observed_on and island."""

    persons = StoredPersonSerializer(many=True, required=False)
    vehicles = StoredVehicleSerializer(many=True, required=False)
    reporter_organisation = serializers.CharField(required=False, help_text="For analysts.")
    attachments = AttachmentSerializer(many=True, required=False, help_text="For analysts.")

    class Meta(SignalSerializer.Meta):
        ref_name = "SignalDetail"

    def __init__(self, *args, **kwargs):
        """Only for the schema; never used to read or write."""
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in SignalListSerializer.Meta.fields:
                field.required = False


class IntakeSignalViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Filing signals and reading back one's own. The API serves casework's subclass
    (casework/api/views.py), which lets analysts see what need to know allows and adds the
    triage actions, each declaring that it is for analysts."""

    required_roles = INTAKE_ROLES
    lookup_field = "reference"
    lookup_value_regex = signal_reference_pattern()

    def visible(self, user):
        return own_signals(user)

    def get_queryset(self):
        signals = self.visible(self.request.user)
        if self.action == "list":
            return signals.order_by("-received_at", "-id")
        return signals.prefetch_related(
            "forms", "indicators", "businesses", "vehicles", "attachments",
            Prefetch("persons", queryset=SignalPerson.objects.order_by("position")),
        )

    def get_serializer_class(self):
        # A reporter sees the status of what they filed, not its contents again.
        user = self.request.user
        schema_only = getattr(self, "swagger_fake_view", False)
        if self.action == "list" or (self.action == "retrieve" and not schema_only
                                     and not user.has_role(Role.ANALYST)):
            return SignalListSerializer
        return SignalSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._listed_ids = [signal.pk for signal in page]
        return page

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="signals.signal.listed",
                     object_type="signals.signal",
                     result_ids=self._listed_ids)
        return response

    @extend_schema(responses={200: OpenApiResponse(
        SignalDetailSerializer,
        description="An analyst gets the whole signal; a reporter gets the status of their "
                    "own signal (reference, status, channel, received_at, observed_on and "
                    "island) and none of the other fields."),
    })
    def retrieve(self, request, *args, **kwargs):
        signal = self.get_object()
        audit_record(actor=request.user, action="signals.signal.viewed", obj=signal)
        return Response(self.get_serializer(signal).data)

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: OpenApiResponse(
                SignalCreatedSerializer,
                description="Filed. A retry with a known Idempotency-Key answers the same, "
                            "with the header Idempotent-Replayed: true.",
            ),
            400: OpenApiResponse(description="Errors per field; nothing was saved."),
            422: OpenApiResponse(description="Idempotency-Key reused with another body."),
        },
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip() or None
        if key is not None and len(key) > 100:
            return Response({"Idempotency-Key": [_("At most 100 characters.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        try:
            signal, created = signal_submit(
                actor=user,
                channel=Channel.API,
                data=signal_input(data, organisation=user.organisation,
                                  reporter_name=user.display_name,
                                  reporter_phone=user.phone, reporter_email=user.email),
                idempotency_key=f"api:{key}" if key else None,
            )
        except IdempotencyConflict:
            return Response(
                {"Idempotency-Key": [_("This key was used before for a different signal.")]},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        response = Response(SignalCreatedSerializer(signal).data, status=status.HTTP_201_CREATED)
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response
