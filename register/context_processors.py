from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from register.models import Role

# (url name, label, roles that see the link)
_NAVIGATION = (
    ("home", _("Start"), None),
    ("signals:new", _("File a signal"), (Role.REPORTER, Role.ANALYST)),
    ("signals:mine", _("My signals"), (Role.REPORTER, Role.ANALYST)),
    ("casework:inbox", _("Inbox"), (Role.ANALYST,)),
    ("casework:dossiers", _("Dossiers"), (Role.ANALYST,)),
    ("casework:search", _("Search"), (Role.ANALYST,)),
    ("signals:new_paper", _("Enter a paper signal"), (Role.ANALYST,)),
    ("controls:overview", _("Controls"), (Role.REPORTER, Role.ANALYST, Role.COORDINATOR)),
    ("reporting:dashboard", _("Dashboard"), (Role.COORDINATOR, Role.ANALYST, Role.MANAGER)),
    ("reporting:archive", _("Reports"), (Role.COORDINATOR, Role.MANAGER, Role.ANALYST)),
    ("manage_users", _("Accounts"), (Role.MANAGER,)),
    ("manage_restrictions", _("Restricted dossiers"), (Role.MANAGER,)),
    ("manage_approvals", _("Changes to approve"), (Role.MANAGER,)),
    ("manage_requests", _("Data-subject requests"), (Role.MANAGER,)),
    ("manage_retention", _("Retention"), (Role.MANAGER,)),
    ("audit_events", _("Audit trail"), (Role.AUDITOR,)),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "emergency_number": settings.EMERGENCY_NUMBER}
    items = [
        {"url": reverse(name), "label": label, "current": request.path == reverse(name)}
        for name, label, roles in _NAVIGATION
        if roles is None or user.has_role(*roles)
    ]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"navigation": items, "emergency_number": settings.EMERGENCY_NUMBER,
            "unread_notifications": unread}
