"""The project's form renderer (settings.FORM_RENDERER): Django's templates, with the empty choice of a select
named in the reader's language instead of Django's "---------" (a line of dashes reads as nothing, or as a
broken page): "（请选择）" / "(choose)" where a choice is required, "（无）" / "(none)" where none may be
chosen. A form that names its empty choice itself (“全部”, “（无上级）”) keeps its words."""

from django.forms.renderers import DjangoTemplates
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
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if str(option.get("label")) == DJANGO_EMPTY_LABEL and option.get("value") in ("", None):
                        option["label"] = empty_label(_required(widget))
        return super().render(template_name, context, request)
