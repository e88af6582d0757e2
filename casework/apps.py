from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from casework import privacy
        from casework.dossiers import approval_apply_own_access
        from register.models import Approval
        from register.retention import RetentionSource, register_source
        from register.services.approvals import register_applier
        from signals.privacy import signals_due

        register_applier(Approval.Kind.OWN_DOSSIER_ACCESS, approval_apply_own_access)
        # Anonymising a signal also forgets the register persons known only from it.
        register_source(RetentionSource("signals.signal", signals_due,
                                        privacy.anonymise_signals))
