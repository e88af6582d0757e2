"""The report archive, on-demand reports, schedules, the dashboard and the exchange files."""

import csv
import datetime as dt
import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.need_to_know import dossiers_visible_to
from register.access import analyst_only, role_required
from register.disclosure_forms import DisclosureForm
from register.models import Organisation, Role
from register.reauth import recent_login_required
from register.services.audit import audit_record
from register.ui import add_service_errors, error_items, file_download, page_of, year_param
from register.vocab import ExploitationForm
from reporting.charts import bar_chart, line_chart
from reporting.content import Names, report_context
from reporting.crime_picture import CrossTable, crime_picture
from reporting.dossier_summary import dossier_summary_pdf, share_summary_pdf
from reporting.drill import (
    MOU_CELLS,
    SIGNAL_FIGURES,
    NotAFigure,
    drill_dossiers,
    drill_signals,
    drill_url,
)
from reporting.estimate_lists import EstimateListsForm, configured_lists, estimate_lists_set
from reporting.figures import Period, suppress
from reporting.forms import CommentaryForm, FinaliseForm, ReportRequestForm, ScheduleForm
from reporting.kingdom import MAX_BYTES, ExchangeFileInvalid, kingdom_import, kingdom_table
from reporting.models import Report, ReportKind, ReportSchedule
from reporting.research_release import HTCDS_COLUMNS, htcds_export, research_release
from reporting.rollup import mou_figures
from reporting.services import (
    ReportIsFinal,
    ReportNotFailed,
    ReportNotReady,
    ReportReplaced,
    report_comment,
    report_finalise,
    report_new_version,
    report_remake,
    report_request,
)
from reporting.trend_breakdowns import BREAKDOWNS, OTHERS, breakdown_series
from reporting.trends import ALL as TREND_ALL
from reporting.trends import FIGURES, YEARS, trend_series
from signals.vocab import Indicator, Island, Sector, VehicleKind

READERS = (Role.COORDINATOR, Role.MANAGER, Role.ANALYST)
# The dashboard's charts an analyst can open, and the figure behind each.
DRILLS = {"signals_by_form": "form", "signals_by_island": "island",
          "signals_by_sector": "sector", "signals_by_month": "month",
          "victims_by_nationality": "nationality", "follow_ups_by_kind": "follow_up"}
# The report goes out under the national coordinator's responsibility (to the ministers and
# the JVO): the coordinator writes its commentary, finalises it and makes new versions.
EDITORS = (Role.COORDINATOR,)
# Said wherever a change to a final report is refused.
IS_FINAL = gettext_lazy("This report is final and can no longer be changed.")
EXCHANGE_FIELDS = ("victims", "suspects", "investigations", "prosecutions", "verdicts",
                   "convictions")


