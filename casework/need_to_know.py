"""Who sees which dossiers and persons. Pages and API use these same functions; the filter
runs in the database, never by looping over objects and asking has_perm."""

from functools import cache

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import BooleanField, Exists, Expression, F, OuterRef, Q, QuerySet

from casework.models import PersonIdentifier
from register.models import (
    Dossier,
    DossierPerson,
    DossierUserObjectPermission,
    Person,
    Role,
    User,
)

VIEW_DOSSIER = "view_dossier"


def _granted(user: User, dossier) -> QuerySet:
    return DossierUserObjectPermission.objects.filter(
        content_object=dossier, user=user, permission__codename=VIEW_DOSSIER)


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Analysts see every dossier that is not restricted, and restricted ones granted to them."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)):
        return Dossier.objects.none()
    return Dossier.objects.filter(merged_into__isnull=True).filter(
        Q(restricted=False) | Exists(_granted(user, OuterRef("pk"))))


# Need to know is asked row by row: "is this row's dossier restricted and not granted to the
# user?", never "is it outside the set of all dossiers hidden from the user". A page looks at
# a few hundred rows; that set grows with the register and was built again for every query.
# Asked as a correlated EXISTS on the few restricted dossiers (a partial index), it needs no
# join to the dossiers at all for rows without one.

@cache
def _hidden_dossier_sql() -> str:
    """EXISTS (the dossier whose id stands at {dossier} is restricted and not granted to the
    user %s), in the tables' own names; {dossier} is the asking row's column."""
    quote = connection.ops.quote_name  # the same quotes on PostgreSQL and SQLite
    dossier, granted = Dossier._meta, DossierUserObjectPermission._meta
    permission = Permission._meta

    def column(model, name):
        return quote(model.get_field(name).column)

    return (
        f"EXISTS(SELECT 1 FROM {quote(dossier.db_table)} ntk_d "  # noqa: S608 - names only
        f"WHERE ntk_d.{column(dossier, 'id')} = {{dossier}} "
        f"AND ntk_d.{column(dossier, 'restricted')} "
        f"AND NOT EXISTS(SELECT 1 FROM {quote(granted.db_table)} ntk_g "
        f"INNER JOIN {quote(permission.db_table)} ntk_p "
        f"ON ntk_p.{column(permission, 'id')} = ntk_g.{column(granted, 'permission')} "
        f"WHERE ntk_g.{column(granted, 'content_object')} = ntk_d.{column(dossier, 'id')} "
        f"AND ntk_g.{column(granted, 'user')} = %s "
        f"AND ntk_p.{column(permission, 'codename')} = %s))")


class HiddenDossierAt(Expression):
    """True where the dossier at `path` (a relation that may be empty) is restricted and not
    granted to the user. The same condition the ORM would build as a nested EXISTS, written
    once per database (the ORM built and compiled it anew for every use: a search asks it 16
    times, and that cost more CPU than running the queries, issue 21). Only the asking row's
    column is compiled each time."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, user: User, path: str):
        super().__init__()
        self.user_id = user.pk
        self.dossier = F(path)

    def get_source_expressions(self):
        return [self.dossier]

    def set_source_expressions(self, exprs):
        (self.dossier,) = exprs

    def as_sql(self, compiler, connection):
        dossier, params = compiler.compile(self.dossier)
        return (_hidden_dossier_sql().replace("{dossier}", dossier),
                (*params, self.user_id, VIEW_DOSSIER))


def through_visible_dossier(user: User, path: str):
    """Rows whose dossier at `path` (a relation that may be empty) the user may see."""
    return ~HiddenDossierAt(user, path)


def through_hidden_dossier(user: User, path: str) -> HiddenDossierAt:
    """Rows whose dossier at `path` is restricted and not granted to the user."""
    return HiddenDossierAt(user, path)


def _mentions():
    # The mentions live in the signals app; reached through the relation, not an import.
    return Person._meta.get_field("mentions").related_model.objects


def sees_persons(user: User) -> bool:
    """Whether this user sees register persons at all (which ones: persons_visible_to)."""
    return user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Analysts see register persons, except those known only from dossiers hidden from them
    (through a mention there, or a role there once its mentions moved on)."""
    if not sees_persons(user):
        return Person.objects.none()
    mentions = _mentions().filter(person=OuterRef("pk"))
    visible_mentions = mentions.filter(through_visible_dossier(user, "signal__dossier"))
    hidden_roles = DossierPerson.objects.filter(person=OuterRef("pk")).filter(
        through_hidden_dossier(user, "dossier"))
    return Person.objects.filter(merged_into__isnull=True).filter(
        Exists(visible_mentions) | (~Exists(mentions) & ~Exists(hidden_roles)))


