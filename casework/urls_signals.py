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
    path("<str:reference>/attachments/<uuid:attachment_id>/preview/",
         signal_pages.attachment_preview, name="attachment_preview"),
    path("<str:reference>/attachments/<uuid:attachment_id>/preview/<int:page>/",
         signal_pages.attachment_preview_page, name="attachment_preview_page"),
    path("<str:reference>/attachments/<uuid:attachment_id>/read-again/",
         signal_pages.attachment_read_again_view, name="attachment_read_again"),
    *(path(f"<str:reference>/triage/{slug}/", view, name=view.__name__)
      for slug, view in (("take-up", triage.take_up), ("assign", triage.assign),
                         ("take-in", triage.take_in),
                         ("grade", triage.grade), ("coding", triage.coding),
                         ("ask", triage.ask), ("decline", triage.decline),
                         ("open-dossier", triage.open_dossier),
                         ("add-to-dossier", triage.add_to_dossier))),
    path("<str:reference>/persons/<int:mention_id>/link/", triage.mention_link,
         name="mention_link"),
    path("<str:reference>/persons/<int:mention_id>/reject/", triage.mention_reject,
         name="mention_reject"),
    path("<str:reference>/questions/<int:question_id>/answer/", triage.answer_question,
         name="answer_question"),
]
