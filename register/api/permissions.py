from rest_framework.permissions import BasePermission


class HasRegisterRole(BasePermission):
    """Deny by default: an authenticated user holding one of the view's `required_roles`.

    A view that sets no `required_roles` is open to no one, so a new endpoint cannot be
    exposed by forgetting to declare who may use it.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        roles = getattr(view, "required_roles", ())
        return bool(roles) and user.has_role(*roles)

