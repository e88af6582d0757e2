"""Existing register persons get the new match keys (name words, pairs, sounds, typo keys),
derived from the name identifiers they already have; a date of 1 January is marked as known by
its year only (how partners wrote a year until the precision could be given); and the scheduled
tasks that count name words and learn the weights are planned."""


from django.db import migrations

from casework.persons import name_part_identifiers

CHUNK = 2000


def backfill(apps, schema_editor):
    Identifier = apps.get_model("casework", "PersonIdentifier")
    Person = apps.get_model("register", "Person")
    SignalPerson = apps.get_model("signals", "SignalPerson")
    for model, field in ((Person, "date_of_birth"), (SignalPerson, "date_of_birth"),
                         (Identifier, "birth_date")):
        model.objects.filter(**{f"{field}__month": 1, f"{field}__day": 1}).update(
            **{"date_of_birth_precision" if model is not Identifier else "birth_precision":
               "year"})
    last = 0
    while True:
        names = list(Identifier.objects.filter(kind="name", pk__gt=last).order_by("pk")[:CHUNK])
        if not names:
            break
        last = names[-1].pk
        Identifier.objects.bulk_create([
            Identifier(person_id=name.person_id, mention_id=name.mention_id, kind=kind,
                       value=value, birth_date=name.birth_date, birth_year=name.birth_year,
                       birth_precision=name.birth_precision)
            for name in names for kind, value in name_part_identifiers(name.value)],
            ignore_conflicts=True)


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="America/Kralendijk")
    PeriodicTask.objects.update_or_create(
        name="Learn the match weights from the analysts' judgements",
        defaults={"task": "casework.tasks.refresh_match_statistics", "crontab": nightly})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="Learn the match weights from the analysts' judgements").delete()


def drop_new_keys(apps, schema_editor):
    apps.get_model("casework", "PersonIdentifier").objects.filter(
        kind__in=["part", "pair", "pair_sound", "typo"]).delete()




class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_match_index_by_name_parts_and_weights"),
        ("register", "0013_person_date_of_birth_precision"),
        ("signals", "0013_mention_date_of_birth_precision"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(backfill, drop_new_keys),
                  migrations.RunPython(schedule, unschedule)]
