"""Who may do what, by role. Object visibility lives in the selectors of each app."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from register.models import Role

INTAKE_ROLES = (Role.REPORTER, Role.ANALYST)


def role_required(*roles: str):
    """Anonymous visitors are sent to the login page; users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


# Casework (triage, dossiers, persons, search) is for analysts only.
analyst_only = role_required(Role.ANALYST)
