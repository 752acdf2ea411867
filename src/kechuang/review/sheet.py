"""The experts' scoring sheet rendered from a review form version (issue #18), reusable by any app that
has experts fill a programme's review form.

A review form version (`programmes.FormVersion`, purpose 评审表) is a list of field specs
(`programmes/fieldkinds.py`). The sheet is that form, rendered and checked by fieldkinds' own renderer
(`fieldkinds.DataForm`: every field kind, required flags, limits, conditions), with what the review itself
always needs added by the code:

- **criteria**: a number field whose key is the code of one of the round's criteria is that criterion: it
  is asked from 0 to the criterion's maximum and is always required; its value is also stored as the
  criterion's score (`CriterionScore`), from which the weighted total comes. A criterion the form version
  lacks is asked as such a number field after the form's criteria (`sheet_specs`).
- **recommendation**: a single-choice field whose options are all recommendation words (强烈推荐, 推荐,
  修改后推荐, 不推荐) is the recommendation (`recommendation_key`), stored by its key and as
  `Review.recommendation`; a form without one gets the code's own 推荐意见 field.
- **comments** (for staff) and the **opinion** the applicant may read once released: always asked, by the
  code, after the form's fields.

Use:

    specs = sheet.sheet_specs(form_version, criteria)          # the fields, by stable key
    form = sheet.SheetForm(request.POST or None, specs=specs, initial=sheet.initial(specs, values, ...))
    values = form.sheet_values()                               # cleaned, JSON-safe, by key
    clean, errors = sheet.check_values(specs, values)          # the service's own check (API too)
    sheet.missing(specs, values)                               # labels of required fields not answered
    sheet.rows(specs, values)                                  # for showing a stored sheet

A bound sheet does not enforce required flags (a draft may be partial): submitting checks `missing`.

**file fields** are asked on the sheet (a file input; kinds and size checked as on every form) and stored as
a private `ReviewFile` of the review (services.review_file_set, programmes.filefields): `values[key]` is
`{"name", "file"}`. Only that service sets them: `check_values` refuses a file field's value given as data,
`form.sheet_files()` gives the web sheet's uploads (or None for a cleared or hidden field), `rows` shows the
stored file's name, size and download link (`files`: the review's ReviewFiles by id), and a required file
field keeps the review from submission as any other.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.limits import TEXT_MAX
from kechuang.programmes import fieldkinds, names

# Recommendation words a review form's single-choice field may offer, and the review's own values for them.
RECOMMENDATION_WORDS = {"强烈推荐": "strong", "推荐": "support", "修改后推荐": "revise", "不推荐": "reject"}
# The field kind answered with a stored file, not a value (services.review_file_set).
FILE_KIND = "file"
# Names the code's own fields take on the sheet (a form field with such a key is not asked).
FIXED_NAMES = frozenset({"comments", "opinion", "recommendation", "version", "submit", "whole_form"})
# The marker the page's whole scoring form posts (views.reviews._score_form): without it a post carries only
# the fields it changes (an autosave), and the others keep their stored values.
WHOLE_FORM = "whole_form"


def _is_scalar(spec: dict) -> bool:
    kind = fieldkinds.KINDS.get(spec.get("kind"))
    return kind is not None and not kind.rows


def sheet_specs(form_version, criteria) -> list[dict]:
    """The sheet's fields: the form version's (file fields included), its criterion fields bounded by the
    round's criteria, and the criteria the form lacks; each spec marked `"criterion": True` when scored."""
    by_code = {c.code: c for c in criteria}
    out: list[dict] = []
    seen: set[str] = set()
    last_criterion = -1
    for spec in (form_version.fields if form_version is not None else []) or []:
        key = spec.get("key")
        if not key or key in FIXED_NAMES:
            continue
        crit = by_code.get(key)
        if crit is not None and spec.get("kind") == "number":
            spec = _criterion_spec(
                crit, label=names.local(spec, "label"), help_text=names.local(spec, "help")
            )
            last_criterion = len(out)
        out.append(spec)
        seen.add(key)
    lacking = [_criterion_spec(c) for c in criteria if c.code not in seen]
    out[last_criterion + 1 : last_criterion + 1] = lacking
    return out


def _criterion_spec(crit, *, label=None, help_text=None) -> dict:
    weight = f"{Decimal(str(crit.weight)).normalize():f}"
    note = gettext("权重 %(w)s，满分 %(max)s 分。") % {"w": weight, "max": crit.max_score}
    return {
        "key": crit.code,
        "kind": "number",
        "label": label or str(crit),
        "required": True,
        "min": "0",
        "max": str(crit.max_score),
        "help": " ".join(t for t in (help_text or crit.anchors or "", note) if t),
        "criterion": True,
    }


