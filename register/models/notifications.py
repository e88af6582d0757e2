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

    def placeholders(self) -> set[str]:
        return set(re.findall(r"%\((\w+)\)s", str(self.template)))


# The one registry of what the app tells people in the app. Add an event here, with its
# msgid in English; `notify` refuses codes and parameters that are not in it. LEGACY is not
# here: rows stored before events existed show their stored sentence (Notification.message).
EVENTS: dict[str, Event] = {
    "casework.signal.assigned": Event(_("Signal %(ref)s was assigned to you."), {"ref": "text"}),
    "casework.dossier.assigned": Event(_("Dossier %(ref)s was assigned to you."),
                                       {"ref": "text"}),
    "controls.control.planned": Event(
        _("You take part in control %(ref)s on %(date)s (%(island)s)."),
        {"ref": "text", "date": "date", "island": "choice:controls.Control.island"}),
    "signals.signal.question_asked": Event(
        _("The analysts asked a question about your signal %(ref)s."), {"ref": "text"}),
    # Follow-up tasks: to the portfolio holders of the organisation asked ...
    "casework.task.new": Event(
        _("Your organisation is asked for follow-up on dossier %(ref)s: %(kind)s."),
        {"ref": "text", "kind": "choice:register.FollowUpAction.kind"}),
    "casework.task.due_soon": Event(
        _("A follow-up task on dossier %(ref)s is due on %(date)s."),
        {"ref": "text", "date": "date"}),
    "casework.task.overdue": Event(
        _("A follow-up task on dossier %(ref)s was due on %(date)s and is not done yet."),
        {"ref": "text", "date": "date"}),
    # ... and to the analyst who asked.
    "casework.task.escalated": Event(
        _("The follow-up you asked of %(org)s on dossier %(ref)s was due on %(date)s and is "
          "not done yet."), {"org": "text", "ref": "text", "date": "date"}),
    "casework.task.accepted": Event(
        _("%(org)s accepted the follow-up you asked on dossier %(ref)s."),
        {"org": "text", "ref": "text"}),
    "casework.task.declined": Event(
        _("%(org)s declined the follow-up you asked on dossier %(ref)s."),
        {"org": "text", "ref": "text"}),
    "casework.task.outcome": Event(
        _("%(org)s recorded the outcome of the follow-up on dossier %(ref)s."),
        {"org": "text", "ref": "text"}),
}


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

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

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
