"""Rules a signal must meet, shared by the web form and the API serializer.

Each check returns {field: message}; the form and the serializer attach the messages to their
own fields, so the web and the API refuse the same things with the same words.
"""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,25}$")
OLDEST_SIGNAL = dt.date(2000, 1, 1)
OLDEST_BIRTH = dt.date(1900, 1, 1)


def today() -> dt.date:
    return timezone.localdate()


def check_observed_on(value: dt.date | None) -> str | None:
    if value is None:
        return None
    if value > today():
        return _("The date of the signal cannot be in the future.")
    if value < OLDEST_SIGNAL:
        return _("The date of the signal must be in the year 2000 or later.")
    return None


def check_phone(value: str) -> str | None:
    if value and (not PHONE_PATTERN.match(value) or sum(c.isdigit() for c in value) < 6):
        return _("Enter a phone number of digits, for example +599 717 8000.")
    return None


def check_group_size(group_size: int | None, named: int) -> str | None:
    """A group counts everyone in it, so never fewer than the persons the signal names."""
    if group_size is not None and group_size < named:
        return _("The group cannot be smaller than the %(count)s persons named in the signal.") \
            % {"count": named}
    return None


def check_person(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not any((data.get(f) or "").strip() for f in ("family_name", "given_names", "alias")) \
            and not (data.get("notes") or "").strip():
        errors["family_name"] = _(
            "Give a name or alias, or describe the person under notes if the name is unknown."
        )
    born = data.get("date_of_birth")
    if born is not None:
        if born > today():
            errors["date_of_birth"] = _("The date of birth cannot be in the future.")
        elif born < OLDEST_BIRTH:
            errors["date_of_birth"] = _("The date of birth must be in 1900 or later.")
    age = data.get("estimated_age")
    if age is not None and not 0 <= age <= 120:
        errors["estimated_age"] = _("The estimated age must be between 0 and 120.")
    if born is not None and age is not None and "date_of_birth" not in errors:
        actual = (today() - born).days // 365
        if abs(actual - age) > 5:
            errors["estimated_age"] = _(
                "The estimated age does not fit the date of birth; give one of the two."
            )
    if data.get("document_number") and not data.get("document_type"):
        errors["document_type"] = _("Choose the kind of document for this number.")
    phone_error = check_phone(data.get("phone") or "")
    if phone_error:
        errors["phone"] = phone_error
    return errors


def check_vehicle(data: dict) -> dict[str, str]:
    if not (data.get("name") or "").strip() and not (data.get("registration") or "").strip() \
            and not (data.get("description") or "").strip():
        return {"name": _("Give a name, a registration or a description.")}
    return {}
