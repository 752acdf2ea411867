"""Staff build and adjust frameworks on the web (structure, weights, methods); every save is a version."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError
from kechuang.core.language import english, local_name
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from . import builder, permissions, services
from .forms import BandFormSet, FrameworkMethodForm, FrameworkNewForm, FrameworkReferenceForm, OutlineFormSet
from .models import Framework, FrameworkVersion, Indicator, region_names


def _indicator_choices(spec: dict) -> tuple[list[tuple[str, str]], dict[str, str], dict[str, str]]:
    """Indicators to choose from by name (those stored, and any the framework names that are not)."""
    stored = list(
        Indicator.objects.order_by("name_zh").values_list("code", "name_zh", "name_en", "direction")
    )
    names = {c: n for c, n, _e, _d in stored}  # the spec keeps the Chinese name
    directions = {c: d for c, _n, _e, d in stored}
    # offered by name in the reader's language (walked, session 31: Chinese names on the English page)
    choices = [(c, local_name(n, e)) for c, n, e, _d in stored]
    if any(label != names[c] for c, label in choices):  # an English page: in the order of its names
        choices.sort(key=lambda choice: choice[1].casefold())
    for row in builder.rows_from_spec(spec):
        if row.indicator and row.indicator not in names:
            names[row.indicator] = row.name or _("（未登记的指标）")
            choices.append((row.indicator, names[row.indicator]))
        if row.denominator and row.denominator not in names:  # a denominator not stored (yet)
            names[row.denominator] = (row.extra or {}).get("denominator_name") or _("（未登记的指标）")
            choices.append((row.denominator, names[row.denominator]))
    return choices, names, directions


def _rows_initial(spec: dict) -> list[dict]:
    return [
        {
            "depth": r.depth,
            "name": "" if r.indicator else r.name,
            "indicator": r.indicator,
            "weight": r.weight,
            "standard": r.standard,
            "impute": r.impute,
            "outliers": r.outliers,
            "normalise": r.normalise,
            "denominator": r.denominator,
            "denominator_scale": r.denominator_scale,
            "code": r.code,
            "ORDER": i,
        }
        for i, r in enumerate(builder.rows_from_spec(spec), start=1)
    ]


def _rows_posted(formset, spec: dict) -> list[builder.Row]:
    """The rows people kept, in their order; an existing row keeps what the form does not show (its
    direction, whether it collects, other settings) from the current spec."""
    known_nodes = {r.code: r for r in builder.rows_from_spec(spec) if r.code}
    known_leaves = {r.indicator: r for r in builder.rows_from_spec(spec) if r.indicator}
    out = []
    for form in formset.ordered_forms:
        d = form.cleaned_data
        if not d or (not d.get("name") and not d.get("indicator") and not d.get("code")):
            continue
        old = known_leaves.get(d["indicator"]) if d.get("indicator") else known_nodes.get(d.get("code") or "")
        out.append(
            builder.Row(
                depth=d["depth"],
                name=d.get("name") or "",
                indicator=d.get("indicator") or "",
                weight=float(d["weight"]) if d.get("weight") is not None else None,
                standard=float(d["standard"]) if d.get("standard") is not None else None,
                direction=old.direction if old and d.get("indicator") else "",
                code="" if d.get("indicator") else (d.get("code") or ""),
                collect=old.collect if old and not d.get("indicator") else "",
                extra=old.extra if old else None,
                impute=d.get("impute") or "",
                outliers=d.get("outliers") or "",
                normalise=d.get("normalise") or "",
                denominator=d.get("denominator") or "",
                denominator_scale=d.get("denominator_scale"),
            )
        )
    return out


def _extra_rows(request) -> int:
    try:
        return max(0, min(50, int(request.GET.get("rows", 3))))
    except ValueError:
        return 3


@role_required(Role.STAFF)
def framework_edit(request, pk):
    """The framework's methods and its tree as editable rows; saving makes the next version."""
    framework = get_object_or_404(Framework, pk=pk)
    if not permissions.can_edit_framework(request.user, framework):
        raise Http404
    spec = framework.spec
    choices, names, directions = _indicator_choices(spec)
    post = request.POST if request.method == "POST" else None
    method_form = FrameworkMethodForm(post, initial=FrameworkMethodForm.initial_from(framework))
    base_method = spec.get("method", {})
    reference_form = FrameworkReferenceForm(
        post, method=base_method, initial=FrameworkReferenceForm.initial_from(base_method)
    )
    band_formset = BandFormSet(
        post,
        initial=None if post else (base_method.get("groups") or {}).get("bands", []),
        prefix="bands",
    )
    formset = OutlineFormSet(
        post,
        initial=None if post else _rows_initial(spec),
        prefix="rows",
        form_kwargs={"indicator_choices": choices},
    )
    if not post:
        formset.extra = _extra_rows(request)
    problems: list[str] = []
    valid = [f.is_valid() for f in (method_form, formset, reference_form, band_formset)] if post else []
    if post is not None and all(valid):
        d = method_form.cleaned_data
        try:
            new_spec = builder.spec_from_rows(
                _rows_posted(formset, spec),
                {**spec, "name": d["name"]},
                reference_form.apply(method_form.method(base_method), band_formset.bands()),
                indicator_names=names,
                directions=directions,
            )
            version = services.framework_save(
                actor=request.user,
                framework=framework,
                expected_version=d["version"],
                spec=new_spec,
                note=d["note"],
            )
        except builder.BuildError as exc:
            problems = exc.problems
        except ApplicationError as exc:
            problems = [str(exc.message)]
        else:
            if version.number == d["version"]:
                messages.info(request, _("没有改动，未生成新版本。"))
                return redirect(framework)
            messages.success(request, _("已保存为第 %(n)s 版。") % {"n": version.number})
            return redirect(version)
    return render(
        request,
        "indicators/framework_edit.html",
        {
            "framework": framework,
            "method_form": method_form,
            "reference_form": reference_form,
            "band_formset": band_formset,
            "formset": formset,
            "problems": problems,
            "collecting": [r.name for r in builder.rows_from_spec(spec) if r.collect],
            "more_rows": _extra_rows(request) + 5,
        },
        status=400 if post is not None else 200,
    )


