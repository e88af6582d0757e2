"""The match index and the records of person merges move to the casework app (issue 15).

Only Django's picture of the models changes here; the tables stay as they are and casework's
first migration takes them over (casework/migrations/0001_initial.py).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("register", "0010_notification_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="PersonIdentifier"),
            migrations.DeleteModel(name="PersonMerge"),
        ]),
    ]
