"""Helpers for the pages: one error summary for any mix of forms and formsets, the date
widget, the year parameter, pages of a list, errors from a service onto a form, and file
downloads."""

from django import forms
from django.core.paginator import Page, Paginator
from django.forms import BaseFormSet, Form
from django.http import FileResponse
from django.utils import timezone


class DateInput(forms.DateInput):
    """The browser's own date picker, with the ISO value it needs."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def year_param(request) -> int:
    """?year=2026, kept within sensible bounds; this year when absent or not a number."""
    try:
        return max(2000, min(2100, int(request.GET.get("year", ""))))
    except ValueError:
        return timezone.localdate().year


PAGE_SIZES = (10, 25, 50, 100, 200)


def page_of(request, items, *, per_page: int = 25) -> Page:
    """One page of a list; ?per_page= picks another of PAGE_SIZES (a long inbox on a large
    screen). The page's `size_query` keeps a chosen size in the page links."""
    try:
        chosen = int(request.GET.get("per_page", ""))
    except ValueError:
        chosen = per_page
    size = chosen if chosen in PAGE_SIZES else per_page
    page = Paginator(items, size).get_page(request.GET.get("page"))
    page.size_query = f"per_page={size}&" if size != per_page else ""
    return page


def add_service_errors(form, error) -> None:
    """A service's ValidationError shown at the form's fields (or above them)."""
    for name, problems in getattr(error, "message_dict", {"__all__": error.messages}).items():
        form.add_error(name if name in form.fields else None, problems)


def file_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download, never shown inline, sandboxed if a browser opens it."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
