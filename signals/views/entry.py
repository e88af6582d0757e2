"""Filing a signal on the web form: reporters for themselves, analysts for a paper signal."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from register.access import INTAKE_ROLES, role_required
from register.models import Role
from register.ui import error_items
from signals import rules
from signals.attachments import check_upload
from signals.forms import PART_FORMSETS, SignalEntryForm, row_count_problem
from signals.models import StagedUpload
from signals.services import (
    NewAttachment,
    SignalInput,
    signal_submit,
    staged_upload_discard,
    staged_upload_keep,
)
from signals.vocab import BORDER_ORGANISATIONS, Channel, ExploitationForm

ADD_ACTIONS = {f"add_{name}": name for name, _cls in PART_FORMSETS}


@role_required(*INTAKE_ROLES)
def signal_new(request):
    return signal_entry(request, paper=False)


@role_required(Role.ANALYST)
def signal_new_paper(request):
    return signal_entry(request, paper=True)


def signal_entry(request, *, paper: bool, submit=signal_submit, initial: dict | None = None,
                 context: dict | None = None):
    """The standard form, for any place a signal is filed from. `submit` files it (the
    intake's own service, or one that also links it, as a control does)."""
    user = request.user
    context = context or {}
    if request.method != "POST":
        start = {} if paper else {
            "reporter_name": user.display_name,
            "reporter_phone": user.phone,
            "reporter_email": user.email,
        }
        entry = SignalEntryForm(initial={**start, **(initial or {})}, paper=paper)
        formsets = {name: cls(prefix=name) for name, cls in PART_FORMSETS}
        return _render(request, entry, formsets, [], paper, context=context)

    if problem := row_count_problem(request.POST):
        # Before anything is built: the claimed count decides how many rows would be.
        return render(request, "signals/signal_form_refused.html", {"message": problem},
                      status=400)
    action = request.POST.get("action", "submit")
    data = request.POST.copy()
    adding = ADD_ACTIONS.get(action)
    full = False
    if adding:
        total = f"{adding}-TOTAL_FORMS"
        count, limit = _as_int(data.get(total)), dict(PART_FORMSETS)[adding].max_num
        full = count >= limit
        data[total] = str(min(count + 1, limit))
    entry = SignalEntryForm(data, request.FILES, paper=paper)
    formsets = {name: cls(data, prefix=name) for name, cls in PART_FORMSETS}
    token = _form_token(entry)
    if token and (discard := request.POST.getlist("discard_upload")):
        staged_upload_discard(actor=user, upload_ids=_valid_uuids(discard))
    staged = list(StagedUpload.objects.filter(owner=user, form_token=token)) if token else []

    if adding:
        # Adding a row is not a submission: keep everything, show no errors yet.
        for form in (entry, *[f for fs in formsets.values() for f in fs.forms]):
            form._errors = ErrorDict()
        entry.cleaned_data = {}  # not validated, but a kept file's error may still be added
        if full:
            formsets[adding].refuse_another_row()
        staged += _stage_valid_files(request, user, token, entry)
        return _render(request, entry, formsets, staged, paper, focus=adding, context=context)

    valid = entry.is_valid() & all([fs.is_valid() for fs in formsets.values()])
    if valid and (message := rules.check_group_size(entry.cleaned_data["group_size"],
                                                    len(formsets["persons"].filled()))):
        entry.add_error("group_size", message)
        valid = False
    if valid and len(staged) + len(entry.valid_files) > settings.ATTACHMENTS_PER_SIGNAL:
        entry.add_error("attachments", _("At most %(count)s attachments per signal.")
                        % {"count": settings.ATTACHMENTS_PER_SIGNAL})
        valid = False
    if not valid:
        staged += _stage_valid_files(request, user, token, entry)
        return _render(request, entry, formsets, staged, paper, context=context)

    cleaned = entry.cleaned_data
    signal, _created = submit(
        actor=user,
        channel=Channel.PAPER if paper else Channel.WEB,
        data=SignalInput(
            reporter_name=cleaned["reporter_name"],
            reporter_organisation=cleaned.get("reporter_organisation") or user.organisation,
            reporter_phone=cleaned["reporter_phone"],
            reporter_email=cleaned["reporter_email"],
            observed_on=cleaned["observed_on"],
            island=cleaned["island"],
            location=cleaned["location"],
            sector=cleaned["sector"],
            description=cleaned["description"],
            immediate_danger=cleaned["immediate_danger"],
            forms=cleaned["forms"],
            indicators=cleaned["indicators"],
            **{name: fs.filled() for name, fs in formsets.items()},
            border_place=cleaned["border_place"],
            border_position=cleaned["border_position"],
            departure_country=cleaned["departure_country"],
            transit_countries=cleaned["transit_countries"],
            group_size=cleaned["group_size"],
            border_outcome=cleaned["border_outcome"],
        ),
        attachments=[
            NewAttachment(name=upload.name, content_type=content_type, file=upload)
            for upload, content_type in entry.valid_files
        ],
        staged=staged,
        idempotency_key=f"web:{token}",
    )
    return redirect("signals:receipt", reference=signal.reference)


def _render(request, entry, formsets, staged, paper, focus=None, context=None):
    items = error_items(entry, *formsets.values())
    return render(
        request,
        "signals/signal_form.html",
        {
            "entry": entry,
            "formsets": formsets,
            "staged": staged,
            "paper": paper,
            "focus": focus,
            "error_items": items,
            "border_open": _border_open(request.user, entry),
            **(context or {}),
        },
    )


def _border_open(user, entry) -> bool:
    """The border section opens for the border organisations, for a signal of smuggling, and
    whenever it holds a value (or an error)."""
    if user.organisation.code in BORDER_ORGANISATIONS:
        return True
    if not entry.is_bound:
        return False
    border = ("border_place", "border_position", "departure_country", "transit_countries",
              "group_size", "border_outcome")
    return (ExploitationForm.SMUGGLING in entry.data.getlist("forms")
            or any(entry.data.get(name) for name in border)
            or any(name in entry.errors for name in border))


def _stage_valid_files(request, user, token, entry) -> list[StagedUpload]:
    """Keep the good files of a failed submission, so the user need not pick them again, as
    far as the user's quota for kept files allows; a file past it is named next to the field."""
    if not token:
        return []
    kept = []
    room = settings.ATTACHMENTS_PER_SIGNAL - StagedUpload.objects.filter(
        owner=user, form_token=token).count()
    for upload in request.FILES.getlist("attachments")[:max(room, 0)]:
        try:
            content_type = check_upload(upload)
        except ValidationError:  # a bad file is reported by the form, never kept
            continue
        try:
            kept.append(staged_upload_keep(actor=user, form_token=token, name=upload.name,
                                           content_type=content_type, file=upload))
        except ValidationError as error:
            entry.add_error("attachments", error)
    return kept


def _form_token(entry) -> str | None:
    try:
        return uuid.UUID(entry.data.get("form_token", "")).hex
    except ValueError:
        return None


def _valid_uuids(values) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return valid


def _as_int(value) -> int:
    """A row count that row_count_problem has let through (or none): 0 up to the maximum."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