@role_required(*READERS)
def archive(request):
    form = ReportRequestForm(request.POST or None, initial={
        "language": get_language(), "period_start": timezone.localdate().replace(month=1, day=1),
        "period_end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _report, publication = report_request(
            actor=request.user, kind=data["kind"], language=data["language"],
            period=Period(data["period_start"], data["period_end"]))
        if publication.sent is False:
            messages.warning(request, _(
                "The background service cannot be reached right now. Your request is kept: "
                "the report will be made when the service is back, and appears below."))
        else:
            messages.success(request,
                             _("The report is being made; it appears below when ready."))
        return redirect("reporting:archive")
    return render(request, "reporting/archive.html", {
        **_archive_rows(request), "form": form, "error_items": error_items(form)})


def _archive_rows(request) -> dict:
    reports = list(Report.objects.select_related("requested_by")[:100])
    return {"reports": reports, "pending": any(r.busy for r in reports),
            "editor": request.user.has_role(*EDITORS)}


@role_required(*READERS)
def archive_rows(request):
    """The archive's rows alone: fetched by archive.js every few seconds while a report is
    queued or being made, so its progress shows without a reload."""
    return render(request, "reporting/archive_rows.html", _archive_rows(request))


@role_required(*EDITORS)
def review(request, report_id):
    """A report's own page: its preview, the commentary while it is a draft, finalising,
    and a new version once it is final."""
    report = get_object_or_404(Report.objects.select_related(
        "requested_by", "finalised_by", "previous"), pk=report_id)
    form = CommentaryForm(request.POST or None, initial={"commentary": report.commentary})
    if request.method == "POST" and not report.is_final and form.is_valid():
        try:
            report_comment(actor=request.user, report=report,
                           commentary=form.cleaned_data["commentary"])
        except ReportIsFinal:
            messages.error(request, IS_FINAL)
        else:
            messages.success(request, _("The commentary was saved. The preview is being "
                                        "made again with it."))
        return redirect("reporting:review", report.pk)
    if request.method == "POST" and report.is_final:
        messages.error(request, IS_FINAL)
        return redirect("reporting:review", report.pk)
    return render(request, "reporting/review.html", {
        "report": report, "form": form, "error_items": error_items(form),
        "finalise_form": FinaliseForm(),
        "newer": report.next_versions.order_by("-version").first()})


# role_required first: a logged-out visitor following an action's link is sent to log in,
# not told the method is wrong.
@role_required(*EDITORS)
@require_POST
def report_action(request, report_id, action: str):
    report = get_object_or_404(Report, pk=report_id)
    try:
        if action == "finalise":
            confirmation = FinaliseForm(request.POST)
            if not confirmation.is_valid():
                messages.error(request, confirmation.errors["read"][0])
                return redirect("reporting:review", report.pk)
            report_finalise(actor=request.user, report=report)
            messages.success(request, _("The report is final. Its final PDF is being made; "
                                        "it will not change again."))
        elif action == "make-again":
            report_remake(actor=request.user, report=report)
            messages.success(request, _("The PDF is being made again."))
        elif action == "new-version":
            report, _publication = report_new_version(actor=request.user, report=report)
            messages.success(request, _("A new version was started as a draft. Its preview "
                                        "is being made."))
        else:
            raise Http404
    except ReportIsFinal:
        messages.error(request, IS_FINAL)
    except ReportNotFailed:
        messages.error(request, _("Only a report that could not be made is made again."))
    except ReportNotReady:
        if action == "finalise":
            messages.error(request, _("Wait until the preview is ready, and read it, before "
                                      "finalising."))
        else:
            messages.error(request, _("Only a final report gets a new version."))
    except ReportReplaced:
        messages.error(request, _("A newer version of this report exists already."))
    return redirect("reporting:review", report.pk)


@role_required(*READERS)
def download(request, report_id):
    report = Report.objects.filter(pk=report_id, status=Report.Status.DONE).first()
    if report is None:
        raise Http404
    audit_record(actor=request.user, action="reporting.report.downloaded", obj=report)
    return file_download(report.file,
                    filename=f"{report.kind}-{report.period_start}-{report.period_end}.pdf",
                    content_type="application/pdf")


@role_required(Role.COORDINATOR, Role.MANAGER)
def schedules(request):
    forms = []
    for schedule in ReportSchedule.objects.order_by("kind"):
        form = ScheduleForm(request.POST if request.POST.get("kind") == schedule.kind else None,
                            instance=schedule, prefix=schedule.kind)
        if form.is_bound and form.is_valid():
            form.save()
            audit_record(actor=request.user, action="reporting.schedule.changed",
                         object_type="reporting.reportschedule", object_id=schedule.kind,
                         detail={"enabled": schedule.enabled,
                                 "every_months": schedule.every_months})
            messages.success(request, _("The schedule was saved."))
            return redirect("reporting:schedules")
        forms.append((schedule, form))
    return render(request, "reporting/schedules.html", {"forms": forms})


@role_required(*EDITORS)
def estimate_lists(request):
    """Which organisations form one list in the hidden-number estimate: the coordinator's
    judgement of which organisations find victims independently of each other."""
    form = EstimateListsForm(request.POST or None, organisations=Organisation.objects.order_by(
        "name"), current=configured_lists())
    if request.method == "POST" and form.is_valid():
        estimate_lists_set(actor=request.user, names=form.cleaned_data)
        messages.success(request, _("The lists of the estimate were saved."))
        return redirect("reporting:estimate_lists")
    return render(request, "reporting/estimate_lists.html", {
        "form": form, "error_items": error_items(form)})


@role_required(Role.COORDINATOR, Role.ANALYST, Role.MANAGER)
def dashboard(request):
    """The coordinator sees suppressed aggregates; analysts the register's own counts."""
    year = year_param(request)
    island = request.GET.get("island", "")
    island = island if island in Island.values else ""
    exact = request.user.has_role(Role.ANALYST)
    context = report_context(ReportKind.ANNUAL, Period.year(year), island=island,
                             suppress_counts=not exact)
    titles = {"signals_by_form": _("Signals by form"), "signals_by_island": _("Signals by island"),
              "signals_by_sector": _("Signals by sector"),
              "signals_by_month": _("Signals by month"),
              "victims_by_nationality": _("Presumed victims by nationality"),
              "follow_ups_by_kind": _("Follow-up by kind")}
    for name, title in titles.items():
        # Analysts reach what lies behind a bar; nobody else gets a link (or the page).
        links = ([drill_url(DRILLS[name], code, year, island)
                  for code in context["codes"][name]] if exact else None)
        context["charts"][name] = bar_chart(title, context["tables"][name], links=links)
    for row in context["mou"]:
        row["cells"] = [(row[name], drill_url("mou", name, row["year"])
                         if exact and row[name] else None) for name in MOU_CELLS]
    audit_record(actor=request.user, action="reporting.dashboard.viewed",
                 detail={"year": year, "island": island})
    return render(request, "reporting/dashboard.html", {
        **context, "year": year, "years": range(timezone.localdate().year, 2016, -1),
        "islands": Island.choices[:3], "exact": exact})


def _trend_figure(name: str, label, series: list, years: list[int], unit=None) -> dict:
    """One chart of the trends page and the same numbers as a table."""
    description = (_("%(figure)s per year, %(first)s to %(last)s, per island; the table "
                     "below gives the numbers.") % {"figure": label, "first": years[0],
                                                     "last": years[-1]})
    if unit is not None:
        description = f"{unit}: {description}"
    return {"name": name, "label": label, "series": series,
            "rows": [(point_year, [s.points[i] for s in series])
                     for i, point_year in enumerate(years)],
            "chart": line_chart(str(label), years,
                                [(s.label, [p.value for p in s.points]) for s in series],
                                description=description,
                                links=[[p.link for p in s.points] for s in series])}


def _link_points(series: list, figure: str, value: str, by_island: bool) -> None:
    """Analysts open what lies behind a point: on every island's line when the drill-down
    can narrow to the island, on the line of all islands otherwise."""
    for line in series:
        if line.island != TREND_ALL and not by_island:
            continue
        for point in line.points:
            if point.value:
                point.link = drill_url(figure, value, point.year,
                                       "" if line.island == TREND_ALL else line.island)


@role_required(Role.COORDINATOR, Role.ANALYST, Role.MANAGER)
def trends(request):
    """Every figure of the dashboard over ten years, per island, with the change on the year
    before: a line chart and the same numbers as a table. With a breakdown chosen, one chart
    per category of it (forms, sectors, nationalities...) instead."""
    year = year_param(request)
    breakdown = request.GET.get("breakdown", "")
    breakdown = breakdown if breakdown in BREAKDOWNS else ""
    exact = request.user.has_role(Role.ANALYST)
    years = list(range(year - YEARS + 1, year + 1))
    if breakdown:
        chosen = BREAKDOWNS[breakdown]
        figures = []
        for category in breakdown_series(breakdown, year, suppress_counts=not exact):
            if exact and category.code != OTHERS:
                _link_points(category.series, chosen.drill, category.code, chosen.by_island)
            figures.append(_trend_figure(f"{breakdown}-{category.code}", category.label,
                                         category.series, years, chosen.unit))
    else:
        figures = []
        for name, series in trend_series(year, suppress_counts=not exact).items():
            if exact and name in MOU_CELLS:
                _link_points(series, "mou", name, by_island=False)
            figures.append(_trend_figure(name, FIGURES[name], series, years))
    audit_record(actor=request.user, action="reporting.trends.viewed",
                 detail={"year": year, **({"breakdown": breakdown} if breakdown else {})})
    return render(request, "reporting/trends.html", {
        "figures": figures, "year": year, "exact": exact, "breakdown": breakdown,
        "breakdowns": [(code, b.label) for code, b in BREAKDOWNS.items()],
        "heading": BREAKDOWNS[breakdown].label if breakdown else None, "first": years[0],
        "years": range(timezone.localdate().year, 2016, -1)})


@analyst_only
def drill(request, figure: str):
    """The signals or dossiers behind one bar or cell of the dashboard, as far as the analyst
    may see them (the casework need-to-know selectors)."""
    year = year_param(request)
    island = request.GET.get("island", "")
    island = island if island in Island.values else ""
    value = request.GET.get("value", "")
    period = Period.year(year)
    try:
        if figure in SIGNAL_FIGURES:
            rows, kind = drill_signals(request.user, period, figure, value, island), "signals"
        else:
            rows, kind = drill_dossiers(request.user, period, figure, value), "dossiers"
    except NotAFigure:
        raise Http404 from None
    page = page_of(request, rows)
    label = "signals.signal" if kind == "signals" else "register.dossier"
    audit_record(actor=request.user, action="reporting.drilldown.viewed",
                 result_ids=[f"{label}:{row.pk}" for row in page],
                 detail={"figure": figure, "value": value, "year": year, "island": island})
    query = {"year": year, "value": value, **({"island": island} if island else {})}
    return render(request, "reporting/drill.html", {
        "page": page, "kind": kind, "figure": figure, "value": value, "year": year,
        "island": island, "query": "&".join(f"{k}={v}" for k, v in query.items())})


def _labelled(table: CrossTable, row_label, column_label) -> dict:
    return {"columns": [column_label(c) for c in table.columns],
            "rows": [(row_label(r), cells) for r, cells in table.rows]}


@analyst_only
def crime_picture_page(request):
    """The year's crime picture: which forms in which sectors, who on which island, which
    indicators with which form, routes, speed per organisation and how much is combined."""
    year = year_param(request)
    picture = crime_picture(Period.year(year))
    names = Names()
    labels = {**dict(ExploitationForm.choices), **dict(Sector.choices),
              **dict(Island.choices), **dict(Indicator.choices), **dict(VehicleKind.choices)}

    def label(code: str) -> str:
        return str(labels.get(code, code)) if code else _("not recorded")

    def route(codes: tuple[str, str]) -> str:
        return f"{names.country(codes[0] or 'unknown')} · {label(codes[1])}"

    combined = picture["combined"]
    share = {key: round(100 * combined[key] / combined["total"]) if combined["total"] else 0
             for key in ("person", "dossier", "either")}
    audit_record(actor=request.user, action="reporting.crime_picture.viewed",
                 detail={"year": year})
    return render(request, "reporting/crime_picture.html", {
        "year": year, "years": range(timezone.localdate().year, 2016, -1),
        "tables": [
            (_("Forms of exploitation by sector"), _("Form of exploitation"),
             _labelled(picture["forms_by_sector"], label, label)),
            (_("Nationality of possible victims by island"), _("Nationality"),
             _labelled(picture["nationality_by_island"],
                       lambda c: names.country(c or "unknown"), label)),
            (_("Indicators by form of exploitation"), _("Indicator"),
             _labelled(picture["indicators_by_form"], label, label)),
            (_("Routes: nationality and way of arrival, by island"),
             _("Nationality · way of arrival"),
             _labelled(picture["routes"], route, label)),
            (_("Persons arriving at the border by country of departure and month"),
             _("Country of departure"),
             _labelled(picture["arrivals"], lambda c: names.country(c or "unknown"),
                       lambda month: formats.date_format(dt.date(2000, int(month), 1),
                                                         "M"))),
        ],
        "speed": [(names.organisation(code), n, triage, follow_up)
                  for code, n, triage, follow_up in picture["speed"]],
        "combined": combined, "share": share})


class ExchangeFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Exchange file (JSON or CSV)"),
                           help_text=gettext_lazy("In the cn-thb-mou-art4/1 format: one "
                                                  "country and year per line or item."))


