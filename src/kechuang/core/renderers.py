"""The project's form renderer (settings.FORM_RENDERER): Django's templates, with the empty choice of a select
named in the reader's language instead of Django's "---------" (a line of dashes reads as nothing, or as a
broken page): "（请选择）" / "(choose)" where a choice is required, "（无）" / "(none)" where none may be
chosen. A form that names its empty choice itself (“全部”, “（无上级）”) keeps its words."""

from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext

DJANGO_EMPTY_LABEL = "---------"  # django.db.models.fields.BLANK_CHOICE_DASH, ModelChoiceField.empty_label


def empty_label(required: bool) -> str:
    return gettext("（请选择）") if required else gettext("（无）")


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if str(option.get("label")) == DJANGO_EMPTY_LABEL and option.get("value") in ("", None):
                        option["label"] = empty_label(bool(widget.get("required")))
        return super().render(template_name, context, request)
