"""Valid signals to start from; each test changes only what it is about."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from signals.services import NewAttachment, SignalInput, signal_submit
from signals.vocab import Channel

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def api_payload(**changes) -> dict:
    payload = {
        "observed_on": yesterday(),
        "island": "bonaire",
        "location": "Kralendijk",
        "sector": "construction",
        "forms": ["labour_exploitation"],
        "indicators": ["retention_of_documents", "withholding_of_wages"],
        "description": "Workers say the employer keeps their passports.",
        "persons": [
            {"role": "victim", "family_name": "Rodríguez Pérez", "given_names": "José Luis",
             "sex": "male", "date_of_birth": "1990-04-03", "nationality": "VE"},
            {"role": "suspect", "family_name": "Janssen", "alias": "El Jefe"},
        ],
        "businesses": [{"name": "Demo Bouw B.V.", "registration_number": "12345"}],
        "vehicles": [{"kind": "vessel", "name": "Esperanza"}],
    }
    payload.update(changes)
    return payload


def form_data(token: str, **changes) -> dict:
    """A complete, valid POST of the web form with two persons, a business and a vessel."""
    data = {
        "form_token": token,
        "action": "submit",
        "reporter_name": "Rita Reporter",
        "reporter_phone": "+599 717 8000",
        "reporter_email": "rita@example.invalid",
        "observed_on": yesterday(),
        "island": "bonaire",
        "location": "Rincon",
        "sector": "hospitality",
        "forms": ["sexual_exploitation", "people_smuggling"],
        "indicators": ["debt_bondage"],
        "description": "Women living above a bar say they owe money for the trip.",
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-0-role": "victim",
        "persons-0-family_name": "García Londoño",
        "persons-0-given_names": "Luz Marina",
        "persons-0-sex": "female",
        "persons-0-estimated_age": "24",
        "persons-0-nationality": "CO",
        "persons-1-role": "suspect",
        "persons-1-alias": "Papi",
        "persons-1-sex": "male",
        "businesses-TOTAL_FORMS": "1",
        "businesses-INITIAL_FORMS": "0",
        "businesses-0-name": "Bar Demo",
        "vehicles-TOTAL_FORMS": "1",
        "vehicles-INITIAL_FORMS": "0",
        "vehicles-0-kind": "vessel",
        "vehicles-0-name": "La Demo",
    }
    data.update(changes)
    return data


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def file_signal(actor, *, with_pdf: bool = False, files=(), **changes):
    """File a signal through the service, as a partner system would; `files` are (name,
    content type, bytes)."""
    values = {
        "reporter_name": actor.get_full_name(),
        "reporter_organisation": actor.organisation,
        "observed_on": timezone.localdate(),
        "island": "bonaire",
        "description": "Synthetic signal for a test.",
        "forms": ["labour_exploitation"],
    }
    values.update(changes)
    attachments = []
    if with_pdf:
        pdf = upload("statement.pdf", PDF_BYTES)
        attachments.append(NewAttachment(name=pdf.name, content_type="application/pdf", file=pdf))
    for name, content_type, content in files:
        attachments.append(NewAttachment(name=name, content_type=content_type,
                                         file=upload(name, content)))
    signal, _ = signal_submit(actor=actor, channel=Channel.API, data=SignalInput(**values),
                              attachments=attachments)
    return signal