@role_required(Role.COORDINATOR, Role.MANAGER)
def kingdom(request):
    """The MoU art. 4 figures of the five countries of the Kingdom side by side, and the
    import of the other countries' exchange files."""
    year = year_param(request)
    form = ExchangeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = kingdom_import(actor=request.user, name=upload.name,
                                  content=upload.read(MAX_BYTES + 1))
        except ExchangeFileInvalid as error:
            for problem in error.errors[:50]:
                form.add_error("file", problem)
        else:
            messages.success(request, ngettext(
                "%(n)s line of figures was imported.", "%(n)s lines of figures were imported.",
                len(rows)) % {"n": len(rows)})
            return redirect(f"{reverse('reporting:kingdom')}?year={max(r.year for r in rows)}")
    years = [year - 2, year - 1, year]
    own = {y: exchange_rows(y) for y in years}
    return render(request, "reporting/kingdom.html", {
        "form": form, "error_items": error_items(form), "year": year,
        "table": kingdom_table(years, own), "fields": EXCHANGE_FIELDS,
        "years": range(timezone.localdate().year, 2016, -1)})


class ReleaseForm(DisclosureForm):
    """What to release and for which years; for the HTCDS file, which lists every victim row
    by row, also to whom, on what ground, for what and until when (the disclosure ledger's
    questions, as on printing a dossier)."""

    kind = forms.ChoiceField(label=gettext_lazy("What to release"), choices=[
        ("research", gettext_lazy("Anonymised research release (k-anonymous, JSON)")),
        ("htcds", gettext_lazy(
            "Victims row by row in the IOM's CTDC columns (CSV; a disclosure)"))])
    first_year = forms.IntegerField(label=gettext_lazy("From year"), min_value=2000)
    last_year = forms.IntegerField(label=gettext_lazy("Until year"), min_value=2000)
    k = forms.IntegerField(label=gettext_lazy("k: the least number of victims sharing each "
                                              "released combination"),
                           min_value=2, max_value=100)
    field_order = ["kind", "first_year", "last_year", "k", "recipient_organisation",
                   "recipient_person", "legal_ground", "purpose", "kept_until"]
    # Asked for the HTCDS file only; the research release is anonymous.
    RECIPIENT = ("recipient_organisation", "legal_ground", "purpose", "kept_until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.RECIPIENT:
            self.fields[name].required = False
            self.fields[name].help_text = _("For the HTCDS file: required.")

    def clean_kept_until(self):
        return super().clean_kept_until() if self.cleaned_data.get("kept_until") else None

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        this_year = timezone.localdate().year
        if last is not None and last > this_year:
            self.add_error("last_year", _("The last year cannot be after this year."))
        elif first is not None and last is not None and first > last:
            self.add_error("last_year", _("The last year cannot be before the first."))
        elif first is not None and last is not None and last - first > 20:
            self.add_error("first_year", _("At most 21 years at a time."))
        if data.get("kind") == "htcds":
            for name in self.RECIPIENT:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("The HTCDS file lists every victim: say to whom "
                                           "it goes, on what ground, for what and until "
                                           "when."))
        return data


