"""Password rules with messages that exist in every language the register speaks."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 asks for "...at least %d characters", a msgid its own Dutch catalogue (and
    ours for Papiamentu) does not have: they translate the earlier "%(min_length)d" form, so
    the message stayed English on Dutch pages. This asks for the translated form."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
