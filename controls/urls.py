from django.urls import path

from controls import views

app_name = "controls"
urlpatterns = [
    path("", views.control_overview, name="overview"),
    path("new/", views.control_new, name="new"),
    path("targets/", views.control_targets, name="targets"),
    path("<int:control_id>/", views.control_detail, name="detail"),
    path("<int:control_id>/signal/", views.control_raise_signal, name="raise_signal"),
    path("<int:control_id>/reports/<uuid:report_id>/", views.control_report, name="report"),
    path("<int:control_id>/<slug:action>/", views.control_action, name="action"),
]
