"""The casework API: triage actions on signals, dossiers, and persons with match suggestions.

Same selectors and services as the pages, so the same access rules; analysts only.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from casework import triage
from casework.dossier_forms import analysts
from casework.dossiers import (
    dossier_add_signals,
    dossier_merge,
    dossier_open,
    dossier_remove_signal,
)
from casework.matching import suggest_persons
from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.network import EDGE_KINDS
from casework.network_centers import network_of
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from casework.worklists import DossierWorklist, SignalWorklist, with_signal_count
from register.models import Dossier, DossierPerson, FollowUpAction, Person, Role
from register.numbering import dossier_number_pattern, signal_reference_pattern
from register.services.audit import audit_record
from signals.api.views import IntakeSignalViewSet
from signals.limits import SIGNALS_PER_REQUEST, TRIAGE_TEXT
from signals.models import Signal
from signals.vocab import (
    ExploitationForm,
    InformationReliability,
    Island,
    Sector,
    SourceReliability,
)

REFERENCE = rf"^{signal_reference_pattern()}$"


def run(service, *args, **kwargs):
    """Call a service; its validation errors become a 400 with the same messages."""
    try:
        return service(*args, **kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {
            "non_field_errors": error.messages}
        raise ValidationError(detail) from None


def visible_signals(user, references: list[str]) -> list[Signal]:
    found = {s.reference: s for s in signals_visible_to(user).filter(reference__in=references)}
    missing = [r for r in references if r not in found]
    if missing:
        raise ValidationError({"signals": [f"Unknown signal: {r}" for r in missing]})
    return [found[r] for r in references]


# --- triage ------------------------------------------------------------------------------

class GradeSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SourceReliability.choices)
    information = serializers.ChoiceField(choices=InformationReliability.choices)


class CodingSerializer(serializers.Serializer):
    island = serializers.ChoiceField(choices=Island.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, default="")
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ExploitationForm.choices),
                                  allow_empty=False, max_length=len(ExploitationForm.choices))


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TRIAGE_TEXT)


class DeclineSerializer(TextSerializer):
    # What the reporter is told of why (their feedback); empty: only that it was not taken up.
    reason_for_reporter = serializers.CharField(max_length=TRIAGE_TEXT, required=False,
                                                allow_blank=True, default="")


class MentionDecisionSerializer(serializers.Serializer):
    mention = serializers.IntegerField()
    person = serializers.IntegerField()
    same_person = serializers.BooleanField()


class AssignSerializer(serializers.Serializer):
    analyst = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                       help_text="The analyst's account number.")


class TriageResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()


class TakeUpSerializer(serializers.Serializer):
    expected_holder = serializers.CharField(
        required=False, allow_null=True, allow_blank=False, max_length=150,
        help_text="Username of the analyst you saw working on the signal; null for nobody. "
                  "If someone else has taken it up since, the answer is 409 and nothing "
                  "changes. Leave it out to take the signal over whoever holds it.")


class TakeUpResultSerializer(TriageResultSerializer):
    taken_up_by = serializers.CharField(help_text="Username of the analyst working on it.")
    taken_up_at = serializers.DateTimeField()
    taken_over_from = serializers.CharField(
        allow_null=True, help_text="Username of the analyst it was taken over from, if any.")


class HolderChangedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    taken_up_by = serializers.CharField(help_text="Username of the analyst who has it now.")


class HolderChangedConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "holder_changed"


def analyst_action(**kwargs):
    """A POST action on one signal that only analysts may take: the role is declared with the
    action itself (DRF sets `required_roles` on the view for that route only)."""
    return action(detail=True, methods=["post"], required_roles=(Role.ANALYST,), **kwargs)


class SignalViewSet(IntakeSignalViewSet):
    """Signals of human trafficking or people smuggling. A reporter sees only their own, an
    analyst what need to know allows, filtered and sorted as in the inbox; the triage actions
    are for analysts."""

    filter_backends = [DjangoFilterBackend]

    def visible(self, user):
        return signals_visible_to(user)

    @property
    def filterset_class(self):
        # The worklist filters are the analysts'; the schema shows them.
        user = self.request.user if self.request else None
        if getattr(self, "swagger_fake_view", False) or (user and user.has_role(Role.ANALYST)):
            return SignalWorklist
        return None

    @extend_schema(request=TakeUpSerializer, responses={
        200: TakeUpResultSerializer,
        409: OpenApiResponse(HolderChangedSerializer, description=(
            "Someone other than `expected_holder` has taken the signal up; nothing was "
            "changed. Take it over from them by sending their username."))})
    @analyst_action(url_path="take-up")
    def take_up(self, request, reference=None):
        """Start triage: the signal is marked as being worked on by the asking analyst (a
        received signal goes into triage). Taking over a signal another analyst took up is
        allowed and audited. Send `expected_holder` (who you saw holding it, null for nobody)
        so that a colleague who took it up meanwhile is not taken over unknowingly: that is
        refused with 409, naming who has it now. Reading a signal never changes it; only this
        does."""
        signal, data = self.get_object(), self._valid(TakeUpSerializer)
        expected = data.get("expected_holder", triage.ANY_HOLDER)

        def take_up():
            try:
                return triage.triage_take_up(actor=request.user, signal=signal,
                                             expected_holder=expected)
            except triage.HolderChanged as error:
                raise HolderChangedConflict({
                    "detail": error.messages[0],
                    "taken_up_by": error.holder.get_username()}) from None
        previous = run(take_up)
        signal.refresh_from_db(fields=["status", "taken_up_by", "taken_up_at"])
        return Response(TakeUpResultSerializer({
            "reference": signal.reference, "status": signal.status,
            "taken_up_by": signal.taken_up_by.get_username(), "taken_up_at": signal.taken_up_at,
            "taken_over_from": previous.get_username() if previous else None}).data)

    @extend_schema(request=AssignSerializer, responses=TriageResultSerializer)
    @analyst_action()
    def assign(self, request, reference=None):
        """Hand the signal to an analyst (yourself included), who then holds it as if she had
        taken it up; audited, and she is told in the app."""
        signal, data = self.get_object(), self._valid(AssignSerializer)
        analyst = analysts().filter(pk=data["analyst"]).first()
        if analyst is None:
            raise ValidationError({"analyst": [_("No analyst with this account number.")]})
        run(triage.triage_assign, actor=request.user, signal=signal, analyst=analyst)
        return self._result(signal)

    @extend_schema(request=None, responses=TriageResultSerializer)
    @analyst_action(url_path="take-in")
    def take_in(self, request, reference=None):
        signal = self.get_object()
        run(triage.triage_take_in, actor=request.user, signal=signal)
        return self._result(signal)

    @extend_schema(request=DeclineSerializer, responses=TriageResultSerializer)
    @analyst_action()
    def decline(self, request, reference=None):
        signal, data = self.get_object(), self._valid(DeclineSerializer)
        run(triage.triage_decline, actor=request.user, signal=signal, reason=data["text"],
            reason_for_reporter=data["reason_for_reporter"])
        return self._result(signal)

    @extend_schema(request=TextSerializer, responses=TriageResultSerializer)
    @analyst_action()
    def ask(self, request, reference=None):
        signal, data = self.get_object(), self._valid(TextSerializer)
        run(triage.triage_ask, actor=request.user, signal=signal, question=data["text"])
        return self._result(signal)

    @extend_schema(request=GradeSerializer, responses=TriageResultSerializer)
    @analyst_action()
    def grade(self, request, reference=None):
        signal, data = self.get_object(), self._valid(GradeSerializer)
        run(triage.triage_grade, actor=request.user, signal=signal, **data)
        return self._result(signal)

    @extend_schema(request=CodingSerializer, responses=TriageResultSerializer)
    @analyst_action()
    def coding(self, request, reference=None):
        signal, data = self.get_object(), self._valid(CodingSerializer)
        run(triage.triage_correct_coding, actor=request.user, signal=signal, **data)
        return self._result(signal)

    @extend_schema(request=MentionDecisionSerializer, responses=TriageResultSerializer)
    @analyst_action(url_path="link-person")
    def link_person(self, request, reference=None):
        signal, data = self.get_object(), self._valid(MentionDecisionSerializer)
        mention = get_object_or_404(signal.persons, pk=data["mention"])
        person = get_object_or_404(persons_visible_to(request.user), pk=data["person"])
        service = triage.mention_link if data["same_person"] else triage.mention_reject
        run(service, actor=request.user, mention=mention, person=person)
        return self._result(signal)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _result(self, signal):
        signal.refresh_from_db(fields=["status"])
        return Response({"reference": signal.reference, "status": signal.status})


# --- persons -----------------------------------------------------------------------------

class RegisterPersonSerializer(serializers.ModelSerializer):
    """As far as the asking user may know it (see signals/person_facts.py)."""

    reference = serializers.CharField(source="audit_ref", read_only=True)
    name = serializers.CharField(source="shown_name", read_only=True)
    alias = serializers.CharField(source="shown_alias", read_only=True)
    date_of_birth = serializers.DateField(source="shown_birth", read_only=True, allow_null=True)
    nationality = serializers.CharField(source="shown_nationality", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "reference", "name", "alias", "date_of_birth", "nationality"]


class SuggestionSerializer(serializers.Serializer):
    person = RegisterPersonSerializer()
    score = serializers.IntegerField(help_text="The match probability in percent.")
    probability = serializers.FloatField(help_text=(
        "How likely the mention is this person (Fellegi-Sunter weights, 0-1)."))
    reasons = serializers.ListField(child=serializers.CharField(),
                                    help_text="The evidence for, in words.")
    against = serializers.ListField(child=serializers.CharField(),
                                    help_text="The evidence against, in words.")
    weak = serializers.BooleanField(help_text=(
        "Below the threshold: given only when weaker matches were asked for."))


class MentionSuggestionsSerializer(serializers.Serializer):
    mention = serializers.IntegerField()
    role = serializers.CharField()
    linked_person = serializers.IntegerField(allow_null=True)
    suggestions = SuggestionSerializer(many=True)


class SuggestionRequestSerializer(serializers.Serializer):
    reference = serializers.RegexField(REFERENCE)
    weaker = serializers.BooleanField(default=False, help_text=(
        "Also the persons the register was not sure of (below the threshold)."))


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["dossier", "signal", "person", "business",
                                            "vehicle", "phone", "document", "place", "route",
                                            "more"])
    label = serializers.CharField()
    level = serializers.IntegerField(help_text="Steps from the center (0 is the center).")
    count = serializers.IntegerField(required=False, help_text=(
        "For a \"more\" node: how many neighbours it stands for."))


class NetworkEdgeSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(EDGE_KINDS), help_text=(
        "How they connect: named together in a signal (a person and the signal), same phone, "
        "same employer (a business), same vessel, same place, same place within two weeks "
        "(two signals), in dossier."))


class NetworkSerializer(serializers.Serializer):
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
    stopped_at_step = serializers.IntegerField(required=False, help_text=(
        "Present when the network held more than 250 records and the walk stopped before this "
        "step out, to stay readable; expand records one by one to go further."))


DEPTH = OpenApiParameter("depth", int, enum=[1, 2], description=(
    "How far out: 1 (default) the records in the same signals, 2 also what those records "
    "appear in elsewhere."))


class NetworkMixin:
    """`GET .../network/?depth=1|2`: the nodes and links around the record, within need to
    know; audited with the signals, dossiers and persons it returned."""

    network_audit_action = ""

    @extend_schema(parameters=[DEPTH], responses=NetworkSerializer)
    @action(detail=True, methods=["get"])
    def network(self, request, **kwargs):
        center = self.get_object()
        depth = 2 if request.query_params.get("depth") == "2" else 1
        found = network_of(request.user, center, depth)
        audit_record(actor=request.user, action=self.network_audit_action, obj=center,
                     result_ids=found.ids(), detail={"depth": depth})
        return Response(found.as_dict())


class PersonViewSet(NetworkMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """Register persons an analyst may see; suggestions are asked by POST, so no name or
    signal detail ever travels in a URL."""

    required_roles = (Role.ANALYST,)
    network_audit_action = "register.person.network_viewed"
    serializer_class = RegisterPersonSerializer

    def get_queryset(self):
        return persons_visible_to(self.request.user).order_by("id")

    def paginate_queryset(self, queryset):
        page = attach_visible_facts(self.request.user, super().paginate_queryset(queryset))
        audit_record(actor=self.request.user, action="register.person.listed",
                     object_type="register.person", result_ids=[p.pk for p in page])
        return page

    def retrieve(self, request, *args, **kwargs):
        person = attach_visible_facts(request.user, [self.get_object()])[0]
        audit_record(actor=request.user, action="register.person.viewed", obj=person)
        return Response(self.get_serializer(person).data)

    @extend_schema(request=SuggestionRequestSerializer,
                   responses=MentionSuggestionsSerializer(many=True))
    @action(detail=False, methods=["post"])
    def suggestions(self, request):
        """For each person named in a signal: the register persons it may be, with reasons."""
        serializer = SuggestionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signal = get_object_or_404(signals_visible_to(request.user),
                                   reference=serializer.validated_data["reference"])
        answer = []
        for mention in signal.persons.all():
            found = [] if mention.person_id else suggest_persons(
                mention, user=request.user, weaker=serializer.validated_data["weaker"])
            answer.append({"mention": mention.pk, "role": mention.role,
                           "linked_person": mention.person_id,
                           "suggestions": [{"person": s.person, "score": s.score,
                                            "probability": round(s.probability, 4),
                                            "reasons": s.reasons, "against": s.against,
                                            "weak": s.weak} for s in found]})
        audit_record(actor=request.user, action="register.person.suggested", obj=signal,
                     result_ids=[f"register.person:{s['person'].pk}" for row in answer
                                 for s in row["suggestions"]])
        return Response(MentionSuggestionsSerializer(answer, many=True).data)


# --- dossiers ----------------------------------------------------------------------------

class DossierPersonSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.audit_ref")

    class Meta:
        model = DossierPerson
        fields = ["person", "role", "victim_status", "status_decided_by", "identified_on",
                  "form_of_exploitation"]


class FollowUpSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="responsible_organisation.code")

    class Meta:
        model = FollowUpAction
        fields = ["id", "kind", "organisation", "due_on", "outcome", "happened_on",
                  "explanation"]


class DossierSerializer(serializers.ModelSerializer):
    signals = serializers.SerializerMethodField()
    persons = DossierPersonSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Dossier
        fields = ["number", "title", "status", "priority", "restricted", "created_at",
                  "updated_at", "signals", "persons", "follow_ups"]

    def get_signals(self, dossier) -> list[str]:
        return [s.reference for s in dossier.visible_signals]


class DossierListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dossier
        fields = ["number", "title", "status", "priority", "restricted", "updated_at"]


class DossierCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    priority = serializers.ChoiceField(choices=Dossier.Priority.choices,
                                       default=Dossier.Priority.NORMAL)
    signals = serializers.ListField(child=serializers.RegexField(REFERENCE), allow_empty=False,
                                    max_length=SIGNALS_PER_REQUEST)


class SignalsSerializer(serializers.Serializer):
    signals = serializers.ListField(child=serializers.RegexField(REFERENCE), allow_empty=False,
                                    max_length=SIGNALS_PER_REQUEST)


class MergeSerializer(serializers.Serializer):
    into = serializers.RegexField(rf"^{dossier_number_pattern()}$")


class DossierViewSet(NetworkMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Dossiers an analyst may see (restricted ones only when granted)."""

    required_roles = (Role.ANALYST,)
    network_audit_action = "register.dossier.network_viewed"
    lookup_field = "number"
    lookup_value_regex = dossier_number_pattern()
    filter_backends = [DjangoFilterBackend]
    filterset_class = DossierWorklist

    def get_serializer_class(self):
        return DossierListSerializer if self.action == "list" else DossierSerializer

    def get_queryset(self):
        # Counted on every route: the filters (and their ordering) apply to them all.
        dossiers = with_signal_count(dossiers_visible_to(self.request.user))
        if self.action == "list":
            return dossiers.order_by("-updated_at", "-id")
        return dossiers.prefetch_related(
            Prefetch("signals", signals_visible_to(self.request.user).order_by("received_at"),
                     to_attr="visible_signals"),
            Prefetch("persons", DossierPerson.objects.select_related("person")),
            Prefetch("follow_ups", FollowUpAction.objects.select_related(
                "responsible_organisation")))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_record(actor=self.request.user, action="register.dossier.listed",
                     object_type="register.dossier", result_ids=[d.pk for d in page])
        return page

    def retrieve(self, request, *args, **kwargs):
        dossier = self.get_object()
        audit_record(actor=request.user, action="register.dossier.viewed", obj=dossier,
                     result_ids=[f"signals.signal:{s.pk}" for s in dossier.visible_signals]
                     + [f"register.person:{r.person_id}" for r in dossier.persons.all()])
        return Response(DossierSerializer(dossier).data)

    def _detail(self, dossier, code=status.HTTP_200_OK):
        dossier = self.get_queryset().get(pk=dossier.pk)
        return Response(DossierSerializer(dossier).data, status=code)

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer})
    def create(self, request):
        serializer = DossierCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        signals = visible_signals(request.user, data["signals"])
        dossier = run(dossier_open, actor=request.user, signals=signals, title=data["title"],
                      priority=data["priority"])
        self.action = "retrieve"
        return self._detail(dossier, status.HTTP_201_CREATED)

    @extend_schema(request=SignalsSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path="add-signals")
    def add_signals(self, request, number=None):
        dossier = self.get_object()
        serializer = SignalsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signals = visible_signals(request.user, serializer.validated_data["signals"])
        run(dossier_add_signals, actor=request.user, dossier=dossier, signals=signals)
        return self._detail(dossier)

    @extend_schema(request=SignalsSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path="remove-signals")
    def remove_signals(self, request, number=None):
        dossier = self.get_object()
        serializer = SignalsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():  # all of them or none
            for signal in visible_signals(request.user, serializer.validated_data["signals"]):
                run(dossier_remove_signal, actor=request.user, dossier=dossier, signal=signal)
        return self._detail(dossier)

    @extend_schema(request=MergeSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, number=None):
        """Merge this dossier into another; the answer is the dossier that remains."""
        dossier = self.get_object()
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = get_object_or_404(dossiers_visible_to(request.user),
                                   number=serializer.validated_data["into"])
        run(dossier_merge, actor=request.user, source=dossier, target=target)
        return self._detail(target)

