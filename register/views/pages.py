from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language

from register.models import Role
from register.services.notifications import mail_language_set, notifications_read
from register.two_factor import confirmed_device
from register.ui import may_open

# Per role: what that role does here, and the page to start on (url name, link text). A new
# user reads this first, so it says in two sentences what the menu alone cannot.
ROLE_INTRODUCTIONS = {
    Role.REPORTER: (
        _("You report situations in your work that may point to human trafficking or people "
          "smuggling; the analysts of KPCN, KMar and OM assess every signal. Start by filing a "
          "signal; under My signals you follow its status and answer any question."),
        "signals:new", _("File a signal")),
    Role.ANALYST: (
        _("You assess incoming signals, take them into the register, link the persons and "
          "build dossiers with their follow-up and victim decisions. Start in the inbox, where "
          "signals with someone in immediate danger come first."),
        "casework:inbox", _("Go to the inbox")),
    Role.COORDINATOR: (
        _("You follow the figures of the whole register and prepare the quarterly and annual "
          "reports for the partners and the ministries. Start on the dashboard; finished and "
          "draft reports are under Reports."),
        "reporting:dashboard", _("Open the dashboard")),
    Role.MANAGER: (
        _("You manage the accounts, decide who may see restricted dossiers and handle "
          "data-subject requests and retention. Start with the accounts; requests and "
          "retention reviews waiting for you have their own menu items."),
        "manage_users", _("Manage the accounts")),
    Role.AUDITOR: (
        _("You check who saw or changed which data in the register, without seeing the "
          "personal data itself. Start in the audit trail and filter by period, user or a "
          "signal's reference."),
        "audit_events", _("Open the audit trail")),
    Role.PORTFOLIO_HOLDER: (
        _("You are your organisation's contact for trafficking: the analysts ask your "
          "organisation for follow-up through tasks. Accept or decline each task, record its "
          "progress and outcome; under Feedback you see what became of your organisation's "
          "signals."),
        "tasks:list", _("Open the tasks")),
}


def role_introductions(user) -> list[dict]:
    """The introduction of each role the user holds, in the order of the roles."""
    return [
        {"role": Role(role).label, "text": text,
         "url": reverse(url_name) if may_open(user, url_name) else "", "link": link}
        for role, (text, url_name, link) in ROLE_INTRODUCTIONS.items()
        if user.has_role(role)
    ]


@login_required
def home(request):
    return render(request, "register/home.html", {
        "has_authenticator": confirmed_device(request.user) is not None,
        "introductions": role_introductions(request.user)})


@never_cache
def healthz(request):
    """For the container healthcheck: the app answers and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def notification_list(request):
    notifications = list(request.user.notifications.all()[:100])
    notifications_read(user=request.user)
    return render(request, "register/notifications.html", {"notifications": notifications})


def language_choose(request):
    """Django's own language switch; for someone logged in, the choice is also the language of
    their e-mails (one preference, also on the notification settings page)."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        mail_language_set(actor=request.user, language=request.POST.get("language", ""))
    return response
