"""Running a service from a view: its refusal shown where the person looks, a permission refusal answered 403.

One helper for every app's views (challenges, funds, programmes, registry each had a copy that had drifted:
one put a field's reason beside the field, one returned the service's result, one let a ValidationError
through as a server error)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext

from .exceptions import ApplicationError, PermissionDenied, error_text


def attempt(request, fn, *, success: str = "", form=None):
    """Run `fn` (a service call). Done: `success` as a message, and the service's result (True when it
    returns None). Refused for a business reason (ApplicationError, ValidationError): the reason above
    `form` (and what the error says of a shown field beside that field: a stale save's “已被他人改为…”), or
    as a message without a form; and None. A permission refusal is not a business error: it answers 403,
    like a page refused to the role. A service whose result may be empty (a list of saved lines) is done
    when the answer `is not None`, not when it is true."""
    try:
        result = fn()
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except (ApplicationError, ValidationError) as exc:
        if form is not None:
            named = getattr(exc, "fields", None) or {}
            # beside a field the person sees (a stale hidden `version` is said above the form)
            fields = {
                k: v for k, v in named.items() if k in form.fields and not form.fields[k].widget.is_hidden
            }
            for name, errors in fields.items():
                form.add_error(
                    name, [str(e) for e in (errors if isinstance(errors, list | tuple) else [errors])]
                )
            form.add_error(None, error_text(exc))
        else:
            messages.error(request, error_text(exc))
        return None
    if success:
        messages.success(request, success)
    return True if result is None else result


def form_errors_text(form) -> str:
    """A refused form's reasons in one line for a message (a form posted from another page): each field by
    its label, never its key (“名称：这个字段是必填项。”), joined in the page's language."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}{gettext('：')}{text}" if label and name != "__all__" else text)
    return gettext("；").join(parts)


def names_saved(n: int) -> str:
    """“已保存英文名称。” for `n` English names saved: “English name saved.” / “English names saved.”."""
    return ngettext("已保存英文名称。", "已保存英文名称。", n)


def english_name_saved(request, form, save) -> bool:
    """A posted English-name form (a record's one `name_en` / `title_en` input) checked, then `save(cleaned_data)`
    run through `attempt` (the app's `*_translate` service, which checks the role and the object; core.services.
    english_name_set writes): True when saved (“English name saved.”); else False, the form holding why."""
    if not form.is_valid():
        return False
    return attempt(request, lambda: save(form.cleaned_data), success=names_saved(1), form=form) is not None


def english_name_post(request, obj, *, form, save, refused):
    """The view of a record's English-name form posted from its page (a challenge's, a campaign's, a call's):
    saved, back to the record's page; refused by the form or the service, `refused(form)` — the record's page
    again with the name as typed and why (400)."""
    if english_name_saved(request, form, save):
        return redirect(obj)
    return refused(form)
