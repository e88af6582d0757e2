from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Register")

    def ready(self):
        from register import receivers  # noqa: F401 - connects the session audit receivers
        from register.retention import RetentionSource, register_source
        from register.services import privacy

        register_source(RetentionSource("register.subjectrequest",
                                        privacy.subject_requests_due,
                                        privacy.subject_requests_anonymise))
