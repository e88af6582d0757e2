"""A rejected match suggestion is casework's record: the model moves to the casework app,
its table is taken over there (casework/migrations/0001_initial.py)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("signals", "0007_backfill_taken_up_by"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="MatchRejection"),
        ]),
    ]
