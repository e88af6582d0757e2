"""/api/v1/controls/: the same access and services as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from casework.selectors import signals_visible_to
from controls import services
from controls.limits import (
    BUSINESS_NAME,
    BUSINESSES_PER_CONTROL,
    COUNT_MAX,
    PARTICIPANTS_PER_CONTROL,
    PLAN_TEXT,
    RESULTS_TEXT,
    TASK,
)
from controls.models import Control, ControlFinding
from controls.selectors import controls_visible_to, may_edit
from register.models import Organisation, Role
from register.services.audit import audit_record
from signals.limits import max_lengths

STAFF = (Role.REPORTER, Role.ANALYST)


class OrganisationCode(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Organisation.objects.filter(is_active=True),
                         **kwargs)


class ParticipantSerializer(serializers.Serializer):
    organisation = OrganisationCode()
    task = serializers.CharField(max_length=TASK, required=False, default="")


class FindingSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = ControlFinding
        fields = ["organisation", "category", "count"]


class ControlSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="audit_ref", read_only=True)
    initiating_organisation = OrganisationCode()
    directing_organisation = OrganisationCode()
    participants = ParticipantSerializer(many=True, required=False, write_only=True,
                                         max_length=PARTICIPANTS_PER_CONTROL)
    businesses = serializers.ListField(child=serializers.CharField(max_length=BUSINESS_NAME),
                                       required=False, write_only=True,
                                       max_length=BUSINESSES_PER_CONTROL)
    participating = serializers.SerializerMethodField()
    findings = FindingSerializer(many=True, read_only=True)
    signals = serializers.SerializerMethodField()

    class Meta:
        model = Control
        fields = ["id", "reference", "planned_on", "island", "place", "sector",
                  "initiating_organisation", "directing_organisation", "goal", "team",
                  "briefing", "participants", "businesses", "participating", "status",
                  "held_on", "cancelled_reason", "persons_checked", "businesses_checked",
                  "arrests", "fines", "follow_up_agreed", "results_recorded_at", "findings",
                  "signals"]
        read_only_fields = ["status", "held_on", "cancelled_reason", "persons_checked",
                            "businesses_checked", "arrests", "fines", "follow_up_agreed",
                            "results_recorded_at"]
        extra_kwargs = max_lengths(PLAN_TEXT)

    def get_participating(self, control) -> list[str]:
        return [p.organisation.code for p in control.participants.all()]

    def get_signals(self, control) -> list[str]:
        """Only the signals the asking user may see (a reporter: their own)."""
        visible = self.context.get("visible_signals", set())
        return [link.signal.reference for link in control.signal_links.all()
                if link.signal_id in visible]


class ResultsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Control.Status.HELD, Control.Status.CANCELLED])
    held_on = serializers.DateField(required=False, allow_null=True)
    cancelled_reason = serializers.CharField(max_length=RESULTS_TEXT["cancelled_reason"],
                                             required=False, default="")
    took_part = serializers.ListField(child=OrganisationCode(), required=False, default=list,
                                      max_length=PARTICIPANTS_PER_CONTROL)
    persons_checked = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, required=False,
                                               allow_null=True)
    businesses_checked = serializers.IntegerField(min_value=0, max_value=COUNT_MAX,
                                                  required=False, allow_null=True)
    arrests = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, required=False,
                                       allow_null=True)
    fines = serializers.IntegerField(min_value=0, max_value=COUNT_MAX, required=False,
                                     allow_null=True)
    follow_up_agreed = serializers.CharField(max_length=RESULTS_TEXT["follow_up_agreed"],
                                             required=False, default="")


class ControlViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Controls a user takes part in (analysts: all). Planning and results by participants."""

    required_roles = STAFF
    serializer_class = ControlSerializer

    def get_queryset(self):
        return controls_visible_to(self.request.user).prefetch_related(
            "participants__organisation", "findings__organisation",
            "signal_links__signal").order_by("-planned_on", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_record(actor=self.request.user, action="controls.control.listed",
                     object_type="controls.control", result_ids=[c.pk for c in page])
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_signals"] = set(signals_visible_to(self.request.user).filter(
            control_link__isnull=False).values_list("pk", flat=True))
        return context

    def retrieve(self, request, *args, **kwargs):
        control = self.get_object()
        data = self.get_serializer(control).data
        audit_record(actor=request.user, action="controls.control.viewed", obj=control,
                     result_ids=[f"signals.signal:{link.signal_id}"
                                 for link in control.signal_links.all()
                                 if link.signal.reference in data["signals"]])
        return Response(data)

    @extend_schema(request=ControlSerializer, responses={201: ControlSerializer})
    def create(self, request):
        serializer = ControlSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        control = services.control_plan(
            actor=request.user, values=data,
            participants=[(p["organisation"], p["task"]) for p in data.get("participants", [])],
            businesses=[{"name": name} for name in data.get("businesses", [])])
        return Response(self.get_serializer(self.get_queryset().get(pk=control.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ResultsSerializer, responses=ControlSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        """Record how the control went: held with its results, or cancelled with the reason."""
        control = self.get_object()
        if not may_edit(request.user, control):
            raise Http404
        serializer = ResultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.control_record(actor=request.user, control=control, status=data["status"],
                                    values=data, took_part=data["took_part"])
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=control.pk)).data)


router = SimpleRouter()
router.register("controls", ControlViewSet, basename="control")
urlpatterns = router.urls
