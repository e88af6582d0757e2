"""The moved tables get casework's names, and the match index a real foreign key to the
mention it came from, so the database keeps the two consistent.

An identifier whose mention no longer exists came from a signal that is gone; what that signal
said must not help anyone find the person, so it is removed rather than kept unattached (an
identifier without a mention is one an analyst entered, visible to every analyst).
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_identifiers_of_missing_mentions(apps, schema_editor):
    identifier = apps.get_model("casework", "PersonIdentifier")
    mention = apps.get_model("signals", "SignalPerson")
    identifier.objects.filter(mention_id__isnull=False).exclude(
        mention_id__in=mention.objects.values("pk")).delete()


MOVED = {"register": ("personidentifier", "personmerge"), "signals": ("matchrejection",)}


def content_types_follow_the_models(apps, schema_editor):
    """The moved models keep their content types (and so their permissions): relabelled, not
    left behind as stale rows beside new ones."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, models_ in MOVED.items():
        for model in models_:
            if not content_type.objects.filter(app_label="casework", model=model).exists():
                content_type.objects.filter(app_label=app_label, model=model).update(
                    app_label="casework")


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0001_initial"),
        ("signals", "0008_matchrejection_moves_to_casework"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(drop_identifiers_of_missing_mentions, migrations.RunPython.noop),
        migrations.RunPython(content_types_follow_the_models, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="personidentifier",
                                    name="unique_identifier_per_mention"),
        # Renamed first, then made a foreign key: the column (mention_id) and its values stay.
        migrations.RenameField(model_name="personidentifier", old_name="mention_id",
                               new_name="mention"),
        migrations.AlterField(
            model_name="personidentifier",
            name="mention",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.CASCADE,
                                    related_name="identifiers", to="signals.signalperson"),
        ),
        migrations.AddConstraint(
            model_name="personidentifier",
            constraint=models.UniqueConstraint(fields=("person", "mention", "kind", "value"),
                                               name="unique_identifier_per_mention"),
        ),
        migrations.AlterModelTable(name="matchrejection", table=None),
        migrations.AlterModelTable(name="personidentifier", table=None),
        migrations.AlterModelTable(name="personmerge", table=None),
        migrations.RenameIndex(model_name="personidentifier",
                               new_name="casework_pe_kind_4d9d61_idx",
                               old_name="register_pe_kind_269cf6_idx"),
        migrations.RenameIndex(model_name="personidentifier",
                               new_name="casework_pe_birth_d_81bbb1_idx",
                               old_name="register_pe_birth_d_37eea6_idx"),
    ]