# Matching writes its lookups out as SQL (casework.match_lookup) and checks need to know in
# each lookup, row by row. The dossiers hidden from the user are listed once at the head of
# the query (few: restriction is the exception); each row then looks its mention's dossier up
# with a scalar subquery. Written as EXISTS, PostgreSQL pulled each check up into a join of
# four tables and planning a lookup of twenty parts took 25 ms, longer than running it.
HIDDEN_DOSSIERS = "ntk_hidden_dossier"


def hidden_dossiers_head(user: User) -> tuple[str, list]:
    """`ntk_hidden_dossier (id) AS (...)`, the dossiers hidden from this user, for a WITH."""
    quote = connection.ops.quote_name
    dossier = Dossier._meta
    restricted, pk = quote(dossier.get_field("restricted").column), quote(dossier.pk.column)
    sql = (f"{HIDDEN_DOSSIERS} (id) AS (SELECT ntk_h.{pk} "  # noqa: S608 - names only
           f"FROM {quote(dossier.db_table)} ntk_h WHERE ntk_h.{restricted} AND "
           + _hidden_dossier_sql().replace("{dossier}", f"ntk_h.{pk}") + ")")
    return sql, [user.pk, VIEW_DOSSIER]


def mention_hidden_sql(mention: str) -> str:
    """True where the mention whose id stands at `mention` (a column in SQL) sits in a
    dossier of `hidden_dossiers_head`, which the query must carry; NULL where it sits in no
    dossier."""
    quote = connection.ops.quote_name
    mention_meta = _mentions().model._meta
    signal = mention_meta.get_field("signal")
    signal_meta = signal.related_model._meta
    dossier_column = quote(signal_meta.get_field("dossier").column)
    return (f"(SELECT ntk_s.{dossier_column} "  # noqa: S608 - names only
            f"FROM {quote(mention_meta.db_table)} ntk_m "
            f"INNER JOIN {quote(signal_meta.db_table)} ntk_s "
            f"ON ntk_s.{quote(signal_meta.pk.column)} = ntk_m.{quote(signal.column)} "
            f"WHERE ntk_m.{quote(mention_meta.pk.column)} = {mention}) "
            f"IN (SELECT id FROM {HIDDEN_DOSSIERS})")


def mention_hidden_from(user: User, mention: OuterRef) -> Exists:
    """True where the mention `mention` points at sits in a dossier hidden from this user."""
    return Exists(_mentions().filter(pk=mention).filter(
        through_hidden_dossier(user, "signal__dossier")))


def hidden_mentions(user: User, mention_ids: set[int]) -> set[int]:
    """Those of these mentions that sit in a dossier hidden from this user."""
    if not mention_ids:
        return set()
    return set(_mentions().filter(pk__in=mention_ids).filter(
        through_hidden_dossier(user, "signal__dossier")).values_list("pk", flat=True))


def identifiers_visible_to(user: User) -> QuerySet[PersonIdentifier]:
    """The ways to find a person that this user may use: not those from hidden mentions."""
    return PersonIdentifier.objects.exclude(mention_hidden_from(user, OuterRef("mention_id")))


def restricted_to(dossier: Dossier) -> QuerySet[User]:
    """The analysts a restricted dossier is open to."""
    return User.objects.filter(
        dossieruserobjectpermission__content_object=dossier,
        dossieruserobjectpermission__permission__codename=VIEW_DOSSIER,
    ).select_related("organisation").distinct()
