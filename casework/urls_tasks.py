"""The portfolio holders' pages under /tasks/: their organisation's follow-up tasks and the
feedback on their organisation's signals."""

from django.urls import path

from casework.views import tasks

app_name = "tasks"
urlpatterns = [
    path("", tasks.task_list, name="list"),
    path("feedback/", tasks.feedback_list, name="feedback"),
    path("<int:task_id>/", tasks.task_detail, name="detail"),
    path("<int:task_id>/attachments/<uuid:attachment_id>/", tasks.task_attachment,
         name="attachment"),
    path("<int:task_id>/decision/", tasks.task_decision, name="decision"),
    path("<int:task_id>/<slug:action>/", tasks.task_action, name="action"),
]
