"""Staff's page of registrations whose address is not confirmed yet (docs/security.md §20): who, which unit,
when, whether the link was mailed and whether it lapsed; the link mailed again, or the registration withdrawn
(its address freed). Beside each, the registrations kept apart for its address (§28), each with its link
mailed again (within the per-address mail limit) or voided."""

import math
from functools import partial

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.decided import decided_page
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.limits import REASON_MAX, checked_text
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from .. import selectors, services
from ..models import RegistrationClaim, User


@role_required(Role.STAFF)
def registration_list(request, *, refused: dict | None = None, status: int = 200):
    """Each unconfirmed registration with its two steps; `refused`: a step refused, its reason typed and why
    beside its button (400)."""
    registrations = selectors.pending_registrations()
    alone = selectors.registration_claims(registrations)
    return render(
        request,
        "accounts/registration_list.html",
        {"registrations": registrations, "claims_alone": alone, "refused": refused or {}},
        status=status,
    )


def _registrant(request, pk, actions: tuple[str, ...], now: str, typed: dict | None = None):
    """The registration, or the 409 page when it was confirmed or withdrawn meanwhile (by whom and when)."""
    person = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    if services.awaits_address(person):
        return person, None
    trail = AuditEvent.objects.for_object(person).filter(action__in=actions)
    return person, decided_page(
        request,
        obj=person,
        back_url=reverse("accounts:registration-list"),
        typed=typed,
        trail=trail,
        now=now,
    )


def _resent(request, refused: dict, resend, done: str):
    """Run a resend step (either registration's: `resend(base_url=…)` returns the seconds to wait when the
    address's mail limit held it back): refused or held back, the page again with why beside its button
    (400; held back: in how many minutes); sent, `done` said and the list."""
    try:
        wait = resend(base_url=request.build_absolute_uri("/"))
    except ApplicationError as exc:
        return registration_list(request, refused={**refused, "error": error_text(exc)}, status=400)
    if wait is not None:
        error = services.MAIL_HELD % {"minutes": max(1, math.ceil(wait / 60))}
        return registration_list(request, refused={**refused, "error": error}, status=400)
    messages.success(request, done)
    return redirect("accounts:registration-list")


def _ticked(request, refused: dict, not_ticked: str, step, done: str):
    """Run an irreversible step (a withdrawal, a void): only with the box ticked, else `not_ticked`; refused,
    its reason; either way the page again with why and the reason kept (400). Done, `done` said and the
    list."""
    if request.POST.get("confirm") != "1":
        error = not_ticked
    else:
        try:
            step()
        except ApplicationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, done)
            return redirect("accounts:registration-list")
    return registration_list(request, refused={**refused, "error": error}, status=400)


def _reason_checked(reason: str, step):
    """`step` run once the reason (as the service gets it, trimmed) is within REASON_MAX: longer, refused by the
    field's name beside what was typed (it was cut at 500 characters without a word)."""

    def run():
        checked_text(reason, "reason", label=_("理由"), max_length=REASON_MAX)
        return step()

    return run


@role_required(Role.STAFF)
@require_POST
def registration_resend(request, pk):
    """Mail the confirmation link again: a new link, the registration's lifetime counted from now; within the
    address's mail limit (§22, §32), as a kept-apart registration's."""
    person, already = _registrant(
        request,
        pk,
        ("user.email_confirm", "user.registration_withdraw"),
        _("此注册已确认电子邮箱或已撤回，无需再发送确认邮件。"),
    )
    if already:
        return already
    return _resent(
        request,
        {"pk": person.pk},
        partial(services.registration_resend, actor=request.user, user=person),
        _("已向 %(email)s 重新发送确认邮件。") % {"email": person.email},
    )


@role_required(Role.STAFF)
@require_POST
def registration_withdraw(request, pk):
    """Withdraw a registration (its address freed for good: the box ticked first; its unit, waiting with no
    other registrant, sent back with the reason). Not ticked: the page again with why (400)."""
    reason = request.POST.get("reason", "").strip()
    person, already = _registrant(
        request,
        pk,
        ("user.email_confirm", "user.registration_withdraw"),
        _("此注册已确认电子邮箱或已撤回。"),
        typed={_("理由"): reason},
    )
    if already:
        return already
    return _ticked(
        request,
        {"pk": person.pk, "reason": reason},
        _("注册没有撤回：请勾选确认（撤回后此账号不能再用，电子邮箱可重新注册）。"),
        _reason_checked(
            reason, partial(services.registration_withdraw, actor=request.user, user=person, reason=reason)
        ),
        _("已撤回 %(email)s 的注册，此电子邮箱可以重新注册。") % {"email": person.email},
    )


def _claim_or_gone(request, pk):
    """The kept-apart registration, or None with a message: it was confirmed, voided or lapsed meanwhile (it is
    deleted then: nothing left to act on)."""
    claim = RegistrationClaim.objects.filter(pk=pk).first()
    if claim is None:
        messages.warning(request, _("这次另行保存的注册已确认、作废或过期，没有可处理的了。"))
    return claim


@role_required(Role.STAFF)
@require_POST
def registration_claim_resend(request, pk):
    """Mail a kept-apart registration's link again, within the address's mail limit (§22): past it nothing is
    sent and the page says in how many minutes it may be (400)."""
    claim = _claim_or_gone(request, pk)
    if claim is None:
        return redirect("accounts:registration-list")
    return _resent(
        request,
        {"claim": claim.pk},
        partial(services.registration_claim_resend, actor=request.user, claim=claim),
        _("已向 %(email)s 重新发送确认邮件。") % {"email": claim.email},
    )


@role_required(Role.STAFF)
@require_POST
def registration_claim_withdraw(request, pk):
    """Void a kept-apart registration for good (the box ticked first; the registration holding the address is
    untouched). Not ticked: the page again with why (400)."""
    reason = request.POST.get("reason", "").strip()
    claim = _claim_or_gone(request, pk)
    if claim is None:
        return redirect("accounts:registration-list")
    return _ticked(
        request,
        {"claim": claim.pk, "reason": reason},
        _("这次注册没有作废：请勾选确认（作废后不能恢复，注册人须重新提交注册）。"),
        _reason_checked(
            reason,
            partial(services.registration_claim_withdraw, actor=request.user, claim=claim, reason=reason),
        ),
        _("已作废 %(email)s 的另一次注册。") % {"email": claim.email},
    )
