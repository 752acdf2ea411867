"""The unit pages: list, page, edit, registration and verification, change requests, search and the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kechuang.core import divisions, ratelimit, ui
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.exports import export_response
from kechuang.core.importpage import dry_run_import_page
from kechuang.core.limits import posted_text, search_words
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.pickers import picker_response, search_text
from kechuang.core.roles import Role, has_role

from .. import importer, permissions, selectors, services
from ..forms import (
    ChangeRequestDecisionForm,
    RejectForm,
    UnitForm,
    UnitImportForm,
    UnitRegisterForm,
)
from ..links import lifetime
from ..models import Unit, UnitChangeRequest
from ..workflow import CHANGE_REQUEST, UNIT


@role_required(Role.STAFF, Role.COMMISSIONER)
def unit_list(request):
    qs = selectors.unit_list(
        kind=request.GET.get("kind", ""),
        city=request.GET.get("city", ""),
        q=search_words(request),
        status=request.GET.get("status", ""),
    )
    if request.GET.get("export") == "xlsx" and permissions.is_staff_member(request.user):  # holds contacts
        return export_response(
            "单位.xlsx",
            importer.EXPORT_COLUMNS,
            qs.select_related("endorser", "parent"),
            sheet_title=_("单位"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    staff = permissions.is_staff_member(request.user)
    return render(
        request,
        "accounts/unit_list.html",
        {
            "page": page,
            "kinds": Unit.Kind.choices,
            "statuses": Unit.Status.choices,
            "pending": selectors.unit_pending_count(),
            # the change requests' list is staff's (a commissioner is not sent to a page that refuses them)
            "pending_changes": selectors.change_request_pending_count() if staff else 0,
            "perms_staff": staff,
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_visible_or_404(
        Unit.objects.select_related("parent", "endorser", "verified_by"),
        pk=pk,
        user=request.user,
        visible=permissions.can_view_unit,
    )
    return _unit_detail_page(request, unit)


def _unit_detail_page(request, unit, reject_form=None, status=200, verify_error: str = ""):
    is_staff = permissions.is_staff_member(request.user)
    own = permissions.belongs_to_unit(request.user, unit)
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "can_edit": permissions.can_edit_unit(request.user, unit),
            "can_verify": is_staff and unit.status != Unit.Status.VERIFIED,
            "can_reject": is_staff and unit.status == Unit.Status.PENDING,
            "reject_form": reject_form or RejectForm(),
            "verify_error": verify_error,
            "show_contact": is_staff or own,
            "change_requests": selectors.change_requests_of(unit) if (is_staff or own) else [],
            # who works at the unit: not a directory for every signed-in account (the people picker is staff's)
            "members": unit.users.filter(is_active=True).order_by("username")[:100]
            if is_staff or own or has_role(request.user, Role.COMMISSIONER)
            else None,
            # Panels of apps above (the integrity records, for staff): core.ui, no upward import.
            "panels": ui.panels_for("accounts.unit_detail", unit=unit, user=request.user),
        },
        status=status,
    )


@login_required
def unit_edit(request, pk):
    """Staff change a unit at once; a unit user's change to a verified field becomes a change request."""
    unit = get_visible_or_404(Unit, pk=pk, user=request.user, visible=permissions.can_edit_unit)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            posted_text(request, label=_("修改理由"))  # bounded before anything is written
            unit, cr = services.unit_update_or_request(
                actor=request.user,
                unit=unit,
                reason=request.POST.get("reason", ""),
                fields={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except (ValidationError, ApplicationError) as exc:
            if isinstance(exc, ValidationError) and set(getattr(exc, "error_dict", ())) <= set(form.fields):
                form.add_error(None, exc)  # under its field: a short name that names no unit alone (§27)
            else:
                form.add_error(
                    None, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
                )
        else:
            if cr is not None:
                messages.success(request, _("已核验信息的修改已作为变更申请提交，科技厅审核通过后生效。"))
            else:
                messages.success(request, _("单位信息已保存。"))
            return redirect(unit)
    return render(
        request,
        "accounts/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "needs_request": unit.is_verified and not permissions.is_staff_member(request.user),
        },
        status=400 if request.method == "POST" else 200,  # refused: the form as typed and why
    )


@role_required(Role.STAFF)
def change_request_list(request):
    status = request.GET.get("status", UnitChangeRequest.Status.PENDING)
    qs = selectors.change_request_list(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/change_request_list.html",
        {"page": page, "status": status, "statuses": UnitChangeRequest.Status.choices},
    )


@login_required
def change_request_detail(request, pk):
    """The request beside the unit's current values; staff approve or reject it here."""
    cr = get_object_or_404(selectors.change_requests_visible_to(request.user), pk=pk)
    is_staff = permissions.is_staff_member(request.user)
    form = ChangeRequestDecisionForm(request.POST or None)
    if request.method == "POST":
        if not is_staff:
            raise PermissionDenied(_("只有科技厅工作人员可以审核单位信息变更。"))
        # decided meanwhile (a second click, another staff member's tab): by whom and when, the note kept (409)
        action = "approve" if request.POST.get("decision") == "approve" else "reject"
        if moved_on(CHANGE_REQUEST, cr, action):
            typed = {_("意见"): request.POST.get("note", "")}
            # the decision is on the unit's trail, naming the request
            trail = AuditEvent.objects.for_object(cr.unit).filter(
                action__in=("unit.change_request.approve", "unit.change_request.reject"),
                after__change_request=cr.pk,
            )
            cr.refresh_from_db(fields=["status"])
            now = _("现为“%(state)s”。") % {"state": cr.get_status_display()}
            return decided_page(
                request, obj=cr, back_url=cr.get_absolute_url(), typed=typed, trail=trail, now=now
            )
        if form.is_valid():
            try:
                services.unit_change_request_decide(
                    actor=request.user,
                    change_request=cr,
                    approve=request.POST.get("decision") == "approve",
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, ApplicationError) as exc:
                # a reason by its field (驳回 without a note: beside the note), the rest above the form
                if isinstance(exc, ValidationError) and set(getattr(exc, "error_dict", ())) <= set(
                    form.fields
                ):
                    form.add_error(None, exc)
                else:
                    form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("变更申请已审核。"))
                return redirect(cr.unit)
    return render(
        request,
        "accounts/change_request_detail.html",
        {
            "cr": cr,
            "rows": selectors.change_request_rows(cr),
            "form": form,
            "can_decide": is_staff and cr.is_pending,
        },
        status=400 if request.method == "POST" else 200,  # refused: the note as typed and why (#13.4)
    )


