"""Read the text of every attachment that has none yet, here and now (after installing
Tesseract, or when the worker was down for long); the periodic sweep does the same through
the worker, in batches."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from signals.attachment_text import attachments_without_text, read_attachment_text


class Command(BaseCommand):
    help = "Read the text of attachments that have none yet (PDF text, else OCR)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit: int, **options):
        counts: dict[str, int] = {}
        for attachment_id in list(attachments_without_text(older_than=timedelta(0),
                                                           limit=limit)):
            status = read_attachment_text(attachment_id) or "unchanged"
            counts[status] = counts.get(status, 0) + 1
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        self.stdout.write(summary or "Every attachment has its text.")
