"""Helpers for the pages: one error summary for any mix of forms and formsets."""

from django.forms import BaseFormSet, Form


def error_items(*forms_or_formsets) -> list[dict]:
    """Every error as {id, label, message}, in page order, for the summary at the top."""
    items: list[dict] = []
    for thing in forms_or_formsets:
        if isinstance(thing, BaseFormSet):
            if thing.is_bound and thing._non_form_errors:
                items += [{"id": "", "label": "", "message": m} for m in thing._non_form_errors]
            items += error_items(*thing.forms)
            continue
        if not isinstance(thing, Form) or not thing._errors:
            continue
        for name, messages in thing._errors.items():
            if name == "__all__":
                items += [{"id": "", "label": "", "message": m} for m in messages]
                continue
            bound = thing[name]
            for message in messages:
                items.append({"id": bound.id_for_label, "label": bound.label, "message": message})
    return items
