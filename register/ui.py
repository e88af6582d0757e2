"""Helpers for the pages: one error summary for any mix of forms and formsets, the date
widget, the year parameter, pages of a list, errors from a service onto a form, file
downloads, and whether a link may be shown."""

from functools import cache, cached_property
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseFormSet, BoundField, Form
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import DjangoTemplates
from django.http import FileResponse
from django.template.defaultfilters import stringformat
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _


class RequiredMarkedBoundField(BoundField):
    """A control the form requires says so to assistive technology (aria-required), next to
    the native `required` Django sets; forms keep `novalidate`, so the server's messages are
    what a person reads. Radio buttons take no aria-required (not allowed on role radio):
    their native `required` is announced."""

    @property
    def is_first_required(self) -> bool:
        """The first required field of its form carries, above it, the line that explains
        the marker, so every form that has one explains it, whatever template draws it."""
        form = self.form
        if not form.use_required_attribute or "__prefix__" in (form.prefix or ""):
            return False
        first = next((name for name, field in form.fields.items()
                      if field.required and not field.widget.is_hidden), None)
        return first == self.name

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if attrs.get("required") and not isinstance(widget, forms.RadioSelect):
            attrs["aria-required"] = "true"
        return attrs


SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _shown(value) -> str:
    """`{{ value }}` in a template: localised, text, escaped unless marked safe."""
    value = localize(value)
    return conditional_escape(value if issubclass(type(value), str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, so it is not
    escaped; anything else is."""
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join("" if value is False else f" {_shown(name)}" if value is True
                   else f' {_shown(name)}="{_formatted(value)}"'
                   for name, value in attrs.items())


def select_html(widget: dict) -> str:
    """templates/partials/forms/django/forms/widgets/select.html, character for character,
    written out in Python: the template engine spent more on a filter bar's few hundred
    options than on everything else in the form (bench/, issue 21). Tested against the
    template (tests/register/test_select_rendering.py)."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        parts += [f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                  f'{_shown(option["label"])}</option>\n' for option in group_choices]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips what a template leaves after it
    return "".join(parts)


FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"


def label_html(context: dict) -> str:
    """templates/partials/forms/django/forms/label.html (a label or legend with the visible
    required marker), character for character, written out in Python."""
    label = _shown(context["label"])
    if not context["use_tag"]:
        return label.strip()  # as the renderer strips a template's output
    field, tag = context["field"], _shown(context["tag"])
    marker = ('<span class="required-marker" aria-hidden="true"> *</span>'
              if field.field.required and field.form.use_required_attribute else "")
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}{marker}</{tag}>".strip()


def field_html(field: BoundField) -> str:
    """templates/partials/forms/django/forms/field.html (the required legend, label or
    fieldset with legend, help text, errors and widget of one field), character for
    character, written out in Python: a form's field groups cost more in the template
    engine than the rest of a worklist page (bench/, issue 21). The widget itself is still
    drawn by its own template. Tested against the template
    (tests/register/test_form_rendering.py)."""
    parts = []
    if field.is_first_required:
        parts.append(f'<p class="required-legend">{_shown(_("Fields marked * are required."))}'
                     "</p>")
    if field.use_fieldset:
        described = (f' aria-describedby="{_shown(field.aria_describedby)}"'
                     if field.aria_describedby else "")
        parts.append(f"\n\n  <fieldset{described}>\n  "
                     f"{field.legend_tag() if field.label else ''}\n")
    else:
        parts.append(f"\n\n  {field.label_tag() if field.label else ''}\n")
    parts.append("\n")
    if field.help_text:
        helptext_id = f' id="{_shown(field.auto_id)}_helptext"' if field.auto_id else ""
        parts.append(f'<div class="helptext"{helptext_id}>{field.help_text}</div>')
    parts.append(f"\n{field.errors}\n{field}{'</fieldset>' if field.use_fieldset else ''}")
    return "".join(parts).strip()  # as the renderer strips a template's output


class FormRenderer(DjangoTemplates):
    """Django's form templates, with templates/partials/forms/django/forms/ taking precedence:
    the label template there puts the visible required marker (*) on every required field's
    label or legend, on every form of every app. A select, a field group and a label are
    written out in Python (select_html, field_html, label_html), the same markup as their
    templates."""

    bound_field_class = RequiredMarkedBoundField

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return select_html(context["widget"])
        if template_name == FIELD_TEMPLATE:
            return field_html(context["field"])
        if template_name == LABEL_TEMPLATE:
            return label_html(context)
        return super().render(template_name, context, request)

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True,
            "DIRS": [settings.BASE_DIR / "templates" / "partials" / "forms",
                     Path(forms.__file__).parent / self.backend.app_dirname],
            "NAME": "registerforms",
            "OPTIONS": {},
        })


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


@cache
def _required_roles(url_name: str) -> tuple | None:
    """The roles the view behind a route asks for (role_required or a DRF view's
    required_roles); None when any logged-in user may open it."""
    view = resolve(reverse(url_name)).func
    roles = getattr(view, "required_roles", None)
    for cls in (getattr(view, "view_class", None), getattr(view, "cls", None)):
        if roles is None and cls is not None:
            roles = getattr(cls, "required_roles", None)
    return tuple(roles) if roles is not None else None


def may_open(user, url_name: str) -> bool:
    """Whether a link to the route (one without arguments) may be shown to the user: asked of
    the view's own role check, so a menu or a button never shows what would answer 403."""
    if user is None or not user.is_authenticated:
        return False
    roles = _required_roles(url_name)
    return roles is None or user.has_role(*roles)


def list_query(request, *drop: str) -> str:
    """The list's query string without its page (and whatever else is named), for the links
    that page or sort through the same filtered list."""
    query = request.GET.copy()
    for name in ("page", "per_page", *drop):
        query.pop(name, None)
    return query.urlencode()


def kept(request, *names: str) -> list[tuple[str, str]]:
    """Parameters of the list that its filter form sends again unchanged (the view, the page
    size), as hidden fields."""
    return [(name, request.GET[name]) for name in names if name in request.GET]


def sort_headers(request, columns) -> list[dict]:
    """Column headers that sort the list: (key, label) pairs, key None for a column that does
    not sort. Each links to the list sorted by it, the second time the other way round, with
    the filters kept; `sort` is the current direction for aria-sort."""
    current = request.GET.get("ordering", "")
    headers = []
    for key, label in columns:
        if key is None:
            headers.append({"label": label})
            continue
        query = request.GET.copy()
        query.pop("page", None)
        query["ordering"] = f"-{key}" if current == key else key
        sort = {key: "ascending", f"-{key}": "descending"}.get(current)
        headers.append({"label": label, "url": f"?{query.urlencode()}", "sort": sort})
    return headers


def classification() -> str:
    """The marking on every report and export: as configured, else the translated default."""
    return settings.REPORT_CLASSIFICATION or _("Departmentally confidential")


def spreadsheet_safe(value) -> str:
    """A cell that starts like a formula is written as text, so a spreadsheet never runs it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _ListedIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)


class ListedChoiceField(forms.ModelChoiceField):
    """A choice from a short list (organisations, analysts) read once per form, for its options
    and for checking the value chosen alike: a filter on it costs no query of its own, so a list
    makes the same queries whatever is filtered (and no server-side cursor for the options)."""

    iterator = _ListedIterator

    def rows(self) -> list:
        if getattr(self, "_rows", None) is None:
            self._rows = list(self.queryset)
        return self._rows

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        for obj in self.rows():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": value})
