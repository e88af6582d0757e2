from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from register.ui import may_open

# (url name, label). Who sees a link is not listed here: it is the view's own role check
# (register.ui.may_open), so the menu cannot offer a page that answers 403.
_NAVIGATION = (
    ("home", _("Start")),
    ("signals:new", _("File a signal")),
    ("signals:mine", _("My signals")),
    ("casework:my_work", _("My work")),
    ("casework:inbox", _("Inbox")),
    ("casework:dossiers", _("Dossiers")),
    ("casework:follow_ups", _("Follow-up")),
    ("casework:persons", _("Persons")),
    ("casework:search", _("Search")),
    ("tasks:list", _("Tasks")),
    ("tasks:feedback", _("Feedback on our signals")),
    ("signals:new_paper", _("Enter a paper signal")),
    ("casework:imports", _("Import signals")),
    ("controls:overview", _("Controls")),
    ("controls:targets", _("Control targets")),
    ("reporting:dashboard", _("Dashboard")),
    ("reporting:archive", _("Reports")),
    ("manage_users", _("Accounts")),
    ("manage_restrictions", _("Restricted dossiers")),
    ("manage_approvals", _("Changes to approve")),
    ("manage_requests", _("Data-subject requests")),
    ("manage_retention", _("Retention")),
    ("audit_events", _("Audit trail")),
    ("disclosures", _("Disclosure ledger")),
    ("reading_alerts", _("Unusual reading")),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "emergency_number": settings.EMERGENCY_NUMBER}
    items = [
        {"url": reverse(name), "label": label, "current": request.path == reverse(name)}
        for name, label in _NAVIGATION
        if may_open(user, name)
    ]
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"navigation": items, "emergency_number": settings.EMERGENCY_NUMBER,
            "unread_notifications": unread}
