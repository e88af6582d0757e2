"""Planning and recording controls. Each write is one transaction with its audit event."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from controls.models import (
    Control,
    ControlBusiness,
    ControlFinding,
    ControlParticipant,
    ControlReport,
    ControlSignal,
    ControlTarget,
)
from register.models import Organisation, Role, User
from register.services.audit import audit_record
from register.services.notifications import notify
from signals.attachments import check_upload
from signals.services import signal_submit

PLAN_FIELDS = ("island", "place", "sector", "planned_on", "initiating_organisation",
               "directing_organisation", "goal", "team", "briefing")


def control_plan(*, actor: User, values: dict, participants: list[tuple[Organisation, str]],
                 businesses: list[dict]) -> Control:
    """Plan a control; every participating organisation's staff are told in the app."""
    with transaction.atomic():
        control = Control.objects.create(created_by=actor, **{
            name: values.get(name, "") if name in ("team", "briefing") else values[name]
            for name in PLAN_FIELDS})
        tasks = dict(participants)
        # Whoever plans it takes part in it, as do the initiating and directing organisations.
        for organisation in (control.initiating_organisation, control.directing_organisation,
                             actor.organisation):
            tasks.setdefault(organisation, "")
        ControlParticipant.objects.bulk_create(
            ControlParticipant(control=control, organisation=organisation, task=task)
            for organisation, task in tasks.items())
        ControlBusiness.objects.bulk_create(
            ControlBusiness(control=control, name=b["name"],
                            registration_number=b.get("registration_number", ""))
            for b in businesses if b.get("name"))
        audit_record(actor=actor, action="controls.control.planned", obj=control, detail={
            "island": control.island, "participants": sorted(o.code for o in tasks)})
        staff = User.objects.filter(
            is_active=True, organisation__in=list(tasks),
            role_grants__role__in=[Role.REPORTER, Role.ANALYST]).exclude(pk=actor.pk).distinct()
        notify(users=staff, url=reverse("controls:detail", args=[control.pk]),
               event="controls.control.planned", params={
                   "ref": control.audit_ref, "date": control.planned_on.isoformat(),
                   "island": control.island})
    return control


def control_record(*, actor: User, control: Control, status: str, values: dict,
                   took_part: list[Organisation]) -> Control:
    """Record how a control went: held with its results, or cancelled with the reason."""
    errors = {}
    if status == Control.Status.CANCELLED and not values.get("cancelled_reason", "").strip():
        errors["cancelled_reason"] = _("Give the reason the control was cancelled.")
    if status == Control.Status.HELD:
        held_on = values.get("held_on")
        if held_on is None:
            errors["held_on"] = _("Give the date the control was held.")
        elif held_on > timezone.localdate():
            errors["held_on"] = _("A control cannot have been held in the future.")
        for name in ("persons_checked", "businesses_checked", "arrests", "fines"):
            if values.get(name) is None:
                errors[name] = _("Give a number, 0 if none.")
    if errors:
        raise ValidationError(errors)
    if status == Control.Status.HELD and not took_part:
        errors["took_part"] = _("Tick the organisations that took part.")
    if errors:
        raise ValidationError(errors)
    fields = ["status", "held_on", "cancelled_reason", "persons_checked", "businesses_checked",
              "arrests", "fines", "follow_up_agreed", "results_recorded_at"]
    before = {name: getattr(control, name) for name in fields[:-1]}
    held = status == Control.Status.HELD
    with transaction.atomic():
        control.status = status
        # A cancelled control has no results, and a held one no reason for cancelling: the
        # overview counts each in one place only.
        for name in fields[1:-1]:
            keep = (name == "cancelled_reason") != held
            setattr(control, name, values.get(name) if keep else None)
        control.cancelled_reason = control.cancelled_reason or ""
        control.follow_up_agreed = control.follow_up_agreed or ""
        control.results_recorded_at = timezone.now() if held else None
        present = {o.pk for o in took_part} if held else set()
        for participant in control.participants.all():
            participant.took_part = (participant.organisation_id in present) if held else None
            participant.save(update_fields=["took_part"])
        control.save(update_fields=fields)
        audit_record(actor=actor, action="controls.control.recorded", obj=control, detail={
            "status": status, "took_part": sorted(o.code for o in took_part) if held else [],
            # Field names only: the reasons and agreements are free text, and the trail is
            # append-only, so it could never forget them.
            "fields": [name for name in before if before[name] != getattr(control, name)]})
    return control


def finding_add(*, actor: User, control: Control, category: str, count: int,
                description: str) -> ControlFinding:
    if not control.participants.filter(organisation=actor.organisation).exists():
        raise ValidationError(_("Only organisations taking part record findings."))
    if control.status == Control.Status.CANCELLED:
        raise ValidationError(_("A cancelled control has no findings."))
    with transaction.atomic():
        finding = ControlFinding.objects.create(
            control=control, organisation=actor.organisation, category=category, count=count,
            description=description, created_by=actor)
        audit_record(actor=actor, action="controls.finding.added", obj=control,
                     detail={"category": category, "count": count})
    return finding


def report_upload(*, actor: User, control: Control, upload) -> ControlReport:
    content_type = check_upload(upload)
    if content_type != "application/pdf":
        raise ValidationError(_("The report must be a PDF file."))
    with transaction.atomic():
        report = ControlReport(control=control, original_name=upload.name[:200],
                               content_type=content_type, size=upload.size, uploaded_by=actor)
        report.file.save("report", upload, save=False)
        report.save()
        audit_record(actor=actor, action="controls.report.uploaded", obj=control,
                     detail={"report": str(report.pk)})
    return report


def control_raise_signal(*, control: Control, actor: User, **intake):
    """File a signal through the normal intake and link it to the control, in one go."""
    with transaction.atomic():
        signal, created = signal_submit(actor=actor, **intake)
        if created:
            ControlSignal.objects.create(control=control, signal=signal)
            audit_record(actor=actor, action="controls.signal.raised", obj=control,
                         result_ids=[signal.pk])
    return signal, created


def target_for(island: str, year: int) -> int:
    """The target set for this year or the latest year before it (0: the starting default),
    so changing it from now on never rewrites the past."""
    target = (ControlTarget.objects.filter(island=island, year__lte=year)
              .order_by("-year").values_list("target", flat=True).first())
    return target or 0


def target_set(*, actor: User, island: str, year: int, target: int) -> None:
    with transaction.atomic():
        ControlTarget.objects.update_or_create(island=island, year=year,
                                               defaults={"target": target})
        audit_record(actor=actor, action="controls.target.changed",
                     object_type="controls.controltarget", object_id=f"{island}:{year}",
                     detail={"target": target})


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
