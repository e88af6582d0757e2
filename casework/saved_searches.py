"""Saved searches: kept, shared and removed by their owner; run by anyone they are shared
with, each seeing only what need to know lets them see. The audit trail records which saved
search was touched, never its words (they may be a name)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from casework.models import SavedSearch
from register.models import Role, User
from register.services.audit import audit_record

PER_USER = 50


def saved_searches_for(user: User) -> QuerySet[SavedSearch]:
    """An analyst's own saved searches and those shared with her."""
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ANALYST)):
        return SavedSearch.objects.none()
    return (SavedSearch.objects.filter(Q(owner=user) | Q(shared_with=user))
            .select_related("owner").distinct())


def saved_search_create(*, actor: User, name: str, query: str) -> SavedSearch:
    if SavedSearch.objects.filter(owner=actor).count() >= PER_USER:
        raise ValidationError({"name": _("You have %(count)d saved searches; remove one "
                                         "first.") % {"count": PER_USER}})
    with transaction.atomic():
        search = SavedSearch.objects.create(owner=actor, name=name, query=query)
        audit_record(actor=actor, action="register.search.saved", obj=search)
    return search


def _owned(actor: User, search: SavedSearch) -> None:
    if search.owner_id != actor.pk:
        raise PermissionDenied


def saved_search_share(*, actor: User, search: SavedSearch, analysts) -> None:
    _owned(actor, search)
    analysts = [user for user in analysts if user.pk != actor.pk]
    if any(not user.has_role(Role.ANALYST) for user in analysts):
        raise ValidationError({"analysts": _("A search can be shared with analysts only.")})
    with transaction.atomic():
        search.shared_with.set(analysts)
        audit_record(actor=actor, action="register.search.shared", obj=search,
                     detail={"analysts": sorted(user.pk for user in analysts)})


def saved_search_delete(*, actor: User, search: SavedSearch) -> None:
    _owned(actor, search)
    with transaction.atomic():
        audit_record(actor=actor, action="register.search.removed", obj=search)
        search.delete()
