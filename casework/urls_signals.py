"""Everything under /signals/, named `signals:...` as it always was: intake's pages (filing, the
reporter's list) and casework's pages of one signal (who may open it is need to know)."""

from django.urls import path

from casework.views import signal_pages, triage
from signals.urls import urlpatterns as intake

app_name = "signals"
urlpatterns = [
    *intake,
    path("<str:reference>/", signal_pages.signal_detail, name="detail"),
    path("<str:reference>/receipt/", signal_pages.signal_receipt, name="receipt"),
    path("<str:reference>/attachments/<uuid:attachment_id>/",
         signal_pages.attachment_download, name="attachment"),
    path("<str:reference>/triage/<slug:action>/", triage.triage_action, name="triage"),
    path("<str:reference>/persons/<int:mention_id>/<slug:decision>/", triage.mention_decision,
         name="mention_decision"),
    path("<str:reference>/questions/<int:question_id>/answer/", triage.answer_question,
         name="answer_question"),
]
