from django.db import migrations

TASKS = {
    "Mail the daily notification digests": ("register.tasks.mail_digests", "0", "7"),
    "Find unusual reading": ("register.tasks.find_unusual_reading", "15", "2"),
}


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, minute, hour) in TASKS.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="America/Kralendijk")
        PeriodicTask.objects.update_or_create(name=name,
                                              defaults={"task": task, "crontab": crontab})
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Send notification mails the broker missed",
        defaults={"task": "register.tasks.sweep_notification_mails", "interval": every_five})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[
        *TASKS, "Send notification mails the broker missed"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0016_notifications_disclosures_reading"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
