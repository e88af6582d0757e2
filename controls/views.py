"""Controls: the overview, planning, recording, findings, the report, raising a signal."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.selectors import signals_visible_to
from controls import services
from controls.forms import FindingForm, PlanForm, RecordForm, ReportForm, TargetForm
from controls.models import Control
from controls.overview import ISLANDS, calendar, in_year, overview, with_signal_counts
from controls.selectors import controls_visible_to, findings_for, may_edit, may_read_report
from register.access import role_required
from register.models import Organisation, Role
from register.services.audit import audit_record
from register.ui import add_service_errors, error_items, file_download, year_param
from signals.views.entry import signal_entry

STAFF = (Role.REPORTER, Role.ANALYST)
OVERVIEW_ROLES = (Role.ANALYST, Role.COORDINATOR, Role.REPORTER)



@role_required(*OVERVIEW_ROLES)
def control_overview(request):
    """Analysts and the coordinator: the figures against the target and the calendar.
    Partner staff: the controls their organisation takes part in."""
    user, year = request.user, year_param(request)
    sees_all = user.has_role(Role.ANALYST, Role.COORDINATOR)
    controls = with_signal_counts(in_year(Control.objects.all() if sees_all
                                          else controls_visible_to(user), year))
    controls = controls.select_related("initiating_organisation", "directing_organisation")
    listed = list(controls.order_by("-day", "-id"))
    audit_record(actor=user, action="controls.control.listed", object_type="controls.control",
                 result_ids=[c.pk for c in listed], detail={"year": year})
    return render(request, "controls/overview.html", {
        "year": year, "years": range(timezone.localdate().year + 1, 2016, -1),
        "rows": overview(year) if sees_all else None,
        "controls": listed,
        "calendar": list(calendar(controls_visible_to(user) if not sees_all
                                  else Control.objects.all()).select_related(
                                      "directing_organisation")[:20]),
        "can_open": user.has_role(*STAFF),
        "can_plan": user.has_role(*STAFF),
        "can_set_targets": user.has_role(Role.COORDINATOR, Role.MANAGER),
    })


@role_required(*STAFF)
def control_new(request):
    form = PlanForm(request.POST or None, initial={
        "initiating_organisation": request.user.organisation,
        "directing_organisation": Organisation.objects.filter(code="kpcn").first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tasks = form.tasks_by_code()
        control = services.control_plan(
            actor=request.user, values=data,
            participants=[(o, tasks.get(o.code, "")) for o in data["participants"]],
            businesses=[{"name": line.strip()} for line in data["businesses"].splitlines()])
        messages.success(request, _("Control %(ref)s is planned; the participants were told.")
                         % {"ref": control.audit_ref})
        return redirect("controls:detail", control_id=control.pk)
    return render(request, "controls/plan.html", {"form": form,
                                                  "error_items": error_items(form)})


def _control(request, control_id: int) -> Control:
    control = controls_visible_to(request.user).filter(pk=control_id).first()
    if control is None:
        raise Http404
    return control


def _editable(request, control_id: int) -> Control:
    control = _control(request, control_id)
    if not may_edit(request.user, control):
        raise Http404
    return control


def _page(request, control, forms=None):
    forms = forms or {}
    user = request.user
    links = list(control.signal_links.all())
    visible = {s.pk: s for s in signals_visible_to(user).filter(
        pk__in=[link.signal_id for link in links])}
    signals = [visible[link.signal_id] for link in links if link.signal_id in visible]
    findings = findings_for(user, control)
    audit_record(actor=user, action="controls.control.viewed", obj=control,
                 result_ids=[f"signals.signal:{s.pk}" for s in signals]
                 + [f"controls.controlfinding:{f.pk}" for f, readable in findings if readable])
    return render(request, "controls/detail.html", {
        "control": control,
        "participants": list(control.participants.select_related("organisation")),
        "businesses": list(control.businesses.all()),
        "findings": findings,
        "signals": signals,
        "other_signals": len(links) - len(signals),
        "reports": list(control.reports.all()),
        "editable": may_edit(user, control),
        "record_form": forms.get("record") or RecordForm(control=control, initial={
            "status": control.status if control.status != "planned" else "held",
            "held_on": control.held_on or control.planned_on,
            "took_part": [p.organisation_id for p in control.participants.all()],
            **{name: getattr(control, name) for name in (
                "cancelled_reason", "persons_checked", "businesses_checked", "arrests",
                "fines", "follow_up_agreed")}}),
        "finding_form": forms.get("finding") or FindingForm(),
        "report_form": forms.get("report") or ReportForm(),
        "error_items": error_items(*forms.values()),
    })


@role_required(*STAFF)
def control_detail(request, control_id: int):
    return _page(request, _control(request, control_id))


def _record(user, control, data):
    services.control_record(actor=user, control=control, status=data["status"], values=data,
                            took_part=list(data["took_part"]))


def _finding(user, control, data):
    services.finding_add(actor=user, control=control, **data)


def _report(user, control, data):
    services.report_upload(actor=user, control=control, upload=data["report"])


ACTIONS = {"record": (RecordForm, _record), "finding": (FindingForm, _finding),
           "report": (ReportForm, _report)}


@role_required(*STAFF)
@require_POST
def control_action(request, control_id: int, action: str):
    control = _editable(request, control_id)
    if action not in ACTIONS:
        raise Http404
    form_class, save = ACTIONS[action]
    extra = {"control": control} if form_class in (RecordForm, FindingForm) else {}
    form = form_class(request.POST, request.FILES, **extra)
    if form.is_valid():
        try:
            save(request.user, control, form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("controls:detail", control_id=control.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return _page(request, control, {action: form})


@role_required(*STAFF)
def control_report(request, control_id: int, report_id):
    control = _control(request, control_id)
    report = get_object_or_404(control.reports.select_related("uploaded_by"), pk=report_id)
    if not may_read_report(request.user, report):
        raise Http404
    audit_record(actor=request.user, action="controls.report.downloaded", obj=control,
                 detail={"report": str(report.pk)})
    return file_download(report.file, filename=f"{control.audit_ref}-report.pdf",
                    content_type="application/pdf")


@role_required(*STAFF)
def control_raise_signal(request, control_id: int):
    """The standard signal form, filed through the intake and linked to this control."""
    control = _editable(request, control_id)
    if control.status == Control.Status.CANCELLED:
        raise Http404
    return signal_entry(
        request, paper=False,
        submit=partial(services.control_raise_signal, control=control),
        initial={"island": control.island, "location": control.place,
                 "sector": control.sector, "observed_on": control.held_on or control.planned_on},
        context={"control": control})


@role_required(Role.COORDINATOR, Role.MANAGER)
def control_targets(request):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.target_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The target was saved."))
        return redirect("controls:targets")
    year = timezone.localdate().year
    rows = [(island.label, services.target_for(island, year)) for island in ISLANDS]
    return render(request, "controls/targets.html", {"form": form, "rows": rows, "year": year,
                                                     "error_items": error_items(form)})
