"""Searching the audit trail: one filter for the auditor's pages, the export and the API."""

import django_filters
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from register.models import AuditEvent, Organisation, Role, User
from register.ui import DateInput, ListedChoiceField


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    if user.is_authenticated and user.has_role(Role.AUDITOR):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


@extend_schema_field(OpenApiTypes.STR)
class OrganisationCodeFilter(django_filters.ModelChoiceFilter):
    """An organisation chosen by its code (kmar, om, ...); a select list on the web page."""

    field_class = ListedChoiceField


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte",
                                      label=_("From"), widget=DateInput())
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte",
                                      label=_("Until"), widget=DateInput())
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label=_("Action"),
        help_text=_("A code or its beginning, e.g. signals.signal.viewed or register.session."),
    )
    organisation = OrganisationCodeFilter(
        method="filter_organisation", to_field_name="code", label=_("Organisation"),
        queryset=Organisation.objects.all(),
    )
    user = django_filters.CharFilter(field_name="actor_username", label=_("Username"))
    reference = django_filters.CharFilter(
        method="filter_reference", label=_("Reference"),
        help_text=_("Who saw or changed it: a signal's reference, e.g. MH-2026-000123."),
    )
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("Object type"))
    object_id = django_filters.CharFilter(method="filter_object_id", label=_("Object id"))

    class Meta:
        model = AuditEvent
        fields = []

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(organisation_code=value.code)

    def filter_reference(self, queryset, name, value):
        value = value.strip().upper()
        known = (AuditEvent.objects.filter(object_ref=value)
                 .values_list("object_type", "object_id").first())
        if known is None:
            return queryset.filter(object_ref=value)
        return queryset.filter(_touching(*known))

    def filter_object_type(self, queryset, name, value):
        if self.data.get("object_id"):
            return queryset  # with an id, the type is part of "touching" below
        return queryset.filter(object_type=value)

    def filter_object_id(self, queryset, name, value):
        object_type = self.data.get("object_type") or ""
        return queryset.filter(_touching(object_type, value.strip()))


def _touching(object_type: str, object_id: str) -> Q:
    """Events about the object itself, lists that returned it (ids stored bare, under the
    event's object type) and searches across kinds (ids stored as "type:id")."""
    same_type = Q(object_type=object_type) if object_type else Q()
    about = same_type & (Q(object_id=object_id) | _in_results(object_id))
    if object_type:
        about |= _in_results(f"{object_type}:{object_id}")
    return about


def _in_results(value: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(result_ids__contains=[value])
    return Q(result_ids__icontains=f'"{value}"')

