from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = _("Signals")

    def ready(self):
        from register.subject_search import register_finder
        from signals import privacy

        # Retention of signals is registered by casework (casework/apps.py): anonymising a
        # signal also forgets the register persons known only from it.
        register_finder(privacy.find_in_signals)
        register_finder(privacy.find_in_attachment_texts)
