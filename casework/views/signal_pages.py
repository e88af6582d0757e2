"""The pages of one signal, for everyone who may open it (need to know decides who): an
analyst gets the triage page, a reporter the page of what they filed; the receipt; and the
attachments, for analysts."""

from django.http import Http404

from casework.selectors import visible_signal_or_404
from casework.views.triage import triage_page
from register.access import INTAKE_ROLES, analyst_only, role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import file_download
from signals.models import Attachment
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


@analyst_only
def attachment_download(request, reference: str, attachment_id):
    signal = visible_signal_or_404(request.user, reference)
    try:
        attachment = signal.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404 from None
    audit_record(actor=request.user, action="signals.attachment.downloaded", obj=attachment,
                 detail={"signal": signal.reference})
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    # The original name may hold personal data; the download gets a neutral name.
    return file_download(attachment.file,
                         filename=f"{signal.reference}-{str(attachment.pk)[:8]}."
                                  f"{extension.get(attachment.content_type, 'bin')}",
                         content_type=attachment.content_type)
