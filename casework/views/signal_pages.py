"""The pages of one signal, for everyone who may open it (need to know decides who): an
analyst gets the triage page, a reporter the page of what they filed; the receipt; and the
attachments, for analysts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.selectors import signals_visible_to, visible_signal_or_404
from casework.views.triage import triage_page
from register.access import INTAKE_ROLES, analyst_only, role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import file_download
from signals.attachment_preview import PREVIEW_PAGES, NoPreview, preview_pages, preview_png
from signals.models import Attachment, AttachmentText
from signals.services import attachment_read_again
from signals.views.reading import receipt_page, reporter_page


@role_required(*INTAKE_ROLES)
def signal_detail(request, reference: str):
    signal = visible_signal_or_404(request.user, reference)
    if request.user.has_role(Role.ANALYST):
        return triage_page(request, signal)
    return reporter_page(request, signal)


@role_required(*INTAKE_ROLES)
def signal_receipt(request, reference: str):
    return receipt_page(request, visible_signal_or_404(request.user, reference))


def _visible_attachment(request, reference: str, attachment_id):
    """The attachment through the signal's need-to-know selector: a 404 for a signal the user
    may not see and for an attachment of another signal."""
    # The signal alone, without the parts its page shows: a preview fetches page after page.
    signal = signals_visible_to(request.user).filter(reference=reference).first()
    if signal is None:
        raise Http404
    try:
        return signal, signal.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404 from None


@analyst_only
def attachment_download(request, reference: str, attachment_id):
    signal, attachment = _visible_attachment(request, reference, attachment_id)
    audit_record(actor=request.user, action="signals.attachment.downloaded", obj=attachment,
                 detail={"signal": signal.reference})
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    # The original name may hold personal data; the download gets a neutral name.
    return file_download(attachment.file,
                         filename=f"{signal.reference}-{str(attachment.pk)[:8]}."
                                  f"{extension.get(attachment.content_type, 'bin')}",
                         content_type=attachment.content_type)


@analyst_only
def attachment_preview(request, reference: str, attachment_id):
    """The attachment shown in the page, page by page as images, with the text read from it;
    audited like a download."""
    signal, attachment = _visible_attachment(request, reference, attachment_id)
    pages = preview_pages(attachment)
    audit_record(actor=request.user, action="signals.attachment.previewed", obj=attachment,
                 detail={"signal": signal.reference, "pages": pages})
    return render(request, "casework/attachment_preview.html", {
        "signal": signal, "attachment": attachment, "pages": range(1, pages + 1),
        "preview_limit": PREVIEW_PAGES,
        "text": AttachmentText.objects.filter(attachment=attachment).first()})


@analyst_only
def attachment_preview_page(request, reference: str, attachment_id, page: int):
    """One page of the preview as a PNG drawn by the server: never the file itself, so
    nothing in it runs, in a sandbox, never cached; each page fetched is audited."""
    signal, attachment = _visible_attachment(request, reference, attachment_id)
    if not 1 <= page <= preview_pages(attachment):
        raise Http404
    try:
        png = preview_png(attachment, page)
    except NoPreview:
        raise Http404 from None
    audit_record(actor=request.user, action="signals.attachment.previewed", obj=attachment,
                 detail={"signal": signal.reference, "page": page})
    response = HttpResponse(png, content_type="image/png")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Content-Disposition"] = 'inline; filename="page.png"'
    return response


@analyst_only
@require_POST
def attachment_read_again_view(request, reference: str, attachment_id):
    """The worker reads again a file whose text could not be read; the signal page says so
    (the text shows once read)."""
    signal, attachment = _visible_attachment(request, reference, attachment_id)
    try:
        attachment_read_again(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is read again; its text shows here once read."))
    return redirect("signals:detail", signal.reference)
