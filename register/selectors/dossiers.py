"""Who sees which dossiers and persons. Pages and API use these same functions; the filter
runs in the database, never by looping over objects and asking has_perm."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from register.models import (
    Dossier,
    DossierPerson,
    DossierUserObjectPermission,
    Person,
    PersonIdentifier,
    Role,
    User,
)

VIEW_DOSSIER = "view_dossier"


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Analysts see every dossier that is not restricted, and restricted ones granted to them."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)):
        return Dossier.objects.none()
    granted = DossierUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=VIEW_DOSSIER)
    return Dossier.objects.filter(merged_into__isnull=True).filter(
        Q(restricted=False) | Exists(granted))


def hidden_dossier_ids(user: User) -> QuerySet:
    """Restricted dossiers this user may not see: their signals and persons are hidden too."""
    granted = DossierUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=VIEW_DOSSIER)
    return Dossier.objects.filter(restricted=True).exclude(Exists(granted)).values("pk")


def _mentions():
    # The mentions live in the signals app; reached through the relation, not an import.
    return Person._meta.get_field("mentions").related_model.objects


def hidden_mention_ids(user: User) -> QuerySet:
    """Mentions in signals of dossiers hidden from this user."""
    return _mentions().filter(signal__dossier__in=hidden_dossier_ids(user)).values("pk")


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Analysts see register persons, except those known only from dossiers hidden from them
    (through a mention there, or a role there once its mentions moved on)."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)):
        return Person.objects.none()
    hidden = hidden_dossier_ids(user)
    mentions = _mentions().filter(person=OuterRef("pk"))
    visible_mentions = mentions.exclude(signal__dossier__in=hidden)
    hidden_roles = DossierPerson.objects.filter(person=OuterRef("pk"), dossier__in=hidden)
    return Person.objects.filter(merged_into__isnull=True).filter(
        Exists(visible_mentions) | (~Exists(mentions) & ~Exists(hidden_roles)))


def identifiers_visible_to(user: User) -> QuerySet[PersonIdentifier]:
    """The ways to find a person that this user may use: not those from hidden mentions."""
    return PersonIdentifier.objects.exclude(mention_id__in=hidden_mention_ids(user))


def restricted_to(dossier: Dossier) -> QuerySet[User]:
    """The analysts a restricted dossier is open to."""
    return User.objects.filter(
        dossieruserobjectpermission__content_object=dossier,
        dossieruserobjectpermission__permission__codename=VIEW_DOSSIER,
    ).select_related("organisation").distinct()