def _typed_names(post) -> dict:
    """The unit's names and credit code as posted (`services.names_held` reads them as the form does)."""
    return {f: post.get(f, "") for f in ("name", "credit_code", "short_name", "name_en")}


def _hashed(post) -> str:
    """The posted password hashed — before the post's transaction and its locks (docs/security.md §35): a hash
    takes 0.1-0.8 s, and the address's and the units' names' locks are held to the end of the post. Every post
    with two equal passwords pays it once, whichever way it goes (new, kept apart, a known address: the same
    work), a post the form then refuses too (it paid nothing before; the per-client limit bounds both); one
    whose passwords differ or are missing pays nothing."""
    p1 = post.get("password1", "")
    return make_password(p1) if p1 and p1 == post.get("password2", "") else ""


def _register(request, hashed: str):
    """The registration posted: (the form, the page saying it was submitted), or (the refused form, None).
    `hashed`: the posted password hashed before the transaction began (`_hashed`)."""
    typed = request.POST.get("email", "")
    names = _typed_names(request.POST)
    # the address before anything is read of it (docs/security.md §32): a confirmation of one of its
    # registrations pressed meanwhile runs wholly before this post (read here as confirmed: the known-address
    # answer) or after it (and withdraws or voids what this post made) — never beside it
    services.address_lock(typed)
    # then the units' names (§33), before anything here audits (the holders set aside below): the unit's name
    # and credit code are checked by the form and written under it, so a registration or a staff step making
    # a unit of this name meanwhile runs wholly before this post (the form refuses the name) or after it
    services.unit_names_lock()
    # a registration not yet confirmed holds this address: this one is kept apart beside it, never replacing
    # it (docs/security.md §28) — and it is checked with such registrations set aside (a savepoint, undone
    # below): the address's, so a unit name or credit code a stranger's registration of this address holds is
    # no refusal; and any address's holding this unit's names (§35), so the page answers the same whether the
    # address typed is that registration's or not (it was refused for every address but its registrant's)
    pending = services.registration_pending(typed)
    aside = transaction.savepoint()
    services.registrations_replace(email=typed)
    set_aside = services.names_set_aside(**names)
    # a unit of this name that someone added without registering it (an expert's past unit) is this
    # registration's to take over, not a name taken (docs/security.md §22)
    added = selectors.unit_awaiting_registration(request.POST.get("name", ""))
    form = UnitRegisterForm(request.POST, instance=added)
    if not form.is_valid():
        return form, None
    transaction.savepoint_rollback(aside)  # the registrations set aside as they were
    email = form.cleaned_data["email"]
    base_url = request.build_absolute_uri("/")
    try:
        if pending or (set_aside and not services.email_registered(email)):
            # kept apart: beside the address's registration, or beside the one holding the unit's names — the
            # mail tells the address's owner which (claims.claim_mail); the page does not
            claim = services.registration_claim(
                unit_fields=form.unit_fields(),
                full_name=form.cleaned_data["full_name"],
                email=email,
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
                password_hash=hashed,
                base_url=base_url,
            )
            held = claim.confirmation_held
        elif services.email_registered(email):
            # The same answer as a new registration (no account enumeration); the owner is told.
            held = services.unit_register_known_address(
                email=email,
                unit_name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                password_hash=hashed,
                base_url=base_url,
            )
        else:
            _unit, user = services.unit_register(
                unit_fields=form.unit_fields(),
                full_name=form.cleaned_data["full_name"],
                email=email,
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password1"],
                password_hash=hashed,
                base_url=base_url,
                unit=added,
            )
            held = user.confirmation_held
    except (ValidationError, ApplicationError) as exc:
        form.add_error(None, error_text(exc))
        return form, None
    # the address had its share of mail this window (a count of the address typed, whether known or not, so
    # saying so tells nothing): the person is told the mail did not go, and when to submit again; staff's
    # page shows it and resends it (docs/security.md §22)
    return form, render(
        request,
        "accounts/unit_register_done.html",
        {
            "unit_name": form.cleaned_data["name"],
            "email": email,
            "held": lifetime(held) if held is not None else "",
        },
    )


