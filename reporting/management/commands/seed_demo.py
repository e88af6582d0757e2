import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.demo import DEMO_SEED, seed_lived_in_register
from signals.demo import create_demo_signals, ensure_demo_accounts
from signals.models import Signal


class Command(BaseCommand):
    # Here, in the highest app, because the lived-in register holds controls and reports too.
    help = ("Create synthetic demo accounts (reporter.<code>, analyst.kpcn, analyst.kmar, "
            "analyst.om, coordinator, manager, auditor) and, in an empty register, years of "
            "invented casework: signals, dossiers, controls, requests and reports. Refuses "
            "with DEBUG off unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password for every demo account.")
        parser.add_argument("--signals", type=int, default=None,
                            help="Only this many recent signals instead of the lived-in "
                                 "register (quick, for trials).")
        parser.add_argument("--seed", type=int, default=DEMO_SEED)
        parser.add_argument("--force", action="store_true",
                            help="Run with DEBUG off (a test installation, never production).")

    def handle(self, *args, password, signals, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo refuses to run with DEBUG off; add --force only on a "
                               "test installation.")
        if len(password) < 8:
            raise CommandError("The demo password must have at least 8 characters.")
        if signals is None and not Signal.objects.exists():
            # All or nothing (one transaction in seed_lived_in_register): when it fails, the
            # register stays empty and the next `make run` seeds it again.
            started = time.monotonic()
            counts = seed_lived_in_register(password=password, seed=seed)
            self.stdout.write(
                f"Demo register ready in {time.monotonic() - started:.0f} s: "
                f"{counts.signals} signals, {counts.dossiers} dossiers ({counts.restricted} "
                f"restricted), {counts.controls} controls, {counts.reports} reports, "
                f"{counts.subject_requests} data-subject requests, {counts.retention_items} "
                f"items due for retention.")
            return
        with transaction.atomic():
            created = ensure_demo_accounts(password)
            made = create_demo_signals(signals or 0, seed) if not Signal.objects.exists() else 0
        self.stdout.write(f"Demo data ready: {created} new accounts, {made} new signals.")
