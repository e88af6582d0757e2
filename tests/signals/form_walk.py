"""Every form, formset row and serializer of the apps, found by importing their modules."""

import importlib
import pkgutil
from collections.abc import Iterator

from django import forms
from rest_framework import serializers

APPS = ("register", "signals", "casework", "controls", "reporting")
SKIPPED = (".migrations", ".management", ".tests")


def import_app_modules() -> None:
    """Import every module of the apps, so that every form class is a known subclass."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in SKIPPED):
                importlib.import_module(module.name)


def _below(cls) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _below(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in APPS


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def form_classes() -> list[type[forms.BaseForm]]:
    import_app_modules()
    return sorted({cls for cls in _below(forms.BaseForm) if _ours(cls)}, key=_name)


def formset_classes() -> list[tuple[str, type[forms.BaseFormSet]]]:
    """Formsets made by formset_factory are module attributes, not named subclasses."""
    import_app_modules()
    found = {}
    for app in APPS:
        for module_name, module in list(importlib.sys.modules.items()):
            if module_name.split(".")[0] != app:
                continue
            for attribute, value in vars(module).items():
                if (isinstance(value, type) and issubclass(value, forms.BaseFormSet)
                        and hasattr(value, "form") and _ours(value.form)):
                    found[f"{module_name}.{attribute}"] = value
    return sorted(found.items())


def serializer_classes() -> list[type[serializers.BaseSerializer]]:
    import_app_modules()
    return sorted({cls for cls in _below(serializers.BaseSerializer) if _ours(cls)
                   and not issubclass(cls, serializers.ListSerializer)}, key=_name)


def form_fields() -> Iterator[tuple[str, forms.Field]]:
    """(where, field) for every field of every form class and formset row form."""
    for cls in form_classes():
        for name, field in cls.base_fields.items():
            yield f"{_name(cls)}.{name}", field
    for where, formset_class in formset_classes():
        row = formset_class(prefix="row").empty_form  # with the fields the formset adds
        for name, field in row.fields.items():
            yield f"{where}.form.{name}", field


def serializer_fields() -> Iterator[tuple[str, serializers.Field]]:
    for cls in serializer_classes():
        try:
            fields = cls().fields
        except Exception:  # a serializer that needs a context: its declared fields
            fields = cls._declared_fields
        for name, field in fields.items():
            yield f"{_name(cls)}.{name}", field


CHOICE_FORM_FIELDS = (forms.ChoiceField, forms.ModelChoiceField)
CHOICE_SERIALIZER_FIELDS = (serializers.ChoiceField, serializers.RelatedField,
                            serializers.ManyRelatedField)


def choice_fields() -> Iterator[tuple[str, forms.Field]]:
    """Every choice field of a form or formset row (Typed-, Multiple- and ModelChoiceField
    are ChoiceField or ModelChoiceField subclasses)."""
    for where, field in form_fields():
        if isinstance(field, CHOICE_FORM_FIELDS):
            yield where, field


def choice_serializer_fields() -> Iterator[tuple[str, serializers.Field]]:
    for where, field in serializer_fields():
        if isinstance(field, CHOICE_SERIALIZER_FIELDS):
            yield where, field