def file_keys(specs) -> set[str]:
    """The keys of the sheet's file fields."""
    return {s["key"] for s in specs if s.get("kind") == FILE_KIND}


def file_spec(specs, key: str) -> dict | None:
    """The sheet's file field of `key` (None when the sheet has no such file field)."""
    return next((s for s in specs if s["key"] == key and s.get("kind") == FILE_KIND), None)


def criterion_keys(specs) -> list[str]:
    return [s["key"] for s in specs if s.get("criterion")]


def recommendation_key(specs) -> str | None:
    """The key of the single-choice field that is the recommendation (its options all recommendation
    words), or None."""
    for spec in specs:
        options = spec.get("options") or []
        if spec.get("kind") == "choice" and options and all(o in RECOMMENDATION_WORDS for o in options):
            return spec["key"]
    return None


def recommendation_of(specs, values: dict) -> str | None:
    """The review's recommendation from the sheet's values (None when the sheet has no such field)."""
    key = recommendation_key(specs)
    if key is None:
        return None
    return RECOMMENDATION_WORDS.get((values or {}).get(key) or "", "")


def recommendation_word(specs, recommendation: str) -> str:
    """The option of the sheet's recommendation field for a review's recommendation value ("support" ->
    "推荐"); the value itself when the field does not offer it (check_values then refuses it)."""
    words = {v: k for k, v in RECOMMENDATION_WORDS.items()}
    return words.get(recommendation, recommendation)


def shown_keys(specs, values: dict) -> set[str]:
    """The keys of the fields asked given the values (a field whose condition is not met is not asked, nor
    one conditional on such a field)."""
    shown: set[str] = set()
    for spec in specs:
        cond = spec.get("show_if") or None
        if cond:
            if cond.get("field") not in shown:
                continue
            value = (values or {}).get(cond.get("field"))
            if cond.get("equals") not in (value if isinstance(value, list) else [value]):
                continue
        shown.add(spec["key"])
    return shown


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_values(specs, values: dict, *, old_files: dict | None = None) -> tuple[dict, dict]:
    """Check values by key against the sheet's fields, as the renderer's fields would (kinds, limits,
    options; not the required flags). A file field's value is not taken (its stored value, `old_files[key]`,
    echoed back is let through unchanged). Returns (clean JSON-safe values, errors by key)."""
    by_key = {s["key"]: s for s in specs}
    clean: dict = {}
    errors: dict = {}
    for key, value in (values or {}).items():
        spec = by_key.get(key)
        if spec is None:
            errors[key] = [gettext("评审表中没有这一项。")]
            continue
        if spec.get("kind") == FILE_KIND:
            # a file is uploaded (services.review_file_set), not given as a value; an echoed empty is ignored
            if not _empty(value) and value != (old_files or {}).get(key):
                errors[key] = [gettext("附件须上传文件，不能以文字填写。")]
            continue
        if _empty(value):
            clean[key] = None
            continue
        if _is_scalar(spec):
            field = fieldkinds.make_field({**spec, "required": False})
            try:
                clean[key] = fieldkinds.to_json(field.clean(value))
            except ValidationError as exc:
                errors[key] = list(exc.messages)
        elif isinstance(value, list) and all(isinstance(r, dict) for r in value):
            clean[key] = fieldkinds.to_json(value)
        else:
            errors[key] = [gettext("表格内容格式不对。")]
    return clean, errors


def merged(specs, old: dict, clean: dict) -> dict:
    """The stored values after a save: the old ones updated by `clean`, emptied ones removed and those of
    fields no longer asked (their condition not met) dropped."""
    values = {**(old or {}), **clean}
    values = {k: v for k, v in values.items() if not _empty(v)}
    shown = shown_keys(specs, values)
    known = {s["key"] for s in specs}
    return {k: v for k, v in values.items() if k in shown or k not in known}


def missing(specs, values: dict) -> list[str]:
    """The labels of the required fields asked but not answered (what keeps a review from submission)."""
    shown = shown_keys(specs, values)
    return [
        str(names.local(s, "label") or s["key"])
        for s in specs
        if s.get("required") and s["key"] in shown and _empty((values or {}).get(s["key"]))
    ]


