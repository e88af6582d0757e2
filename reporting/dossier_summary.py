"""A dossier's printed summary for a case conference or a hand-over to the prosecutor: PDF/A
with the classification marking and the moment of printing on every page. Printing is a
disclosure: it is audited with everything the summary holds."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from casework.dossier_contents import contents_ids, dossier_contents
from register.models import Dossier, User
from register.services.audit import audit_record
from register.ui import classification
from reporting.pdf import render_pdf


def dossier_summary_pdf(*, actor: User, dossier: Dossier) -> bytes:
    contents = dossier_contents(actor, dossier)
    html = render_to_string("reporting/dossier_summary.html", {
        **contents, "classification": classification(), "printed_at": timezone.localtime(),
        "printed_by": actor, "language": get_language()})
    pdf = render_pdf(html)
    audit_record(actor=actor, action="register.dossier.printed", obj=dossier,
                 result_ids=contents_ids(contents))
    return pdf
