from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "signals"
    verbose_name = _("Signals")

    def ready(self):
        from register.retention import RetentionSource, register_source
        from register.subject_search import register_finder
        from signals import privacy

        register_finder(privacy.find_in_signals)
        register_source(RetentionSource("signals.signal", privacy.signals_due,
                                        privacy.anonymise_signals))