@role_required(*EDITORS)
def disclosures(request):
    """The HTCDS export and the anonymised research release: disclosures, so made by the
    coordinator only, on a form that posts (a link or a prefetch never makes one). The HTCDS
    file is recorded in the disclosure ledger before it is produced."""
    this_year = timezone.localdate().year
    form = ReleaseForm(request.POST or None, initial={
        "kind": "research", "first_year": this_year - 4, "last_year": this_year - 1,
        "k": settings.RESEARCH_RELEASE_K})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        years = {"first_year": data["first_year"], "last_year": data["last_year"]}
        name = f"{data['first_year']}-{data['last_year']}"
        if data["kind"] == "htcds":
            try:
                rows = htcds_export(actor=request.user, **years, **form.values())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                response = HttpResponse(content_type="text/csv; charset=utf-8")
                writer = csv.DictWriter(response, fieldnames=HTCDS_COLUMNS)
                writer.writeheader()
                writer.writerows(rows)
                response["Content-Disposition"] = f'attachment; filename="htcds-{name}.csv"'
                return response
        else:
            release = research_release(actor=request.user, k=data["k"], **years)
            response = HttpResponse(json.dumps({"release": release.report,
                                                "records": release.records}, indent=1),
                                    content_type="application/json")
            response["Content-Disposition"] = (f'attachment; filename="research-release-'
                                               f'{name}-k{data["k"]}.json"')
            return response
    return render(request, "reporting/disclosures.html", {
        "form": form, "error_items": error_items(form)})


