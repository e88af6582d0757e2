from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlsConfig(AppConfig):
    name = "controls"
    verbose_name = _("Controls")

    def ready(self):
        from controls import privacy
        from register.retention import RetentionSource, register_source
        from register.subject_search import register_finder

        register_finder(privacy.find_in_findings)
        register_source(RetentionSource("controls.control", privacy.controls_due,
                                        privacy.anonymise_controls))
