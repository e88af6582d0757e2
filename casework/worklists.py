"""The analysts' worklists: what the inbox and the dossier list filter and sort by.

One FilterSet per list serves the page and the API (as NetBox does), always on a queryset the
need-to-know selectors made, so a filter can only narrow what the analyst may see. Every
filter takes a code, a date or an account number: nothing personal ever stands in a URL.
"""

import django_filters
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from casework.dossier_forms import AnalystField, analysts
from casework.need_to_know import dossiers_visible_to
from casework.selectors import inbox_for, without_follow_up
from register.models import Dossier, Organisation
from register.selectors.audit import OrganisationCodeFilter
from register.ui import DateInput
from register.vocab import ExploitationForm
from signals.models import Signal, SignalForm
from signals.vocab import Island, Sector, SignalStatus


class StableOrdering(django_filters.OrderingFilter):
    """Sorting by a column keeps rows with equal values in one fixed order (newest first), so
    paging through a sorted list never shows a row twice or skips one."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "-id") if value else qs


class AnalystFilter(django_filters.ModelChoiceFilter):
    """An analyst, chosen by account number; the list shows names."""

    field_class = AnalystField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, queryset=lambda request: analysts(), **kwargs)


def with_signal_count(dossiers):
    """Each dossier with the number of its signals, counted per row shown (not grouped over
    every dossier), so a page stays one index scan; sortable as `signals`."""
    count = (Signal.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier")
             .annotate(n=Count("id")).values("n"))
    return dossiers.annotate(signal_count=Coalesce(Subquery(count), 0))


def _with_form(queryset, signal_path: str, code: str):
    return queryset.filter(Exists(SignalForm.objects.filter(
        **{signal_path: OuterRef("pk")}, code=code)))


class SignalWorklist(django_filters.FilterSet):
    island = django_filters.ChoiceFilter(choices=Island.choices, label=_("Island"))
    form = django_filters.ChoiceFilter(choices=ExploitationForm.choices, method="filter_form",
                                       label=_("Form of exploitation"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    status = django_filters.ChoiceFilter(choices=SignalStatus.choices, label=_("Status"))
    organisation = OrganisationCodeFilter(
        field_name="reporter_organisation", to_field_name="code",
        queryset=Organisation.objects.order_by("code"), label=_("Reporting organisation"))
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte",
                                              label=_("Received from"), widget=DateInput())
    received_until = django_filters.DateFilter(field_name="received_at",
                                               lookup_expr="date__lte",
                                               label=_("Received until"), widget=DateInput())
    taken_up_by = AnalystFilter(label=_("Taken up by"))
    danger = django_filters.ChoiceFilter(
        choices=(("true", _("Yes")), ("false", _("No"))), method="filter_danger",
        label=_("Someone in immediate danger"))
    ordering = StableOrdering(label=_("Sort by"), fields=(
        ("reference", "reference"), ("received_at", "received"),
        ("reporter_organisation__code", "organisation"), ("island", "island"),
        ("status", "status"), ("taken_up_at", "taken_up")))

    class Meta:
        model = Signal
        fields = []

    def filter_form(self, queryset, name, value):
        return _with_form(queryset, "signal", value)

    def filter_danger(self, queryset, name, value):
        return queryset.filter(immediate_danger=value == "true")


class DossierWorklist(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Dossier.Status.choices, label=_("Status"))
    priority = django_filters.TypedChoiceFilter(choices=Dossier.Priority.choices, coerce=int,
                                                label=_("Priority"))
    assigned = AnalystFilter(field_name="assigned_analysts", label=_("Assigned analyst"))
    island = django_filters.ChoiceFilter(choices=Island.choices, method="filter_island",
                                         label=_("Island"))
    form = django_filters.ChoiceFilter(choices=ExploitationForm.choices, method="filter_form",
                                       label=_("Form of exploitation"))
    ordering = StableOrdering(label=_("Sort by"), fields=(
        ("number", "number"), ("title", "title"), ("status", "status"),
        ("priority", "priority"), ("signal_count", "signals"), ("updated_at", "updated")))

    class Meta:
        model = Dossier
        fields = []

    def filter_island(self, queryset, name, value):
        return queryset.filter(Exists(Signal.objects.filter(dossier=OuterRef("pk"),
                                                            island=value)))

    def filter_form(self, queryset, name, value):
        return _with_form(queryset, "signal__dossier", value)


def inbox_worklist(request) -> tuple[SignalWorklist, bool]:
    """The inbox as the analyst filtered it (or its "without follow-up" view), with who
    works on each signal in the same query; the page and its exports use this one."""
    overdue = request.GET.get("view") == "overdue"
    user = request.user
    signals = without_follow_up(user) if overdue else inbox_for(user)
    return SignalWorklist(request.GET, queryset=signals.select_related("taken_up_by"),
                          request=request), overdue


def dossier_worklist(request) -> DossierWorklist:
    """The dossier list as the analyst filtered it, highest priority first unless sorted,
    with the analysts assigned to each (one query for the whole page)."""
    dossiers = with_signal_count(dossiers_visible_to(request.user)).order_by(
        "-priority", "-updated_at", "-id").prefetch_related("assigned_analysts")
    return DossierWorklist(request.GET, queryset=dossiers, request=request)
