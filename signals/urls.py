from django.urls import path

from signals.views import entry, reading, triage

app_name = "signals"
urlpatterns = [
    path("new/", entry.signal_new, name="new"),
    path("paper/", entry.signal_new_paper, name="new_paper"),
    path("mine/", reading.my_signals, name="mine"),
    path("<str:reference>/", reading.signal_detail, name="detail"),
    path("<str:reference>/receipt/", reading.signal_receipt, name="receipt"),
    path("<str:reference>/attachments/<uuid:attachment_id>/", reading.attachment_download,
         name="attachment"),
    path("<str:reference>/triage/<slug:action>/", triage.triage_action, name="triage"),
    path("<str:reference>/persons/<int:mention_id>/<slug:decision>/", triage.mention_decision,
         name="mention_decision"),
    path("<str:reference>/questions/<int:question_id>/answer/", triage.answer_question,
         name="answer_question"),
]
