"""The follow-up list and the persons list, filtered and sorted like the inbox and the dossier
list (casework/worklists.py): one FilterSet each, on the need-to-know selectors' querysets,
every filter a code, a date or an account number.

A person is filtered only by what the analyst may see of them: the island, form, role or period
of a mention in a dossier hidden from her never decides whether a person is listed.
"""

import django_filters
from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from casework.need_to_know import dossiers_visible_to, persons_visible_to, through_visible_dossier
from casework.worklists import AnalystFilter, StableOrdering
from register.models import Dossier, FollowUpAction, Organisation, Person
from register.selectors.audit import OrganisationCodeFilter
from register.ui import DateInput
from register.vocab import ExploitationForm
from signals.models import Signal, SignalForm, SignalPerson
from signals.vocab import Island, PersonRole


class FollowUpWorklist(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=FollowUpAction.Kind.choices, label=_("Action"))
    organisation = OrganisationCodeFilter(
        field_name="responsible_organisation", to_field_name="code",
        queryset=Organisation.objects.order_by("code"), label=_("Responsible organisation"))
    outcome = django_filters.ChoiceFilter(choices=FollowUpAction.Outcome.choices,
                                          label=_("Outcome"))
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte",
                                         label=_("Due from"), widget=DateInput())
    due_until = django_filters.DateFilter(field_name="due_on", lookup_expr="lte",
                                          label=_("Due until"), widget=DateInput())
    status = django_filters.ChoiceFilter(field_name="dossier__status",
                                         choices=Dossier.Status.choices,
                                         label=_("Dossier status"))
    priority = django_filters.TypedChoiceFilter(field_name="dossier__priority",
                                                choices=Dossier.Priority.choices, coerce=int,
                                                label=_("Priority"))
    assigned = AnalystFilter(field_name="dossier__assigned_analysts",
                             label=_("Assigned analyst"))
    island = django_filters.ChoiceFilter(choices=Island.choices, method="filter_island",
                                         label=_("Island"))
    form = django_filters.ChoiceFilter(choices=ExploitationForm.choices, method="filter_form",
                                       label=_("Form of exploitation"))
    ordering = StableOrdering(label=_("Sort by"), fields=(
        ("dossier__number", "dossier"), ("kind", "action"),
        ("responsible_organisation__code", "organisation"), ("due_on", "due"),
        ("outcome", "outcome"), ("happened_on", "happened")))

    class Meta:
        model = FollowUpAction
        fields = []

    def filter_island(self, queryset, name, value):
        return queryset.filter(Exists(Signal.objects.filter(dossier=OuterRef("dossier_id"),
                                                            island=value)))

    def filter_form(self, queryset, name, value):
        return queryset.filter(Exists(SignalForm.objects.filter(
            signal__dossier=OuterRef("dossier_id"), code=value)))


def follow_up_worklist(request) -> FollowUpWorklist:
    """Follow-up on the dossiers the analyst may see; planned first, soonest due first, unless
    sorted otherwise."""
    actions = (FollowUpAction.objects
               .filter(dossier__in=dossiers_visible_to(request.user))
               .select_related("dossier", "responsible_organisation")
               .order_by(F("happened_on").asc(nulls_first=True),
                         F("due_on").asc(nulls_last=True), "id"))
    return FollowUpWorklist(request.GET, queryset=actions, request=request)


class PersonWorklist(django_filters.FilterSet):
    island = django_filters.ChoiceFilter(choices=Island.choices, method="filter_mention",
                                         label=_("Island"))
    form = django_filters.ChoiceFilter(choices=ExploitationForm.choices,
                                       method="filter_mention", label=_("Form of exploitation"))
    role = django_filters.ChoiceFilter(choices=PersonRole.choices, method="filter_mention",
                                       label=_("Role"))
    organisation = OrganisationCodeFilter(
        queryset=Organisation.objects.order_by("code"), to_field_name="code",
        method="filter_mention", label=_("Reporting organisation"))
    received_from = django_filters.DateFilter(method="filter_mention", label=_("Received from"),
                                              widget=DateInput())
    received_until = django_filters.DateFilter(method="filter_mention",
                                               label=_("Received until"), widget=DateInput())
    ordering = StableOrdering(label=_("Sort by"), fields=(
        ("id", "number"), ("last_seen", "last_seen")))

    class Meta:
        model = Person
        fields = []

    MENTION_LOOKUPS = {"island": "signal__island", "form": "signal__forms__code",
                       "role": "role", "organisation": "signal__reporter_organisation",
                       "received_from": "signal__received_at__date__gte",
                       "received_until": "signal__received_at__date__lte"}

    def filter_mention(self, queryset, name, value):
        return queryset.filter(Exists(visible_mentions(self.request.user).filter(
            **{self.MENTION_LOOKUPS[name]: value})))


def visible_mentions(user):
    """The mentions of the outer person that this user may see."""
    return SignalPerson.objects.filter(person=OuterRef("pk")).filter(
        through_visible_dossier(user, "signal__dossier"))


def person_worklist(request) -> PersonWorklist:
    """The persons the analyst may see, each with when a signal she may see last named them;
    newest persons first unless sorted."""
    user = request.user
    last_seen = (visible_mentions(user).order_by().values("person")
                 .annotate(last=Max("signal__received_at")).values("last"))
    persons = (persons_visible_to(user)
               .annotate(last_seen=Coalesce(Subquery(last_seen), F("created_at")))
               .order_by("-id"))
    return PersonWorklist(request.GET, queryset=persons, request=request)
