"""Who sees which dossiers and persons. Pages and API use these same functions; the filter
runs in the database, never by looping over objects and asking has_perm."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from register.models import Dossier, DossierUserObjectPermission, Person, Role, User

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


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Analysts see register persons, except those known only from dossiers hidden from them."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)):
        return Person.objects.none()
    # The mentions live in the signals app; reached through the relation, not an import.
    mention = Person._meta.get_field("mentions").related_model
    mentions = mention.objects.filter(person=OuterRef("pk"))
    visible_mentions = mentions.exclude(signal__dossier__in=hidden_dossier_ids(user))
    return Person.objects.filter(merged_into__isnull=True).filter(
        ~Exists(mentions) | Exists(visible_mentions))


def restricted_to(dossier: Dossier) -> QuerySet[User]:
    """The analysts a restricted dossier is open to."""
    return User.objects.filter(
        dossieruserobjectpermission__content_object=dossier,
        dossieruserobjectpermission__permission__codename=VIEW_DOSSIER,
    ).select_related("organisation").distinct()
