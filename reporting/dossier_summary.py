"""A dossier's printed summary for a case conference or a hand-over to the prosecutor: PDF/A
with the classification marking and the moment of printing on every page. Printing is a
disclosure: it is audited with everything the summary holds and recorded in the disclosure
ledger with its recipient, legal ground and keeping date."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from casework.dossier_contents import contents_ids, dossier_contents
from register.models import Dossier, ShareRequest, User
from register.models.disclosures import Channel
from register.services.audit import audit_record
from register.services.disclosures import disclosed, record_disclosure
from register.ui import classification
from reporting.pdf import render_pdf


def _render(actor: User, dossier: Dossier) -> tuple[bytes, dict]:
    contents = dossier_contents(actor, dossier)
    html = render_to_string("reporting/dossier_summary.html", {
        **contents, "classification": classification(), "printed_at": timezone.localtime(),
        "printed_by": actor, "language": get_language()})
    return render_pdf(html), contents


def share_summary_pdf(*, actor: User, share: ShareRequest) -> bytes:
    """The summary to send under an approved share with another country of the Kingdom: the
    disclosure was recorded when it was approved; printing it is audited."""
    if share.status != ShareRequest.Status.APPROVED:
        raise PermissionDenied
    pdf, contents = _render(actor, share.dossier)
    audit_record(actor=actor, action="register.dossier.printed", obj=share.dossier,
                 result_ids=contents_ids(contents),
                 detail={"share": share.pk, "disclosure": share.disclosure_id})
    return pdf


def summary_objects(dossier: Dossier, contents: dict) -> list[tuple[str, str, str]]:
    """What a summary discloses: the dossier, its signals and its persons."""
    return ([disclosed("register.dossier", dossier.pk, dossier.number)]
            + [disclosed("signals.signal", s.pk, s.reference) for s in contents["signals"]]
            + [disclosed("register.person", role.person_id, dossier.number)
               for role in contents["persons"]])


def dossier_summary_pdf(*, actor: User, dossier: Dossier, recipient_organisation: str,
                        legal_ground: str, kept_until: dt.date, recipient_person: str = "",
                        purpose: str = "") -> bytes:
    pdf, contents = _render(actor, dossier)
    with transaction.atomic():
        audit_record(actor=actor, action="register.dossier.printed", obj=dossier,
                     result_ids=contents_ids(contents))
        record_disclosure(actor=actor, objects=summary_objects(dossier, contents),
                          channel=Channel.PRINT, recipient_organisation=recipient_organisation,
                          recipient_person=recipient_person, legal_ground=legal_ground,
                          purpose=purpose, kept_until=kept_until)
    return pdf
