from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from register.models import User
from register.two_factor import confirmed_device


class Command(BaseCommand):
    help = ("Print the current one-time code of a demo account's authenticator (DEBUG only), so "
            "a demo or a test can log in as an analyst, manager or auditor without a phone.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DEBUG on.")
        user = User.objects.filter(username=username).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{username!r} has no authenticator.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
