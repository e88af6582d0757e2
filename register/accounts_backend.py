"""Who is signed in, read once per request with what every page needs of them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, OuterRef, Subquery

from register.models import RoleGrant


class _Joined(Aggregate):
    """The values joined by commas (no role code holds one): PostgreSQL's STRING_AGG,
    SQLite's GROUP_CONCAT."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _role_codes():
    return Subquery(RoleGrant.objects.filter(user=OuterRef("pk")).order_by()
                    .values("user").annotate(codes=_Joined("role")).values("codes"))


class AccountBackend(ModelBackend):
    """Django's model backend, reading the user's organisation and roles in the same query as
    the user: every page asks the roles and every audited page names the organisation, which
    cost two queries more on every page (issue 21)."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = (model._default_manager.select_related("organisation")
                    .annotate(role_list=_role_codes()).get(pk=user_id))
        except model.DoesNotExist:
            return None
        user._role_codes = frozenset(filter(None, (user.role_list or "").split(",")))
        return user if self.user_can_authenticate(user) else None
