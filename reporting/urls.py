from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("trends/", views.trends, name="trends"),
    path("drill/<str:figure>/", views.drill, name="drill"),
    path("crime-picture/", views.crime_picture_page, name="crime_picture"),
    path("kingdom/", views.kingdom, name="kingdom"),
    path("disclosures/", views.disclosures, name="disclosures"),
    path("schedules/", views.schedules, name="schedules"),
    path("estimate-lists/", views.estimate_lists, name="estimate_lists"),
    path("exchange/<int:year>.<str:extension>", views.exchange, name="exchange"),
    path("rows/", views.archive_rows, name="archive_rows"),
    path("dossiers/<str:number>.pdf", views.dossier_summary, name="dossier_summary"),
    path("dossiers/<str:number>/share-<int:share_id>.pdf", views.share_summary,
         name="share_summary"),
    path("<uuid:report_id>/", views.download, name="download"),
    path("<uuid:report_id>/review/", views.review, name="review"),
    path("<uuid:report_id>/<str:action>/", views.report_action, name="report_action"),
]
