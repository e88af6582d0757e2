"""In-app notifications, stored as an event code with its parameters and worded when read.

A stored sentence would stay in the language and date format of whoever caused it; the reader
may read another language. So a notification keeps what happened (the event) and the facts it
names (codes, references, ISO dates; never personal data), and `Notification.text` words it in
the language active when it is shown.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEGACY = "legacy"


@dataclass(frozen=True)
class Event:
    """How one kind of notification is worded.

    `kinds` says how each placeholder is shown: "text" as stored (references, numbers),
    "date" an ISO date in the reader's date format, or "choice:app.Model.field" a stored code
    shown as that field's label in the reader's language (looked up through the app registry,
    so this lowest layer imports no app above it).
    """

    template: Promise
    kinds: dict[str, str] = field(default_factory=dict)
    # The e-mail's one neutral sentence: the kind of event, never its facts (no reference,
    # no name), since an e-mail leaves the register.
    mail: Promise = _("You have a new notification in the thematic register.")
    # Who is sent it without having chosen: in the app only, or e-mail too (at once or in
    # the daily digest). Each user may choose otherwise (NotificationPreference).
    delivery: str = "digest"
    # The roles that can receive it, for the settings page (empty: everyone).
    roles: tuple[str, ...] = ()
    # What the settings page calls it.
    label: Promise | None = None

    def placeholders(self) -> set[str]:
        return set(re.findall(r"%\((\w+)\)s", str(self.template)))


# The one registry of what the app tells people in the app. Add an event here, with its
# msgid in English; `notify` refuses codes and parameters that are not in it. LEGACY is not
# here: rows stored before events existed show their stored sentence (Notification.message).
EVENTS: dict[str, Event] = {
    "casework.signal.assigned": Event(
        _("Signal %(ref)s was assigned to you."), {"ref": "text"},
        mail=_("A signal was assigned to you in the thematic register."),
        roles=("analyst",), label=_("A signal is assigned to me")),
    "casework.dossier.assigned": Event(
        _("Dossier %(ref)s was assigned to you."), {"ref": "text"},
        mail=_("A dossier was assigned to you in the thematic register."),
        roles=("analyst",), label=_("A dossier is assigned to me")),
    "controls.control.planned": Event(
        _("You take part in control %(ref)s on %(date)s (%(island)s)."),
        {"ref": "text", "date": "date", "island": "choice:controls.Control.island"},
        mail=_("You take part in a control planned in the thematic register."),
        label=_("A control I take part in is planned")),
    "signals.signal.immediate_danger": Event(
        _("Signal %(ref)s says someone is in immediate danger."), {"ref": "text"},
        mail=_("A signal in the thematic register says someone is in immediate danger. "
               "Log in now."),
        delivery="immediate", roles=("analyst",),
        label=_("A signal says someone is in immediate danger")),
    "signals.signal.question_asked": Event(
        _("An analyst asked a question about your signal %(ref)s."), {"ref": "text"},
        mail=_("An analyst asked a question about a signal you filed in the thematic "
               "register."),
        delivery="immediate", roles=("reporter", "analyst"),
        label=_("An analyst asks me about a signal I filed")),
    "signals.signal.question_answered": Event(
        _("The reporter answered the question about signal %(ref)s."), {"ref": "text"},
        mail=_("A reporter answered a question in the thematic register."),
        roles=("analyst",), label=_("A reporter answers my question")),
    "reporting.report.ready": Event(
        _("The report %(kind)s for %(start)s to %(end)s is ready."),
        {"kind": "choice:reporting.Report.kind", "start": "date", "end": "date"},
        mail=_("A report is ready in the thematic register's report archive."),
        delivery="immediate", roles=("coordinator", "manager", "analyst"),
        label=_("A report I receive is ready")),
    "casework.share.requested": Event(
        _("A colleague asks your approval to share dossier %(ref)s with %(country)s."),
        {"ref": "text", "country": "choice:register.ShareRequest.country"},
        mail=_("A colleague asks your approval for sharing information in the thematic "
               "register."),
        delivery="immediate", roles=("analyst",),
        label=_("A colleague asks my approval to share a dossier")),
    "casework.share.decided": Event(
        _("Your request to share dossier %(ref)s was %(status)s."),
        {"ref": "text", "status": "choice:register.ShareRequest.status"},
        mail=_("Your request to share information was decided in the thematic register."),
        roles=("analyst",), label=_("My request to share a dossier is decided")),
    "register.reading.unusual": Event(
        _("%(count)s alerts of unusual reading on %(date)s."),
        {"count": "text", "date": "date"},
        mail=_("Unusual reading was found in the thematic register."),
        roles=("auditor",), label=_("Unusual reading is found")),
    # Follow-up tasks: to the portfolio holders of the organisation asked ...
    "casework.task.new": Event(
        _("Your organisation is asked for follow-up on dossier %(ref)s: %(kind)s."),
        {"ref": "text", "kind": "choice:register.FollowUpAction.kind"},
        mail=_("Your organisation has a new follow-up task in the thematic register."),
        delivery="immediate", roles=("portfolio_holder",),
        label=_("My organisation is asked for follow-up")),
    "casework.task.due_soon": Event(
        _("A follow-up task on dossier %(ref)s is due on %(date)s."),
        {"ref": "text", "date": "date"},
        mail=_("A follow-up task of your organisation is due soon in the thematic register."),
        roles=("portfolio_holder",), label=_("A task of my organisation is due soon")),
    "casework.task.overdue": Event(
        _("A follow-up task on dossier %(ref)s was due on %(date)s and is not done yet."),
        {"ref": "text", "date": "date"},
        mail=_("A follow-up task of your organisation is overdue in the thematic register."),
        roles=("portfolio_holder",), label=_("A task of my organisation is overdue")),
    # ... and to the analyst who asked.
    "casework.task.escalated": Event(
        _("The follow-up you asked of %(org)s on dossier %(ref)s was due on %(date)s and is "
          "not done yet."), {"org": "text", "ref": "text", "date": "date"},
        mail=_("A follow-up you asked of a partner is overdue in the thematic register."),
        roles=("analyst",), label=_("A follow-up I asked of a partner is overdue")),
    "casework.task.accepted": Event(
        _("%(org)s accepted the follow-up you asked on dossier %(ref)s."),
        {"org": "text", "ref": "text"},
        mail=_("A partner answered a follow-up you asked in the thematic register."),
        roles=("analyst",), label=_("A partner accepts a follow-up I asked")),
    "casework.task.declined": Event(
        _("%(org)s declined the follow-up you asked on dossier %(ref)s."),
        {"org": "text", "ref": "text"},
        mail=_("A partner answered a follow-up you asked in the thematic register."),
        delivery="immediate", roles=("analyst",),
        label=_("A partner declines a follow-up I asked")),
    # ... and to the register managers when nobody at the partner can receive it.
    "casework.task.no_holder": Event(
        _("%(org)s was asked for follow-up on dossier %(ref)s but has no portfolio holder to "
          "receive it. Appoint one."), {"org": "text", "ref": "text"},
        mail=_("A partner without a portfolio holder was asked for follow-up in the thematic "
               "register."),
        delivery="immediate", roles=("manager",),
        label=_("A partner without a portfolio holder is asked for follow-up")),
    "casework.task.outcome": Event(
        _("%(org)s recorded the outcome of the follow-up on dossier %(ref)s."),
        {"org": "text", "ref": "text"},
        mail=_("A partner recorded the outcome of a follow-up in the thematic register."),
        roles=("analyst",), label=_("A partner records the outcome of a follow-up")),
}


class Delivery(models.TextChoices):
    APP = "app", _("In the app only")
    IMMEDIATE = "immediate", _("In the app and by e-mail at once")
    DIGEST = "digest", _("In the app and in a daily e-mail")


def events_for(user) -> list[str]:
    """The events a user can receive, for their settings page."""
    return [code for code, spec in EVENTS.items()
            if not spec.roles or user.has_role(*spec.roles)]


def check_event(event: str, params: dict) -> None:
    """Raise ValueError for an unknown event or parameters that do not fit its wording."""
    if event == LEGACY or event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}")
    wanted = set(EVENTS[event].kinds)
    if set(params) != wanted:
        raise ValueError(f"Event {event!r} takes the parameters {sorted(wanted)}, "
                         f"not {sorted(params)}")


def _shown(kind: str, value):
    if value in (None, ""):
        return ""
    if kind == "date":
        return formats.date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    if kind.startswith("choice:"):
        app_label, model_name, field_name = kind.removeprefix("choice:").split(".")
        model_field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def render_event(event: str, params: dict, language: str | None = None) -> str:
    """The sentence for an event in `language` (default: the active one)."""
    spec = EVENTS[event]
    with translation.override(language or translation.get_language()):
        values = {name: _shown(kind, params.get(name)) for name, kind in spec.kinds.items()}
        return str(spec.template) % values


class Notification(models.Model):
    """A message in the app for one user: no personal data, only what to look at and where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    event = models.CharField(_("event"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # Only for notifications stored before events existed (event "legacy"): their sentence.
    message = models.CharField(_("message"), max_length=300, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # How it is mailed, as the user had chosen when it was made ("" = not mailed: in the app
    # only, or the user has no address), and when the mail left (or was claimed to leave).
    mail = models.CharField(max_length=10, blank=True, default="")
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"]),
                   models.Index(fields=["mail", "mailed_at"])]

    def __str__(self) -> str:
        return self.render()

    def render(self, language: str | None = None) -> str:
        if self.event == LEGACY or self.event not in EVENTS:
            # An event since taken out of the registry still says what it was.
            return self.message or self.event
        return render_event(self.event, self.params, language)

    @property
    def text(self) -> str:
        """Worded in the active language, for templates."""
        return self.render()


class NotificationPreference(models.Model):
    """A user's choice for one kind of event; without a row, the event's default holds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    event = models.CharField(_("event"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"],
                                               name="one_preference_per_event")]


def delivery_for(user, event: str) -> str:
    chosen = {p.event: p.delivery for p in user.notification_preferences.all()}
    return chosen.get(event) or EVENTS[event].delivery
