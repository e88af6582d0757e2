"""Casework takes over the tables of the models that moved to it, as they are (no data is
copied): register's match index and person merges, and signals' rejected suggestions. The next
migration then gives them casework's names and the match index a real foreign key."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("register", "0011_casework_models_move_out"),
        ("signals", "0008_matchrejection_moves_to_casework"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="PersonIdentifier",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("mention_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                    ("kind", models.CharField(choices=[
                        ("name", "name"), ("sound", "name as it sounds"), ("phone", "phone"),
                        ("document", "identity document")], max_length=10)),
                    ("value", models.CharField(max_length=300)),
                    ("birth_date", models.DateField(blank=True, null=True)),
                    ("birth_year", models.PositiveSmallIntegerField(blank=True, db_index=True,
                                                                    null=True)),
                    ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                 related_name="identifiers",
                                                 to="register.person")),
                ],
                options={
                    "db_table": "register_personidentifier",
                    "indexes": [
                        models.Index(fields=["kind", "value", "birth_year"],
                                     name="register_pe_kind_269cf6_idx"),
                        models.Index(fields=["birth_date"], name="register_pe_birth_d_37eea6_idx"),
                    ],
                    "constraints": [models.UniqueConstraint(
                        fields=("person", "mention_id", "kind", "value"),
                        name="unique_identifier_per_mention")],
                },
            ),
            migrations.CreateModel(
                name="PersonMerge",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("moved_mentions", models.JSONField(default=list)),
                    ("moved_roles", models.JSONField(default=list)),
                    ("dropped_roles", models.JSONField(default=list)),
                    ("added_identifiers", models.JSONField(default=list)),
                    ("merged_at", models.DateTimeField(auto_now_add=True)),
                    ("undone_at", models.DateTimeField(blank=True, null=True)),
                    ("merged_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                    related_name="+",
                                                    to=settings.AUTH_USER_MODEL)),
                    ("source", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="+", to="register.person")),
                    ("target", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="+", to="register.person")),
                    ("undone_by", models.ForeignKey(blank=True, null=True,
                                                    on_delete=django.db.models.deletion.PROTECT,
                                                    related_name="+",
                                                    to=settings.AUTH_USER_MODEL)),
                ],
                options={"ordering": ["-merged_at"], "db_table": "register_personmerge"},
            ),
            migrations.CreateModel(
                name="MatchRejection",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("rejected_at", models.DateTimeField(auto_now_add=True)),
                    ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                 related_name="+", to="register.person")),
                    ("rejected_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="+",
                                                      to=settings.AUTH_USER_MODEL)),
                    ("mention", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="rejections",
                                                  to="signals.signalperson")),
                ],
                options={
                    "db_table": "signals_matchrejection",
                    "constraints": [models.UniqueConstraint(fields=("mention", "person"),
                                                            name="unique_rejection")],
                },
            ),
        ]),
    ]
