"""Who took up the signals already in triage before "taken up by" was recorded.

Until 0006 the first analyst to open a received signal put it into triage, audited as
`signals.signal.triage_started`. Without this, every signal in triage (or waiting for the
reporter's answer) on the day 0006 went live showed "nobody yet", and the next analyst to open
it would take it up as if no colleague were working on it. The audit trail says who started
each one and when: that analyst and that moment become its holder. Only the signals are
written; the audit trail is append-only (a trigger refuses updates) and only read here.
Signals with no such event (filed through a path that never audited it) stay "nobody".
"""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

STARTED = "signals.signal.triage_started"
IN_TRIAGE, QUESTION = "in_triage", "question"


def backfill_taken_up_by(apps, schema_editor):
    Signal = apps.get_model("signals", "Signal")
    AuditEvent = apps.get_model("register", "AuditEvent")
    # Should a signal have more than one start event, the latest says who holds it now.
    latest = AuditEvent.objects.filter(
        action=STARTED, object_type="signals.signal", actor__isnull=False,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-at", "-pk")
    Signal.objects.filter(
        status__in=[IN_TRIAGE, QUESTION], taken_up_by__isnull=True,
    ).update(
        taken_up_by_id=Subquery(latest.values("actor_id")[:1]),
        taken_up_at=Subquery(latest.values("at")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0001_initial'),
        ('signals', '0006_signal_taken_up_by'),
    ]

    operations = [
        # Backwards: 0006 removes the columns anyway; nothing to undo before that.
        migrations.RunPython(backfill_taken_up_by, migrations.RunPython.noop, elidable=False),
    ]