@role_required(Role.STAFF)
def framework_new(request):
    form = FrameworkNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            fw = services.framework_create(
                actor=request.user, name=d["name"], edition=d["edition"], base=d["base"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("框架已创建，请设置结构和方法。"))
            return redirect("indicators:framework-edit", pk=fw.pk)
    return render(  # refused: the form again as typed, with why (400)
        request,
        "indicators/form.html",
        {"form": form, "title": _("新建指数框架")},
        status=400 if form.errors else 200,
    )


def framework_version(request, pk, number):
    """One version of a framework beside the one before it: what changed, in words; the runs made with it."""
    framework = get_object_or_404(Framework, pk=pk)
    version = get_object_or_404(
        FrameworkVersion.objects.select_related("created_by"), framework=framework, number=number
    )
    previous = framework.versions.filter(number__lt=number).order_by("-number").first()
    from .permissions import index_runs_visible_to

    return render(
        request,
        "indicators/framework_version.html",
        {
            "framework": framework,
            "version": version,
            "previous": previous,
            "changes": builder.spec_diff(
                previous.spec if previous else None,
                version.spec,
                unit_names=_unit_names(previous.spec if previous else {}, version.spec),
                names=_indicator_names(previous.spec if previous else {}, version.spec),
            ),
            "method": builder.method_items(version.spec.get("method", {})),
            "versions": framework.versions.order_by("-number").only(
                "number", "created_at", "note", "framework_id"
            ),
            "runs": index_runs_visible_to(request.user)
            .filter(framework_version=version)
            .defer("inputs", "outputs")[:20],
        },
    )


def _indicator_names(*specs: dict) -> dict[str, str]:
    """{code: name in the reader's language} of the indicators the specs name: on English pages their English
    names (one query; walked, session 31: the version history read 科技人力资源 on English pages), else none
    (the specs' own Chinese names)."""
    if not english():
        return {}
    from .selectors import indicator_names

    codes = {row.indicator for spec in specs for row in builder.rows_from_spec(spec or {}) if row.indicator}
    return indicator_names(codes) if codes else {}


def _unit_names(*specs: dict) -> dict[str, str]:
    """{code: name} of the reference units the specs' methods name (a query only when they name one)."""
    codes = set()
    for spec in specs:
        method = (spec or {}).get("method") or {}
        groups = method.get("groups") or {}
        for ref in (method.get("reference"), groups.get("reference")):
            if isinstance(ref, dict) and ref.get("unit"):
                codes.add(str(ref["unit"]))
        if groups.get("reference_unit"):
            codes.add(str(groups["reference_unit"]))
        if (method.get("rebase") or {}).get("reference"):
            codes.add(str(method["rebase"]["reference"]))
    return region_names(codes)
