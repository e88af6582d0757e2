"""Personal data in controls lives in the findings' free text: found by a data-subject search,
and removed when the retention period is over (the counts stay for the overview)."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from controls.models import Control, ControlFinding, ControlReport
from register.names import normalise
from register.retention import DueItem
from register.services.audit import audit_record
from register.subject_search import Finding, SubjectQuery


def find_in_findings(query: SubjectQuery) -> list[Finding]:
    words = [w for w in normalise(query.family_name).split() if len(w) >= 3]
    if not words:
        return []
    match = Q()
    for word in words:
        match &= Q(description__icontains=word)
    findings = []
    for finding in ControlFinding.objects.filter(match).select_related("control")[:200]:
        text = normalise(finding.description)
        if all(word in text for word in words):
            findings.append(Finding(
                where=_("finding of a control"), object_type="controls.controlfinding",
                object_id=str(finding.pk), reference=finding.control.audit_ref, role="",
                name=finding.description[:80], date_of_birth=None, score=70,
                reasons=[_("family name in the text")]))
    return findings


def controls_due(cutoff: dt.datetime) -> list[DueItem]:
    day = timezone.localtime(cutoff).date()
    controls = (Control.objects.annotate(
        last=Coalesce(Max("findings__created_at"), "created_at"))
        .filter(last__lt=cutoff, findings__description__gt="")
        .exclude(held_on__gte=day).distinct())
    return [DueItem("controls.control", str(c.pk), c.audit_ref, c.last) for c in controls]


def anonymise_controls(*, actor, object_ids: list[str]) -> int:
    storage = ControlReport._meta.get_field("file").storage
    files = list(ControlReport.objects.filter(control_id__in=object_ids)
                 .values_list("file", flat=True))
    with transaction.atomic():
        ControlFinding.objects.filter(control_id__in=object_ids).update(description="")
        ControlReport.objects.filter(control_id__in=object_ids).delete()
        for pk in object_ids:
            audit_record(actor=actor, action="controls.control.anonymised",
                         object_type="controls.control", object_id=pk)
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return len(object_ids)
