"""Attachment checks: the type is decided by the file's content, never by its name."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from signals.models import StagedUpload

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload) -> str:
    """Return the content type of an allowed upload, or raise ValidationError naming the file."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name},
            code="wrong_type",
        )
    return content_type


def check_staging_quota(*, owner, upload) -> None:
    """Refuse to keep a file that would take the owner's kept files past their quota.

    Files are kept only for forms that were refused, and a new form token each time would let
    anyone store files until the daily purge, so the quota is per user, across all forms.
    Call inside transaction.atomic: the owner's row is locked so that parallel requests check
    one after another instead of each finding room.
    """
    get_user_model().objects.select_for_update().filter(pk=owner.pk).values_list("pk").first()
    used = StagedUpload.objects.filter(owner=owner).aggregate(total=Sum("size"))["total"] or 0
    limit = settings.STAGED_UPLOAD_QUOTA_BYTES
    if used + upload.size > limit:
        raise ValidationError(
            _("%(name)s was not kept, because files kept from forms not yet sent may take up "
              "at most %(limit)s. Choose it again when you send the form.")
            % {"name": upload.name, "limit": filesizeformat(limit)},
            code="quota",
        )


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
