"""The project's form renderer (settings.FORM_RENDERER): Django's templates, with the empty choice of a select
named in the reader's language instead of Django's "---------" (a line of dashes reads as nothing, or as a
broken page): "（请选择）" / "(choose)" where a choice is required, "（无）" / "(none)" where none may be
chosen. A form that names its empty choice itself (“全部”, “（无上级）”) keeps its words."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

DJANGO_EMPTY_LABEL = "---------"  # django.db.models.fields.BLANK_CHOICE_DASH, ModelChoiceField.empty_label


def empty_label(required: bool) -> str:
    return gettext("（请选择）") if required else gettext("（无）")


def _required(widget: dict) -> bool:
    """The widget's `required` is the field's when the field was made; a form that makes a field required
    afterwards (`self.fields[...].required = True`, as the unit registration does for the endorser) changes
    only the field, which the bound field writes into the widget's `required` attribute. Either says so
    (walked, session 20: the registration's required endorser offered "（无）" and then said it was required)."""
    return bool(widget.get("required") or (widget.get("attrs") or {}).get("required"))


class FormRenderer(DjangoTemplates):
    fast_selects = True  # False: every select through the templates (the tests compare the two)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if str(option.get("label")) == DJANGO_EMPTY_LABEL and option.get("value") in ("", None):
                        option["label"] = empty_label(_required(widget))
            if self.fast_selects and template_name == SELECT and (html := _select_html(widget)) is not None:
                return html
        return super().render(template_name, context, request)


# A select's options, as Django's templates write them (select.html, select_option.html and attrs.html,
# byte for byte: tests/test_select_rendering.py compares every select of the project's forms) without a
# template per option: a select of 300 indicators (the contribution rate's three) took 900 template
# renders, about two thirds of its page's time.
SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str | None:
    """`{{ value }}` for text (a string, safe or not, or a lazy translation); None for anything a template
    would localize (numbers, dates), which the templates then write."""
    if isinstance(value, str):
        return conditional_escape(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    return None


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str | None:
    """attrs.html: ` name="value"` each, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if (name := _text(name)) is None:
            return None
        parts.append(f" {name}" if value is True else f' {name}="{_formatted(value)}"')
    return "".join(parts)


def _select_html(widget: dict) -> str | None:
    """select.html for `widget`, or None where a value would be localized or an option has its own
    template (the templates then render it)."""
    name, attrs = _text(widget["name"]), _attrs(widget["attrs"])
    if name is None or attrs is None:
        return None
    out = [f'<select name="{name}"{attrs}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            if (label := _text(group_name)) is None:
                return None
            out.append(f'\n  <optgroup label="{label}">')
        for option in options:
            label, option_attrs = _text(option["label"]), _attrs(option["attrs"])
            if option.get("template_name") != SELECT_OPTION or label is None or option_attrs is None:
                return None
            out.append(f'\n  <option value="{_formatted(option["value"])}"{option_attrs}>{label}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")  # the renderer strips the template's last line break
    return "".join(out)
