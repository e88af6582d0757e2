"""The coordinator's grouping of reporting organisations into the estimate's lists."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from register.models import Organisation, User
from register.services.audit import audit_record
from reporting.models import EstimateList


def configured_lists() -> dict[str, str]:
    """Organisation code -> list name, for the organisations the coordinator grouped."""
    return dict(EstimateList.objects.values_list("organisation__code", "name"))


def estimate_lists_set(*, actor: User, names: dict[str, str]) -> list[str]:
    """Set each organisation's list (by code; blank: a list of its own) and audit which
    organisations changed (their codes: list names are free text, kept out of the trail)."""
    current = configured_lists()
    changed = sorted(code for code, name in names.items() if current.get(code, "") != name)
    if not changed:
        return []
    with transaction.atomic():
        organisations = {o.code: o for o in Organisation.objects.filter(code__in=changed)}
        for code in changed:
            if names[code]:
                EstimateList.objects.update_or_create(organisation=organisations[code],
                                                      defaults={"name": names[code]})
            else:
                EstimateList.objects.filter(organisation=organisations[code]).delete()
        audit_record(actor=actor, action="reporting.estimate_lists.changed",
                     object_type="reporting.estimatelist", detail={"organisations": changed})
    return changed


class EstimateListsForm(forms.Form):
    """One field per organisation: the name of the list its signals count on."""

    def __init__(self, *args, organisations, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = []
        for organisation in organisations:
            self.fields[organisation.code] = forms.CharField(
                label=organisation.name, required=False, max_length=40,
                initial=current.get(organisation.code, ""),
                help_text=_("Blank: a list of its own."))
            self.codes.append(organisation.code)

    def clean(self):
        data = super().clean()
        return {code: (data.get(code) or "").strip() for code in self.codes}
