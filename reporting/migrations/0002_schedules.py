from django.db import migrations


def seed(apps, schema_editor):
    ReportSchedule = apps.get_model("reporting", "ReportSchedule")
    for kind, months in (("annual", 12), ("quarterly", 3), ("working_group", 2)):
        ReportSchedule.objects.get_or_create(kind=kind, defaults={"every_months": months})
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="America/Kralendijk")
    PeriodicTask.objects.update_or_create(
        name="Make the scheduled reports",
        defaults={"task": "reporting.tasks.run_due_reports", "crontab": daily})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"),
                    ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
