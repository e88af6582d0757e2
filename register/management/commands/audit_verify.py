from django.core.management.base import BaseCommand, CommandError

from register.services.audit import audit_chain_breaks


class Command(BaseCommand):
    help = ("Check the audit trail's hash chain. Exits non-zero and names the first broken "
            "event when any event was changed, removed or reordered.")

    def handle(self, *args, **options):
        for broken in audit_chain_breaks():
            raise CommandError(f"Audit trail broken at event {broken.event_id}: {broken.reason}.")
        self.stdout.write("Audit trail intact.")