def exchange_rows(year: int) -> dict:
    """MoU art. 4 for one year, as exchanged with Aruba, Curaçao, Sint Maarten and the
    Netherlands: stable field names, counts below the threshold as "<5"."""
    figures = mou_figures(year)
    return {"format": "cn-thb-mou-art4/1", "country": "Caribbean Netherlands", "year": year,
            **{name: suppress(getattr(figures, name)) for name in EXCHANGE_FIELDS}}


@role_required(Role.COORDINATOR, Role.MANAGER)
def exchange(request, year: int, extension: str):
    if extension not in ("json", "csv"):
        raise Http404
    rows = exchange_rows(year)
    audit_record(actor=request.user, action="reporting.exchange.exported",
                 detail={"year": year, "format": extension})
    if extension == "json":
        response = HttpResponse(json.dumps(rows, indent=2), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(list(rows))
        writer.writerow(list(rows.values()))
    response["Content-Disposition"] = f'attachment; filename="mou-art4-{year}.{extension}"'
    return response


@analyst_only
@recent_login_required
def dossier_summary(request, number: str):
    """The printable summary of a dossier the analyst may see (a 404 for any other). Printing
    is a disclosure: the form asks to whom, on what ground and until when; the PDF comes once
    it is answered, and the ledger records it."""
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pdf = dossier_summary_pdf(actor=request.user, dossier=dossier, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{dossier.number}.pdf"'
            return response
    return render(request, "reporting/dossier_summary_form.html", {
        "dossier": dossier, "form": form, "error_items": error_items(form)})


@analyst_only
@recent_login_required
def share_summary(request, number: str, share_id: int):
    """The summary to send to another country of the Kingdom, once a second analyst approved
    (403 before); only for a dossier the analyst may see (404 otherwise)."""
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    share = get_object_or_404(dossier.share_requests.select_related("dossier"), pk=share_id)
    pdf = share_summary_pdf(actor=request.user, share=share)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{dossier.number}-share.pdf"'
    return response
