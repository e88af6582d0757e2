"""The register manager's pages for data-subject requests and the retention review."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from register.access import role_required
from register.models import RetentionReview, Role, SubjectRequest
from register.reauth import recent_login_required
from register.services import privacy
from register.services.audit import audit_record
from register.ui import DateInput, add_service_errors, error_items

manager_only = role_required(Role.MANAGER)


class SubjectRequestForm(forms.ModelForm):
    class Meta:
        model = SubjectRequest
        fields = list(privacy.REQUEST_FIELDS)
        widgets = {"received_on": DateInput(), "subject_date_of_birth": DateInput()}
        help_texts = {"subject_family_name": gettext_lazy(
            "As the requester writes it; the search also finds other spellings.")}

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class IdentityForm(forms.Form):
    verified_on = forms.DateField(label=gettext_lazy("Identity verified on"), widget=DateInput())
    method = forms.CharField(label=gettext_lazy("How"), max_length=200, help_text=gettext_lazy(
        "E.g. passport shown at the KPCN desk in Kralendijk."))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"),
                                choices=SubjectRequest.Outcome.choices)
    refusal_ground = forms.ChoiceField(
        label=gettext_lazy("Ground (when refusing)"), required=False,
        choices=[("", "-")] + SubjectRequest.Ground.choices)
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=DateInput())
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


@manager_only
def request_list(request):
    requests = list(SubjectRequest.objects.all())
    audit_record(actor=request.user, action="register.subject_request.listed",
                 object_type="register.subjectrequest", result_ids=[r.pk for r in requests])
    return render(request, "register/privacy/request_list.html", {"requests": requests})


@manager_only
def request_create(request):
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = privacy.subject_request_create(actor=request.user, values=form.cleaned_data)
        return redirect("manage_request", request_id=created.pk)
    return render(request, "register/privacy/request_form.html",
                  {"form": form, "error_items": error_items(form)})


@manager_only
def request_detail(request, request_id: int):
    subject_request = get_object_or_404(SubjectRequest, pk=request_id)
    identity = IdentityForm(prefix="identity", initial={"verified_on": timezone.localdate()})
    decision = DecisionForm(prefix="decision", initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and "identity-method" in request.POST:
        identity = IdentityForm(request.POST, prefix="identity")
        if identity.is_valid():
            privacy.subject_request_verify_identity(
                actor=request.user, request=subject_request,
                verified_on=identity.cleaned_data["verified_on"],
                method=identity.cleaned_data["method"])
            return redirect("manage_request", request_id=subject_request.pk)
    elif request.method == "POST":
        decision = DecisionForm(request.POST, prefix="decision")
        if decision.is_valid():
            try:
                privacy.subject_request_decide(actor=request.user, request=subject_request,
                                               ground=decision.cleaned_data["refusal_ground"],
                                               **{k: decision.cleaned_data[k] for k in
                                                  ("outcome", "decided_on", "notes")})
                messages.success(request, _("The outcome was recorded."))
                return redirect("manage_request", request_id=subject_request.pk)
            except ValidationError as error:
                add_service_errors(decision, error)
    findings = privacy.subject_request_search(actor=request.user, request=subject_request)
    return render(request, "register/privacy/request_detail.html", {
        "subject_request": subject_request, "findings": findings, "identity": identity,
        "disclosures": privacy.subject_request_disclosures(subject_request, findings),
        "decision": decision, "error_items": error_items(identity, decision)})


@manager_only
def retention_list(request):
    return render(request, "register/privacy/retention_list.html",
                  {"reviews": RetentionReview.objects.all()[:50]})


@manager_only
def retention_detail(request, review_id: int):
    review = get_object_or_404(RetentionReview, pk=review_id)
    return render(request, "register/privacy/retention_detail.html",
                  {"review": review, "items": review.items.all()})


@manager_only
@recent_login_required
@require_POST
def retention_decide(request, review_id: int):
    review = get_object_or_404(RetentionReview, pk=review_id)
    try:
        if request.POST.get("decision") == "cancel":
            privacy.retention_review_cancel(actor=request.user, review=review)
            messages.success(request, _("The review was cancelled; nothing was changed."))
        else:
            keep = {int(v) for v in request.POST.getlist("keep") if v.isdigit()}
            count = privacy.retention_review_apply(actor=request.user, review=review, keep=keep)
            messages.success(request, _("%(count)s records were anonymised.") % {"count": count})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("manage_retention_review", review_id=review.pk)
