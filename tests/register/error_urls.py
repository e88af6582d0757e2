"""The register's URLs plus one that fails, to see the 500 page as a visitor would."""

from django.urls import path

from register.urls import urlpatterns as register_urlpatterns


def fails(request):
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("fails/", fails), *register_urlpatterns]
