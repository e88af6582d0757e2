from django.contrib import admin
from django.urls import include, path

from register.api.audit import AuditEventList
from register.api.docs import docs_view, schema_view
from register.views import (
    audit,
    auth,
    disclosures,
    manage,
    notification_settings,
    pages,
    privacy,
    two_factor,
)

api_v1 = [
    path("audit-events/", AuditEventList.as_view(), name="api_audit_events"),
    path("", include("casework.api.urls")),
    path("", include("controls.api")),
]

accounts = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("confirm/", auth.reauthenticate, name="reauthenticate"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/set/<uidb64>/<token>/", auth.PasswordSetView.as_view(), name="password_set"),
]

manage_urls = [
    path("users/", manage.user_list, name="manage_users"),
    path("users/new/", manage.user_create, name="manage_user_new"),
    path("users/<int:user_id>/", manage.user_edit, name="manage_user"),
    path("users/<int:user_id>/<slug:action>/", manage.user_action, name="manage_user_action"),
    path("organisations/", manage.organisation_list, name="manage_organisations"),
    path("organisations/<slug:code>/two-factor/", manage.organisation_two_factor,
         name="manage_organisation_two_factor"),
    path("", include("casework.urls_manage")),
    path("approvals/", manage.approval_list, name="manage_approvals"),
    path("approvals/<int:approval_id>/<slug:decision>/", manage.approval_decide,
         name="manage_approval_decide"),
    path("requests/", privacy.request_list, name="manage_requests"),
    path("requests/new/", privacy.request_create, name="manage_request_new"),
    path("requests/<int:request_id>/", privacy.request_detail, name="manage_request"),
    path("retention/", privacy.retention_list, name="manage_retention"),
    path("retention/<int:review_id>/", privacy.retention_detail,
         name="manage_retention_review"),
    path("retention/<int:review_id>/decide/", privacy.retention_decide,
         name="manage_retention_decide"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz/", pages.healthz, name="healthz"),
    path("notifications/", pages.notification_list, name="notifications"),
    path("notifications/settings/", notification_settings.notification_settings,
         name="notification_settings"),
    path("accounts/", include(accounts)),
    path("manage/", include(manage_urls)),
    path("audit/", audit.audit_event_list, name="audit_events"),
    path("audit/export/", audit.audit_event_export, name="audit_export"),
    path("audit/disclosures/", disclosures.disclosure_list, name="disclosures"),
    path("audit/disclosures/export/", disclosures.disclosure_export,
         name="disclosures_export"),
    path("audit/reading-alerts/", disclosures.reading_alert_list, name="reading_alerts"),
    path("audit/reading-alerts/<int:alert_id>/", disclosures.reading_alert_review_view,
         name="reading_alert_review"),
    path("i18n/setlang/", pages.language_choose, name="set_language"),
    path("signals/", include("casework.urls_signals")),
    path("register/", include("casework.urls")),
    path("tasks/", include("casework.urls_tasks")),
    path("controls/", include("controls.urls")),
    path("reports/", include("reporting.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", schema_view, name="schema"),
    path("api/docs/", docs_view, name="api-docs"),
    path("admin/", admin.site.urls),
]
