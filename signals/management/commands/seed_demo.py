from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from signals.demo import create_demo_signals, ensure_demo_accounts
from signals.models import Signal


class Command(BaseCommand):
    help = ("Create synthetic demo accounts (reporter.<code>, analyst.kpcn, analyst.kmar, "
            "analyst.om, coordinator, manager, auditor) and signals. Refuses with DEBUG off "
            "unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo account.")
        parser.add_argument("--signals", type=int, default=36,
                            help="Signals to create when the register holds none yet.")
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--force", action="store_true",
                            help="Run with DEBUG off (a test installation, never production).")

    def handle(self, *args, password, signals, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off; add --force only on a "
                               "test installation.")
        if len(password) < 8:
            raise CommandError("The demo password must have at least 8 characters.")
        with transaction.atomic():
            created = ensure_demo_accounts(password)
            made = create_demo_signals(signals, seed) if not Signal.objects.exists() else 0
        self.stdout.write(f"Demo data ready: {created} new accounts, {made} new signals.")