def unit_register(request):
    """A unit registers itself with its first user; staff verify it before anyone of it can sign in."""
    from django.conf import settings

    form = UnitRegisterForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimit.hit(
            "register",
            ratelimit.client_ip(request) or "unknown",
            limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
            window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
        )
        if wait is not None:
            form.add_error(None, _("提交过于频繁，请 %(s)d 秒后再试。") % {"s": wait})
            response = render(request, "accounts/unit_register.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        # registrations whose confirmation link lapsed hold this address, unit name or credit code no longer
        names = _typed_names(request.POST)
        services.registrations_lapse(
            email=request.POST.get("email", ""),
            unit_name=names.pop("name"),
            **names,
        )
        # the password hashed before the transaction (§35): on SQLite every transaction holds the database's
        # write lock (BEGIN IMMEDIATE), on PostgreSQL this one holds the address's and the units' names' locks
        hashed = _hashed(request.POST)
        # an unconfirmed registration holding this address is not replaced (§28): this one is kept apart and
        # mailed its own link; a post that is refused changes nothing (rolled back, §25)
        with transaction.atomic():
            form, done = _register(request, hashed)
            if done is None:
                transaction.set_rollback(True)
        if done is not None:
            return done
    # refused: the form again with every field as typed and why (400, as every refused form)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/unit_register.html", {"form": form}, status=status)


@role_required(Role.STAFF)
def unit_verify(request, pk):
    """Staff confirm a registered unit. Refused: the unit's page again with why beside the button (400; it
    was a message after a redirect); verified meanwhile (a second click, another staff member's tab): a page
    saying by whom and when (409)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = get_object_or_404(Unit, pk=pk)
    if moved_on(UNIT, unit, "verify"):
        return decided_page(request, obj=unit, back_url=unit.get_absolute_url())
    try:
        posted_text(request, "note", label=_("意见"))  # bounded before anything is written
        services.unit_verify(actor=request.user, unit=unit, note=request.POST.get("note", ""))
    except (ValidationError, ApplicationError) as exc:
        if moved_on(UNIT, unit, "verify"):
            return decided_page(request, obj=unit, back_url=unit.get_absolute_url())
        unit.refresh_from_db()
        return _unit_detail_page(request, unit, verify_error=error_text(exc), status=400)
    messages.success(request, _("单位已核验。"))
    return redirect(unit)


@role_required(Role.STAFF)
def unit_reject(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = get_object_or_404(Unit, pk=pk)
    form = RejectForm(request.POST)
    # decided meanwhile (verified or sent back in another tab): by whom and when, the reason typed kept (409)
    if moved_on(UNIT, unit, "reject"):
        typed = {_("退回理由"): request.POST.get("reason", "")}
        return decided_page(request, obj=unit, back_url=unit.get_absolute_url(), typed=typed)
    if form.is_valid():
        try:
            services.unit_reject(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已退回单位注册。"))
            return redirect(unit)
    # Refused: the unit's page again, with the reason typed and why it was refused.
    return _unit_detail_page(request, unit, reject_form=form, status=400)


@role_required(Role.STAFF)
def unit_import(request):
    """Excel/CSV import of units: a dry run lists every bad row with its line; a clean file is written.
    `?template=xlsx`: the empty template, headed in the reader's language."""
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        return importer.HEADINGS.template(_("单位导入模板") + ".xlsx", sheet_title=str(_("单位")))
    return dry_run_import_page(
        request,
        form=UnitImportForm(request.POST or None, request.FILES or None),
        run=importer.unit_import,
        template="accounts/unit_import.html",
        context={"columns": importer.headings()},
    )


@require_GET
def register_units(request):
    """The registration page's parent-unit search, for anyone: verified, active units by name, short or English
    name (at least two characters; names only, no credit codes or contacts; at most 20), each named in the
    reader's language with its kind and city."""
    q = search_text(request)
    if len(q) < 2:
        return picker_response([], request=request)
    rows = selectors.verified_units_named(q)

    def city(
        u,
    ):  # its name in the reader's language; a city from before the lists as typed (no staff flag here)
        return u.city if divisions.city_is_flagged(u.city) else divisions.city_label(u.city)

    return picker_response(
        ((u.pk, " · ".join(str(p) for p in (u, u.get_kind_display(), city(u)) if p)) for u in rows),
        request=request,
    )
