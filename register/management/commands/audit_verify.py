from django.core.management.base import BaseCommand, CommandError

from register.services.audit import audit_chain_breaks, write_checkpoint


class Command(BaseCommand):
    help = ("Check the audit trail's hash chain. Exits non-zero and names the first broken "
            "event when any event was changed, removed or reordered.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true",
                            help="After a clean check, record the newest event outside the "
                                 "database (AUDIT_CHECKPOINT_PATH), as the nightly job does.")

    def handle(self, *args, checkpoint, **options):
        for broken in audit_chain_breaks():
            raise CommandError(f"Audit trail broken at event {broken.event_id}: {broken.reason}.")
        if checkpoint:
            write_checkpoint()
        self.stdout.write("Audit trail intact.")
