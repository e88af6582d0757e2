"""A dossier's history as sentences in the reader's language ("Ilse Visser restricted the
dossier to Olaf Brandsma (OM)."), made from the audit trail's codes and ids when read, so
every reader gets them in her own language and with today's names."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.dossier_forms import analyst_label
from register.models import AuditEvent, Dossier, User

# Each: the sentence for the event, given {"who", "names", "count", "fields", "status"}.
SENTENCES = {
    "register.dossier.created": lambda n: _("%(who)s opened the dossier.") % n,
    "register.dossier.changed": lambda n: _("%(who)s changed %(fields)s (status: %(status)s).")
    % n,
    "register.dossier.assigned": lambda n: _("%(who)s assigned the dossier to %(names)s.") % n,
    "register.dossier.restricted": lambda n: _("%(who)s restricted the dossier to %(names)s.")
    % n,
    "register.dossier.unrestricted": lambda n: _("%(who)s lifted the restriction.") % n,
    "register.dossier.note_added": lambda n: _("%(who)s added a note.") % n,
    "register.follow_up.added": lambda n: _("%(who)s added a follow-up action.") % n,
    "register.follow_up.changed": lambda n: _(
        "%(who)s recorded the outcome of a follow-up action.") % n,
    "register.dossier.person_changed": lambda n: _(
        "%(who)s changed what is known of a person's role.") % n,
    "register.dossier.merged": lambda n: _("%(who)s merged another dossier into this one.") % n,
    "register.dossier.merged_away": lambda n: _("%(who)s merged this dossier into another.") % n,
    "register.dossier.signals_added": lambda n: ngettext(
        "%(who)s added %(count)d signal.", "%(who)s added %(count)d signals.", n["count"]) % n,
    "register.dossier.signals_moved_out": lambda n: ngettext(
        "%(who)s moved %(count)d signal to another dossier.",
        "%(who)s moved %(count)d signals to another dossier.", n["count"]) % n,
    "register.dossier.signal_removed": lambda n: _("%(who)s removed a signal.") % n,
    "register.dossier.share_requested": lambda n: _(
        "%(who)s asked to share the dossier with another country of the Kingdom.") % n,
    "register.dossier.share_approved": lambda n: _(
        "%(who)s approved sharing the dossier with another country of the Kingdom.") % n,
    "register.dossier.share_refused": lambda n: _(
        "%(who)s refused sharing the dossier with another country of the Kingdom.") % n,
}


def _fields(event: AuditEvent) -> str:
    labels = {"title": _("the working title"), "status": _("the status"),
              "priority": _("the priority"), "closed_reason": _("the reason for closing")}
    return ", ".join(str(labels.get(name, name)) for name in event.detail.get("fields", []))


def history_sentences(events: list[AuditEvent]) -> list[tuple[AuditEvent, str]]:
    """Each event with its sentence; an action without one shows its code, never nothing."""
    ids = {pk for e in events for pk in e.detail.get("analysts", [])}
    # The analysts named and the actors, in one query.
    users = list(User.objects.filter(Q(pk__in=ids) | Q(username__in={
        e.actor_username for e in events})).select_related("organisation"))
    analysts = {u.pk: u for u in users if u.pk in ids}
    actors = {u.get_username(): u.display_name for u in users}
    statuses = dict(Dossier.Status.choices)
    lines = []
    for event in events:
        sentence = SENTENCES.get(event.action)
        if sentence is None:
            lines.append((event, event.action))
            continue
        lines.append((event, sentence({
            "who": actors.get(event.actor_username, event.actor_username),
            "names": ", ".join(analyst_label(analysts[pk]) for pk in
                               event.detail.get("analysts", []) if pk in analysts)
            or _("nobody"),
            "count": len(event.result_ids or []),
            "fields": _fields(event),
            "status": statuses.get(event.detail.get("status"), "")})))
    return lines
