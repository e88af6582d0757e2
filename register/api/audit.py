from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, serializers

from register.models import AuditEvent, Role
from register.selectors.audit import AuditEventFilter, audit_events_visible_to
from register.services.audit import audit_filters, audit_record


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor_username", "organisation_code", "roles", "action",
                  "object_type", "object_id", "object_ref", "request_id", "ip", "result_ids",
                  "detail", "prev_hash", "hash"]


class AuditEventList(generics.ListAPIView):
    """The audit trail for auditors, newest first, with the same filters as the web page."""

    required_roles = (Role.AUDITOR,)
    serializer_class = AuditEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return audit_events_visible_to(self.request.user).order_by("-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        audit_record(actor=self.request.user, action="register.audit.searched",
                     object_type="register.auditevent", result_ids=[e.pk for e in page],
                     detail={"filters": audit_filters(self.request.query_params,
                                                          AuditEventFilter.base_filters)})
        return page
