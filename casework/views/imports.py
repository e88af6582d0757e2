"""The bulk import pages under /register/imports/: upload, columns, preview, progress and
report. An import is seen by the analyst who uploaded it only (others get 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.import_forms import ConfirmForm, MappingForm, UploadForm
from casework.imports.rows import ERROR, EXISTING
from casework.imports.service import (
    PAGE,
    import_confirm,
    import_preview_page,
    import_set_mapping,
    import_upload,
)
from casework.models import SignalImport
from register.access import analyst_only
from register.services.audit import audit_record
from register.ui import error_items

Status = SignalImport.Status


def _own(request, import_id: int) -> SignalImport:
    batch = (SignalImport.objects.filter(pk=import_id, uploaded_by=request.user)
             .select_related("organisation").first())
    if batch is None:
        raise Http404
    return batch


@analyst_only
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_upload(actor=request.user,
                                  organisation=form.cleaned_data["organisation"],
                                  upload=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
        else:
            return redirect("casework:import_mapping", batch.pk)
    imports = list(SignalImport.objects.filter(uploaded_by=request.user)
                   .select_related("organisation")[:50])
    return render(request, "casework/imports/list.html", {
        "form": form, "imports": imports, "error_items": error_items(form)},
        status=400 if form.errors else 200)


@analyst_only
def import_mapping(request, import_id: int):
    batch = _own(request, import_id)
    if batch.status not in (Status.UPLOADED, Status.PREVIEWED):
        return redirect("casework:import", batch.pk)
    form = MappingForm(request.POST or None, columns=batch.columns, mapping=batch.mapping)
    if request.method == "POST" and form.is_valid():
        try:
            import_set_mapping(actor=request.user, batch=batch, mapping=form.mapping())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("casework:import_preview", batch.pk)
    return render(request, "casework/imports/mapping.html", {
        "batch": batch, "form": form, "error_items": error_items(form)},
        status=400 if form.errors else 200)


@analyst_only
def import_preview(request, import_id: int):
    batch = _own(request, import_id)
    if batch.status not in (Status.UPLOADED, Status.PREVIEWED):
        return redirect("casework:import", batch.pk)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    preview = import_preview_page(actor=request.user, batch=batch, page=page)
    pages = Paginator(range(preview.total), PAGE).get_page(page)
    return render(request, "casework/imports/preview.html", {
        "batch": batch, "preview": preview, "pages": pages, "refused": preview.refused,
        "confirm_form": ConfirmForm(), "ERROR": ERROR, "EXISTING": EXISTING})


@analyst_only
@require_POST
def import_confirm_view(request, import_id: int):
    batch = _own(request, import_id)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        sent = import_confirm(actor=request.user, batch=batch,
                              take_in=form.cleaned_data.get("take_in", False))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("casework:import_preview", batch.pk)
    if sent is False:
        messages.warning(request, _("The background service could not be reached; the "
                                    "import starts when it is back."))
    else:
        messages.success(request, _("The import has started."))
    return redirect("casework:import", batch.pk)


@analyst_only
def import_detail(request, import_id: int):
    batch = _own(request, import_id)
    template = ("casework/imports/_progress.html" if request.htmx
                else "casework/imports/detail.html")
    return render(request, template, {"batch": batch,
                                      "running": batch.status in (Status.QUEUED,
                                                                  Status.RUNNING)})


@analyst_only
def import_report(request, import_id: int):
    batch = _own(request, import_id)
    if not batch.report:
        raise Http404
    audit_record(actor=request.user, action="casework.import.report_downloaded", obj=batch)
    return FileResponse(batch.report.open("rb"), as_attachment=True,
                        filename=f"import-I-{batch.pk}-report.csv", content_type="text/csv")
