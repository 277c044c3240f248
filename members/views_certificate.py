"""Membership certificates (会员证, MEM-04), their public verification page, and the
member's self-service contact details with their own change history (MEM-05, contact part).

Thin views: scope comes from members.selectors (objects outside it answer 404), writes go
through members.services.person_update_contact.

The certificate's QR code carries ``/verify/<token>/`` where the token is the membership id
signed with ``django.core.signing`` (salt ``member-certificate``): member numbers cannot be
enumerated and a changed token does not verify. Signing uses SECRET_KEY; when it is rotated,
keep the old key in SECRET_KEY_FALLBACKS so printed certificates keep verifying.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .certificate import render_certificate
from .forms_profile import CertificateLookupForm, PersonContactForm
from .idcard import mask_name
from .models import Membership

VERIFY_SALT = "member-certificate"
# Public look-ups by member number and name: at most this many per client address per window.
LOOKUP_LIMIT = 20
LOOKUP_WINDOW_SECONDS = 10 * 60


# --------------------------------------------------------------------------- #
# tokens
# --------------------------------------------------------------------------- #
def make_verify_token(membership_id: int) -> str:
    """The signed token of a membership for its public verification URL."""
    return signing.dumps(int(membership_id), salt=VERIFY_SALT)


def read_verify_token(token: str) -> int | None:
    """The membership id in a token, or None if it was not signed by us."""
    try:
        value = signing.loads(token, salt=VERIFY_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def verify_path(membership_id: int) -> str:
    return reverse("verify:token", kwargs={"token": make_verify_token(membership_id)})


def certificate_problem(membership: Membership) -> str | None:
    """Why no certificate can be issued for this membership now, or None."""
    if not membership.number:
        return _(
            "The member number has not been issued yet. It is given when the federation "
            "approves the membership; the certificate can be downloaded after that."
        )
    if membership.status == Membership.Status.SUSPENDED:
        return _(
            "The membership is suspended, so no certificate can be issued. Please contact "
            "your association or the federation office."
        )
    if not membership.is_active:
        return _("The membership has ended (%(status)s), so no certificate can be issued.") % {
            "status": membership.get_status_display()
        }
    return None


# --------------------------------------------------------------------------- #
# certificate download
# --------------------------------------------------------------------------- #
def _photo_bytes(person) -> bytes | None:
    if not person.photo:
        return None
    try:
        with person.photo.open("rb") as fh:
            return fh.read()
    except OSError:
        return None  # the certificate shows the photo placeholder


@never_cache
@login_required
@require_GET
def certificate_pdf(request, membership_id: int):
    membership = get_object_or_404(
        selectors.certificate_memberships(viewer=request.user), pk=membership_id
    )
    problem = certificate_problem(membership)
    if problem:
        return render(
            request,
            "members/certificate/unavailable.html",
            {"membership": membership, "problem": problem},
            status=409,
        )
    verify_url = settings.SITE_URL.rstrip("/") + verify_path(membership.pk)
    pdf = render_certificate(
        name=membership.person.name,
        association=membership.association.name,
        number=membership.number,
        joined_on=membership.joined_on,
        issued_on=timezone.localdate(),
        verify_url=verify_url,
        photo=_photo_bytes(membership.person),
        federation=settings.FEDERATION_NAME,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"会员证-{membership.number}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def certificate_verify_link(request, membership_id: int):
    """From the member centre to the public verification page of one's own certificate."""
    membership = get_object_or_404(
        selectors.certificate_memberships(viewer=request.user).filter(number__isnull=False),
        pk=membership_id,
    )
    return redirect(verify_path(membership.pk))


# --------------------------------------------------------------------------- #
# public verification
# --------------------------------------------------------------------------- #
def _verification(membership: Membership) -> dict:
    """The only facts the public page shows."""
    return {
        "masked_name": mask_name(membership.person.name),
        "association": membership.association.name,
        "number": membership.number,
        "join_year": membership.joined_on.year,
        "valid": membership.is_active,
        "status": membership.get_status_display(),
    }


@never_cache
@require_GET
def verify_token(request, token: str):
    membership_id = read_verify_token(token)
    membership = (
        selectors.verification_membership(membership_id=membership_id)
        if membership_id is not None
        else None
    )
    if membership is None:
        return render(request, "members/certificate/verify_failed.html", status=404)
    return render(
        request,
        "members/certificate/verify.html",
        {"result": _verification(membership), "form": CertificateLookupForm()},
    )


def _client_ip(request) -> str:
    from axes.helpers import get_client_ip_address  # same client address as the lockout

    return get_client_ip_address(request) or "unknown"


def _lookup_allowed(request) -> bool:
    """Count one look-up for the client address; False once over the limit."""
    key = f"certificate-lookup:{_client_ip(request)}"
    cache.add(key, 0, timeout=LOOKUP_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=LOOKUP_WINDOW_SECONDS)
        count = 1
    return count <= LOOKUP_LIMIT


@never_cache
@require_http_methods(["GET", "POST"])
def verify_lookup(request):
    form = CertificateLookupForm(request.POST or None)
    context = {"form": form, "result": None, "not_found": False, "limited": False}
    status = 200
    if request.method == "POST":
        if not _lookup_allowed(request):
            context["limited"] = True
            status = 429
        elif form.is_valid():
            membership = selectors.verification_lookup(
                number=form.cleaned_data["number"], name=form.cleaned_data["name"]
            )
            if membership is None:
                context["not_found"] = True
            else:
                context["result"] = _verification(membership)
    return render(request, "members/certificate/verify_lookup.html", context, status=status)


# --------------------------------------------------------------------------- #
# self-service: contact details, photo, history
# --------------------------------------------------------------------------- #
def _own_person_or_404(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        raise Http404("No member record is linked to this account.")
    return person


def _no_record(request):
    return render(request, "members/profile/no_record.html", status=404)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    form = PersonContactForm(request.POST or None, request.FILES or None, instance=person)
    if request.method == "POST" and form.is_valid():
        changes = form.contact_changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("me:profile")
        try:
            services.person_update_contact(person=person, actor=request.user, **changes)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Your contact details have been saved."))
            return redirect("me:profile")
    # The form holds contact fields only, so the identity facts shown stay the stored ones.
    return render(request, "members/profile/edit.html", {"form": form, "person": person})


@login_required
@require_GET
def profile_history(request):
    person = selectors.person_for_user(request.user)
    if person is None:
        return _no_record(request)
    return render(
        request,
        "members/profile/history.html",
        {"person": person, "history": selectors.person_change_history(person=person)},
    )


def _photo_response(person):
    if not person.photo:
        raise Http404("No photo.")
    try:
        handle = person.photo.open("rb")
    except OSError:
        raise Http404("Photo file missing.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def my_photo(request):
    return _photo_response(_own_person_or_404(request))


@login_required
@require_GET
def person_photo(request, person_id: int):
    person = get_object_or_404(selectors.photo_persons(viewer=request.user), pk=person_id)
    return _photo_response(person)
