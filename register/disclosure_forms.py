"""The questions asked before personal data leaves the register: to whom, on what legal
ground, for what, and until when the recipient may keep it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register.models.disclosures import KingdomCountry, LegalGround
from register.ui import DateInput


class DisclosureForm(forms.Form):
    recipient_organisation = forms.CharField(
        label=gettext_lazy("Recipient organisation"), max_length=200,
        help_text=gettext_lazy("E.g. Openbaar Ministerie BES, or the case conference of "
                               "KPCN."))
    recipient_person = forms.CharField(
        label=gettext_lazy("Recipient (person or desk)"), max_length=200, required=False)
    legal_ground = forms.ChoiceField(label=gettext_lazy("Legal ground"),
                                     choices=[("", "-"), *LegalGround.choices])
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300)
    kept_until = forms.DateField(label=gettext_lazy("The recipient may keep it until"),
                                 widget=DateInput())

    def clean_kept_until(self):
        value = self.cleaned_data["kept_until"]
        if value < timezone.localdate():
            raise ValidationError(_("The date until which the data may be kept cannot be in "
                                    "the past."))
        return value

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "recipient_organisation", "recipient_person", "legal_ground", "purpose",
            "kept_until")}


class ShareRequestForm(DisclosureForm):
    """Sharing with another country of the Kingdom: "no, unless" there is a legal ground."""

    country = forms.ChoiceField(label=gettext_lazy("Country"),
                                choices=[("", "-"), *KingdomCountry.choices])
    field_order = ["country", "recipient_organisation", "recipient_person", "legal_ground",
                   "purpose", "kept_until"]

    def values(self) -> dict:
        return {**super().values(), "country": self.cleaned_data["country"]}
