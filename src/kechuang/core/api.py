"""API conventions shared by every endpoint: pagination and one error body for every 4xx.

{"error": {"code": "validation_error", "message": "...", "fields": {"name": ["..."]}}}
"""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import exceptions, filters, parsers, serializers, status
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import disciplines, divisions
from .exceptions import ApplicationError, refusal_reason
from .fields import SEPARATORS
from .limits import (  # noqa: F401  (the API modules import them from here)
    ACTION_MAX,
    FORM_JSON_MAX,
    IDS_MAX,
    JSON_BODY_MAX,
    REASON_MAX,
    TEXT_MAX,
    text_bound,
)
from .lists import listed


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class NewestFirstCursorPagination(CursorPagination):
    """For lists that grow without bound (the audit trail): `next`/`previous` links carry an opaque cursor
    (an indexed range read) instead of a page number (a count of every row, and OFFSET), and there is no
    `count`. Newest first by `at`, ties broken by id."""

    ordering = ("-at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _flatten(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    return str(detail)


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class JSONTooLarge(exceptions.APIException):
    """A JSON body larger than its endpoint takes (413, with the bound in words)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def json_body_max(view) -> int:
    """The largest JSON body `view` takes: its `json_body_max` (FORM_JSON_MAX for a programme form's answers),
    else settings.KECHUANG_JSON_BODY_MAX (core.limits.JSON_BODY_MAX)."""
    own = getattr(view, "json_body_max", None)
    return int(own or getattr(settings, "KECHUANG_JSON_BODY_MAX", JSON_BODY_MAX))


def _megabytes(n: int) -> str:
    return f"{n / 1048576:.1f}".removesuffix(".0")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a body larger than its endpoint takes refused (413, `json_body_max`: 1 MB, 4 MB
    for a programme form's answers) and a body nested deeper than the decoder can follow refused as malformed
    (400). Before, a JSON body was bounded only by Django's DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB, the bound of a
    form's fields, which DRF's `request.body` meets first; `exception_handler` answers that one with 413 too).
    The parser reads at most one byte past its bound, whatever Content-Length says (a chunked body has none).
    DRF catches only ValueError, so `[[[[…` (100,000 brackets) posted to any endpoint that reads its body —
    the token endpoint, anonymously — was a RecursionError, a 500 and a logged traceback each time.

    A body that is not a JSON object (`[…]`, a string, a number) is refused too (400), except for a view that
    says it takes a list (`json_body_list = True`: a budget's lines): the views read `request.data.get(…)`, and a
    list posted to them was an AttributeError and a 500 (testtime5's fuzz, `POST /api/review/reviews/1/submit/`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        view = (parser_context or {}).get("view")
        limit = json_body_max(view)
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        body = b"" if length > limit else stream.read(limit + 1)
        if length > limit or len(body) > limit:
            raise JSONTooLarge(
                _("提交的 JSON 超过 %(limit)s MB 的上限。文件请通过上传接口提交，大批数据请分批提交。")
                % {"limit": _megabytes(limit)}
            )
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("提交的 JSON 嵌套层数过多。")) from None
        if isinstance(data, dict) or (isinstance(data, list) and getattr(view, "json_body_list", False)):
            if isinstance(data, dict) and request is not None:
                # read again by the check of a step that cannot be undone (core.confirming: "confirm")
                request._request.kechuang_json = data
            return data
        if getattr(view, "json_body_list", False):
            raise exceptions.ParseError(_("提交的内容须为 JSON 数组（[…]）。"))
        raise exceptions.ParseError(_("提交的内容须为 JSON 对象（{…}）。"))


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, never by a field some callers are not shown. Without `ordering_fields` DRF sorts by
    any field of the serializer, so a value blanked or dropped for a caller still ordered the rows: an
    applicant sorted its applications by the review score it may not yet read (#14.9). A serializer names such
    fields in `hidden_from_some` (or `internal_fields`, techmap's internal notes); they are never sort keys."""

    def get_default_valid_fields(self, queryset, view, context=None):
        fields = super().get_default_valid_fields(queryset, view, context or {})
        serializer_class = getattr(view, "serializer_class", None)
        hidden = set(getattr(serializer_class, "hidden_from_some", ())) | set(
            getattr(serializer_class, "internal_fields", ())
        )
        return [(name, label) for name, label in fields if name not in hidden]


def exception_handler(exc, context):
    """Turn every refused request into the one error body, with a reason a person can read."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, str(exc.message), exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages)
        return Response(error_body("validation_error", message, fields), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(
        exc, RequestDataTooBig
    ):  # over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 with the bound, not a 400 page
        exc = JSONTooLarge(
            _("提交的内容超过 %(limit)s MB 的上限。文件请通过上传接口提交，大批数据请分批提交。")
            % {"limit": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(refusal_reason(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500: Django's handler logs it and answers
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(detail)
        non_field = fields.pop("non_field_errors", [])
        message = " ".join(non_field) or _("提交的数据有误，请检查各字段。")
        if not isinstance(detail, dict):
            message = _flatten(detail)
        response.data = error_body("validation_error", message, fields if not non_field else {**fields})
    else:
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(str(code), _flatten(detail) if detail is not None else str(exc))
    return response


# Free text a request writes into a row or the audit trail (a reason, a note, comments) is bounded as the page's
# form field is, never only by the 5 MB body (core.limits; docs/security.md §36).


def free_text(data, key: str, max_length: int = REASON_MAX, default: str = "") -> str:
    """A free-text value a view reads from `request.data` itself (a reason, a note): a string (or a number) of at
    most `max_length` characters, as sent (not trimmed); anything else is a 400 naming `key`, in the words a
    serializer's field would use. Absent or null: `default`."""
    value = data.get(key, default) if hasattr(data, "get") else default
    if value is None:
        return default
    field = serializers.CharField(max_length=max_length, allow_blank=True, trim_whitespace=False)
    try:
        return field.run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({key: exc.detail}) from None


IDS_TOO_MANY = gettext_lazy("最多 {max_length} 个编号。")


def id_list(child=None, **kwargs) -> serializers.ListField:
    """A list of row ids a call sends: at most IDS_MAX (`core.limits`), each one bound variable of the query that
    reads them; more is a 400 naming the field (it was the database's error, a 500, past SQLite's bound).
    tests/security/test_api_id_lists_bounded.py walks the API for a list of ids without a bound."""
    return serializers.ListField(
        child=child if child is not None else serializers.IntegerField(),
        max_length=IDS_MAX,
        error_messages={"max_length": IDS_TOO_MANY},
        **kwargs,
    )


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """A many-to-many field's list of ids (`RelatedIds(many=True, …)`): at most `max_length` (IDS_MAX) ids — more is
    a 400 naming the field (最多 10000 个编号。) before any is looked up, where DRF's own took as many as the 1 MB
    body carries — and the rows of a primary-key relation read in one query, not one query per id
    (docs/security.md §40). tests/security/test_api_id_lists_bounded.py walks the API's serializers for a
    many-to-many field without this bound."""

    default_error_messages = {"max_length": IDS_TOO_MANY}

    def __init__(self, *args, max_length: int = IDS_MAX, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        child = self.child_relation
        if not data or type(child) is not RelatedIds or child.pk_field is not None:
            return super().to_internal_value(data)
        queryset = child.get_queryset()
        pk = queryset.model._meta.pk
        keys = []
        for item in data:  # each checked as the child checks one (a bool, a structure: incorrect_type)
            if isinstance(item, bool) or not isinstance(item, (int, str)):
                child.fail("incorrect_type", data_type=type(item).__name__)
            try:
                keys.append(pk.to_python(item))
            except DjangoValidationError:
                child.fail("incorrect_type", data_type=type(item).__name__)
        found = queryset.in_bulk(set(keys))
        for item, key in zip(data, keys, strict=True):
            if key not in found:
                child.fail("does_not_exist", pk_value=item)
        return [found[key] for key in keys]


class RelatedIds(serializers.PrimaryKeyRelatedField):
    """`PrimaryKeyRelatedField` whose `many=True` list is bounded (`BoundedManyRelatedField`): use it for every
    many-to-many id field the API writes."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        max_length = kwargs.pop("max_length", IDS_MAX)
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return BoundedManyRelatedField(max_length=max_length, **list_kwargs)


class BoundedTextSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writable fields from a model `TextField` without a `max_length` are bounded as the
    page's form field is (`core.limits.text_bound`): by `Meta.text_bounds[name]` where named (a note:
    REASON_MAX), else TEXT_MAX. Longer is a 400 naming the field; the column stays unbounded (a longer text
    stored before is read back whole). tests/security/test_api_serializers_bounded.py walks every serializer
    the API reads for a text field without a bound. A many-to-many field the model gives is bounded too
    (`RelatedIds`, IDS_MAX)."""

    serializer_related_field = RelatedIds

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        bound = text_bound(model_field, getattr(self.Meta, "text_bounds", {}))
        if bound is not None:
            field_kwargs.setdefault("max_length", bound)
        return field_class, field_kwargs


class DisciplineNamesField(serializers.ListField):
    """Read-only: the record's GB/T 13745 codes (`disciplines`, a list or a comma-separated string) as the
    names a person reads ("数学 › 代数学"; 未知学科（code） for a code not in the table), in order."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "GB/T 13745 discipline names, one for each code in `disciplines`")
        super().__init__(child=serializers.CharField(), read_only=True, source="disciplines", **kwargs)

    def to_representation(self, value):
        if isinstance(value, str):
            value = [c for c in SEPARATORS.split(value) if c.strip()]
        return disciplines.labels(value)


def discipline_codes(value) -> list[str]:
    """Codes from what an API client sent for `disciplines` (a list, or a string with commas): codes, names
    or paths of GB/T 13745; 400 naming the items that are not in the table."""
    codes, unknown = disciplines.parse_list(value)
    if unknown:
        raise serializers.ValidationError(
            _("不在学科分类表（GB/T 13745）中：%(items)s。请用学科名称或代码。") % {"items": listed(unknown)}
        )
    return codes


# a province as sent: a code or a name; the columns that keep one (a unit's, a platform's) are 40 long
PROVINCE_MAX = 40


class ProvinceField(serializers.CharField):
    """A province (GB/T 2260 provincial-level division). Read: its name in the caller's language (山西省 /
    Shanxi; a value kept from before the list, that names no division, as stored). Write: a code (140000),
    a Chinese name or short form (山西省, 山西) or an English name (Shanxi); anything else is a 400 that names
    it, except the record's own stored value sent back unchanged."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", PROVINCE_MAX)
        kwargs.setdefault(
            "help_text",
            "Province-level division: read as its name in the caller's language; written as a GB/T 2260 code, "
            "a Chinese or an English name. The code is in `province_code`.",
        )
        super().__init__(**kwargs)

    def to_representation(self, value):
        p = divisions.get(value)
        return p.name() if p else str(value or "")

    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip()
        if not text:
            return ""
        code = divisions.resolve(text)
        if code is not None:
            return code
        instance = getattr(self.parent, "instance", None)
        if instance is not None and getattr(instance, self.source, None) == text:
            return text  # sent back as read: a value from before the list stays until staff pick one
        raise serializers.ValidationError(divisions.unknown_message(text))


class ProvinceCodeField(serializers.CharField):
    """Read-only: the province's GB/T 2260 code ("" when none is set or the stored value names no division)."""

    def __init__(self, source="province", **kwargs):
        kwargs.setdefault("help_text", "GB/T 2260 code of the province (e.g. 140000), or empty")
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value):
        return value if divisions.get(value) else ""


def province_param(value, *, held=None) -> str:
    """A `?province=` filter: the code of the division it names; 400 naming it when it names none (unless
    `held(value)` says records hold it as stored from before the list)."""
    value = str(value or "").strip()
    if not value:
        return ""
    code = divisions.resolve(value)
    if code is not None:
        return code
    if held is not None and held(value):
        return value
    raise exceptions.ValidationError({"province": [divisions.unknown_message(value)]})


class _BoundedManyRelatedFieldSchema(OpenApiSerializerFieldExtension):
    """The OpenAPI schema says a many-to-many id list's bound (`maxItems`), as it says `id_list`'s."""

    target_class = BoundedManyRelatedField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["maxItems"] = self.target.max_length
        return schema


class ConfirmField(serializers.BooleanField):
    """`confirm` in the request body of an operation that may take a step that cannot be undone (docs/security.md
    §42): described in the OpenAPI schema, read by the step's own check (`core.confirming`, from the body as
    sent), never handed on in `validated_data` (the services take no `confirm`)."""

    def __init__(self, **kwargs):
        from .confirming import CONFIRM_HELP

        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", CONFIRM_HELP)
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        return serializers.empty  # required=False: skipped, whatever was sent


def unchangeable(validated: dict, instance, names) -> None:
    """A 400 naming each field of `names` an update sent with a value other than the row's: a field set when the
    row was made (a yearly report's platform and year, a registration's result) was dropped without a word
    before, so a caller believed it had moved the row (docs/security.md §44). The row's own value sent back is
    taken (a client PATCHes what it read)."""
    changed = {}
    for name in names:
        if name in validated and validated[name] != getattr(instance, name):
            changed[name] = [_("创建后不能更改。")]
    if changed:
        raise exceptions.ValidationError(changed)