class StoredFile:
    """A file field's stored answer as the file input's initial value: its name (and size) and its download
    link."""

    def __init__(self, name: str, url: str, size: int | None = None):
        self.name, self.url, self.size = name, url, size

    def __str__(self):
        from django.template.defaultfilters import filesizeformat

        if self.size is None:
            return self.name
        return gettext("%(name)s（%(size)s）") % {"name": self.name, "size": filesizeformat(self.size)}

    def __bool__(self):
        return True


def file_url(value) -> str | None:
    """The download link of a stored file answer ({"name", "file"}), or None."""
    from django.urls import reverse

    pk = value.get("file") if isinstance(value, dict) else None
    return reverse("review:review-file-download", args=[pk]) if pk else None


def initial(specs, values: dict, *, files: dict | None = None) -> dict:
    """Stored values as the sheet's initial values (a stored file as its name, size and link; `files`: the
    review's ReviewFiles by id)."""
    out = {}
    for spec in specs:
        value = (values or {}).get(spec["key"])
        if value is None:
            continue
        if spec.get("kind") == FILE_KIND:
            url = file_url(value)
            if url:
                stored = (files or {}).get(value["file"])
                out[spec["key"]] = StoredFile(value.get("name", ""), url, stored.size if stored else None)
            continue
        out[spec["key"]] = fieldkinds.initial_for(spec, value)
    return out


def rows(specs, values: dict, *, files: dict | None = None) -> list[dict]:
    """A stored sheet for reading: [{"key", "label", "text", "criterion"[, "headers", "rows"][, "url",
    "size"]}] in the version's order; criteria as "score / maximum"; a file field's row with the stored
    file's download link and size (`files`: the review's ReviewFiles by id)."""
    out = []
    for spec in specs:
        value = (values or {}).get(spec["key"])
        if spec.get("criterion"):
            text = f"{value} / {spec.get('max')}" if not _empty(value) else ""
        else:
            text = fieldkinds.display(spec, value)
        row = {
            "key": spec["key"],
            "label": names.local(spec, "label"),
            "text": text,
            "criterion": spec.get("criterion"),
        }
        if spec.get("kind") == FILE_KIND and isinstance(value, dict) and value.get("file"):
            row["url"] = file_url(value)
            stored = (files or {}).get(value["file"])
            row["size"] = stored.size if stored is not None else None
        kind = fieldkinds.KINDS.get(spec.get("kind"))
        if kind and kind.rows:
            row["headers"], row["rows"] = fieldkinds.display_rows(spec, value or [])
        out.append(row)
    return out


class SheetForm(fieldkinds.DataForm):
    """The scoring sheet: the form version's fields by key (fieldkinds' renderer), then the code's own
    recommendation (when the version has none), comments and opinion, and the review's `version`."""

    def __init__(self, data=None, files=None, *, specs, initial=None):
        super().__init__(data, files, specs=specs, initial=initial, prefix=None)
        if recommendation_key(specs) is None:
            from .models import Review

            self.fields["recommendation"] = forms.ChoiceField(
                label=_("推荐意见"), choices=[("", "—"), *Review.Recommendation.choices], required=False
            )
        self.fields["comments"] = forms.CharField(
            max_length=TEXT_MAX,
            label=_("评审意见（仅工作人员可见）"),
            widget=forms.Textarea(attrs={"rows": 5}),
            required=False,
        )
        self.fields["opinion"] = forms.CharField(
            max_length=TEXT_MAX,
            label=_("可向申报方公开的意见（匿名）"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    def full_clean(self):
        # A draft may be partial: the required flags (still marked on the page) are checked when the review
        # is submitted (`missing`), not on every save.
        required = {s["key"]: self.fields[s["key"]].required for s in self.specs}
        for key in required:
            self.fields[key].required = False
        try:
            super().full_clean()
        finally:
            for key, flag in required.items():
                self.fields[key].required = flag

    def sheet_values(self) -> dict:
        """The form version's values, cleaned and JSON-safe, by key (empty ones as None)."""
        values = self.json_values()
        return {
            s["key"]: values.get(s["key"])
            for s in self.specs
            if s["key"] not in self.hidden_keys and s.get("kind") != FILE_KIND
        }

    def sheet_files(self) -> dict:
        """The file fields that change: {key: the new upload, or None to clear it (cleared, or hidden by its
        condition)}. A field left as it was is not listed (its stored file is kept)."""
        out = {}
        for s in self.specs:
            if s.get("kind") != FILE_KIND:
                continue
            value = self.cleaned_data.get(s["key"])
            if s["key"] in self.hidden_keys or value is False:
                out[s["key"]] = None
            elif hasattr(value, "read"):
                out[s["key"]] = value
        return out
