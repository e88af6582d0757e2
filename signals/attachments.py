"""Attachment checks: the type is decided by the file's content, never by its name."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
