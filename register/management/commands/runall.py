"""`make run`: migrate, seed demo data into an empty database, then serve the web app, a
Celery worker and Celery beat together, and stop all three together on Ctrl-C."""

import os
import secrets
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from register.models import User


def serving_site_url(host: str, port: int) -> str:
    """SITE_URL as configured in the environment, else the address served on."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"]
    # Listening on every interface: a browser on this machine reaches it on localhost.
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 (not a bind)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    help = "Serve the register with its worker and scheduler (for `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port, host, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if not User.objects.exists() and not settings.DEBUG:
            self.stdout.write("Empty database and DEBUG off: no demo data. Create the first "
                              "account with: python manage.py createsuperuser")
        elif not User.objects.exists():
            password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
            call_command("seed_demo", password=password)
            if not os.environ.get("DEMO_PASSWORD"):
                self.stdout.write(self.style.WARNING(
                    f"Demo accounts (e.g. reporter.kmar, analyst.kpcn) have the password: "
                    f"{password}"))
            self.stdout.write("Analysts, the manager and the auditor log in with a one-time "
                              "code: python manage.py demo_code analyst.kpcn")
        # Links in e-mails (sent by the worker too) lead to SITE_URL: point it at the port
        # served here, unless it was configured, as behind a proxy.
        os.environ["SITE_URL"] = serving_site_url(host, port)
        self.stdout.write(f"Links in e-mails lead to {os.environ['SITE_URL']}")
        python = sys.executable
        commands = [
            [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            [python, "-m", "celery", "-A", "register", "worker", "--loglevel=INFO",
             "--concurrency=2", "-Q", "celery,pdf"],
            [python, "-m", "celery", "-A", "register", "beat", "--loglevel=INFO",
             "--pidfile="],
        ]
        processes = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"Serving on http://{host}:{port}/ (Ctrl-C stops everything).")

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()

        signal.signal(signal.SIGTERM, lambda *_: (stop(), sys.exit(0)))
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            self.stderr.write("A process stopped; stopping the others.")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
