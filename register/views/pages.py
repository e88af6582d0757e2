from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from register.services.notifications import notifications_read
from register.two_factor import confirmed_device


@login_required
def home(request):
    return render(request, "register/home.html",
                  {"has_authenticator": confirmed_device(request.user) is not None})


@never_cache
def healthz(request):
    """For the container healthcheck: the app answers and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def notification_list(request):
    notifications = list(request.user.notifications.all()[:100])
    notifications_read(user=request.user)
    return render(request, "register/notifications.html", {"notifications": notifications})
