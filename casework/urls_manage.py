"""The register manager's pages of casework, under /manage/ with the other manager pages."""

from django.urls import path

from casework.views import restrictions

urlpatterns = [
    path("restrictions/", restrictions.restriction_list, name="manage_restrictions"),
    path("restrictions/set/", restrictions.restriction_set, name="manage_restriction_set"),
]
