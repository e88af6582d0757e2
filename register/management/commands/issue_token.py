from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from register.models import User
from register.services.accounts import token_issue


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (partner systems use tokens). Shown once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.select_related("organisation").get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is disabled.")
        try:
            self.stdout.write(token_issue(actor=None, user=user))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
