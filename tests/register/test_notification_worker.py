"""An immediate notification's e-mail sent by a real Celery worker through the real broker to
a real local SMTP server, after the transaction that made it committed."""

from aiosmtpd.controller import Controller

from register.models import Notification
from register.services.notifications import notify
from tests.faults.waiting import wait_for
from tests.personas import persona
from tests.register.test_site_url import Inbox, free_port
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_shared_database


def test_a_real_worker_mails_an_immediate_notification_after_the_commit(transactional_db):
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        with celery_worker(queues="celery", env={"TEST_EMAIL_PORT": str(server.port),
                                                 "SITE_URL": "https://register.example.test"}):
            notify(users=[persona("analyst_kpcn")], event="signals.signal.immediate_danger",
                   params={"ref": "MH-2026-00001"})
            wait_for(lambda: inbox.messages, seconds=90, what="the mail")
            notification = Notification.objects.get()
            wait_for(lambda: Notification.objects.filter(mailed_at__isnull=False).exists(),
                     seconds=30, what="the notification marked as mailed")
    finally:
        server.stop()
    (message,) = inbox.messages
    assert "analyst_kpcn@example.invalid" in message
    assert "MH-2026-00001" not in message
    assert "https://register.example.test/notifications/" in message
    assert notification.mail == "immediate"
