"""Sensitive actions (exports, permission changes) ask for the password again after a while."""

import time
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from register.middleware import SESSION_CONFIRMED


def recently_authenticated(request) -> bool:
    confirmed = request.session.get(SESSION_CONFIRMED, 0)
    return time.time() - confirmed <= settings.REAUTH_SECONDS


def recent_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    wrapped.requires_recent_login = True
    return wrapped
