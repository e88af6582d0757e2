"""B1: the login baseline. A trivial authenticated view served with the register's own
settings and every middleware (session, account, one-time-code device, roles, CSP, ...),
asked with the same session as the measured pages: the table shows what being logged in
costs (B1 against B0) and what each page adds to it (the page against B1).

Served only by the benchmark (bench.settings_b1); the register's own URLs are not changed.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from register.urls import urlpatterns as register_urlpatterns


@login_required
def logged_in(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/b1/", logged_in), *register_urlpatterns]
