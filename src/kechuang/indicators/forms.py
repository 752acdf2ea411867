"""Forms of the indicators pages. They only validate input; the services write."""

from collections import Counter, defaultdict

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core import divisions, uploads
from kechuang.core.language import local_name
from kechuang.core.limits import REASON_MAX, bounded_text
from kechuang.core.lists import listed
from kechuang.core.uploads import CheckedFileField

from .builder import (
    AGGREGATION_LABELS,
    IMPUTATION_LABELS,
    NORMALISATION_LABELS,
    OUTLIER_LABELS,
    OVER_LABELS,
    TRANSFORM_LABELS,
    WEIGHT_LABELS,
)
from .models import (
    REGION_SET_NAMES,
    Direction,
    Framework,
    FrameworkVersion,
    Indicator,
    Region,
    Target,
    Value,
    region_set_name,
)
from .services._common import INDICATOR_FIELDS


def indicator_choices(indicators) -> list[tuple[str, str]]:
    """Indicators to pick by name in the reader's language (never the code in front, issue: "KJJBGXL
    科技进步贡献率"); where two share a name, each gets its unit or, if the unit does not tell them apart,
    the framework it sits in (and the sub-index above it)."""
    rows = list(indicators.only("code", "name_zh", "name_en", "unit", "unit_en"))
    groups = defaultdict(list)
    for i in rows:
        groups[local_name(i.name_zh, i.name_en)].append(i)
    labels, unplaced = {}, []
    for name, group in groups.items():
        units = Counter(i.local_unit for i in group)
        for i in group:
            if len(group) == 1:
                labels[i.code] = name
            elif i.unit and units[i.local_unit] == 1:
                labels[i.code] = f"{name}{gettext('（')}{i.local_unit}{gettext('）')}"
            else:
                unplaced.append((name, i))
    if unplaced:
        where = {}

        def walk(nodes, framework, parent):
            for n in nodes:
                if n.get("children"):
                    walk(n["children"], framework, n.get("name") or parent)
                elif n.get("code") and n["code"] not in where:
                    where[n["code"]] = f"{framework} › {parent}" if parent else framework

        for f in Framework.objects.only("name", "spec").order_by("code", "-edition"):
            walk((f.spec or {}).get("nodes") or [], f.local_name, "")
        for name, i in unplaced:
            context = where.get(i.code)
            labels[i.code] = f"{name}{gettext('（')}{context}{gettext('）')}" if context else name
    return sorted(((code, label) for code, label in labels.items()), key=lambda c: (c[1], c[0]))


class IndicatorForm(forms.ModelForm):
    aliases_text = forms.CharField(
        max_length=REASON_MAX,
        label=_("别名"),
        required=False,
        help_text=_("用顿号或逗号分隔，供报告事实匹配。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        formfield_callback = bounded_text()
        model = Indicator
        fields = [f for f in INDICATOR_FIELDS if f != "aliases"]  # the aliases: `aliases_text`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["aliases_text"].initial = "、".join(self.instance.aliases or [])
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True  # an edit must name the version it was made on

    def validate_unique(self):
        pass  # the service reports a duplicate code with its own message

    def cleaned_aliases(self) -> list[str]:
        text = (self.cleaned_data.get("aliases_text") or "").replace(",", "、").replace("，", "、")
        return [a.strip() for a in text.split("、") if a.strip()]


class ValueDeleteForm(forms.Form):
    """Deleting a wrong value: why, and a tick that says the person knows it cannot be undone here (the audit
    trail keeps the figure; putting it back means recording it again)."""

    reason = forms.CharField(
        label=_("删除理由"),
        max_length=REASON_MAX,  # the audit event's only
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("删除数值须填写理由。")},
    )
    confirm = forms.BooleanField(
        label=_("确认删除这个数值（删除后不能恢复，只能重新录入）"),
        error_messages={"required": _("请勾选确认：删除后不能恢复。")},
    )


class ValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("指标"), queryset=Indicator.objects.order_by("code"), to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            ("", _("（请选择）")),
            *indicator_choices(self.fields["indicator"].queryset),
        ]

    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.order_by("region_set", "code"))
    year = forms.IntegerField(label=_("年份"), min_value=1900, max_value=2100)
    value = forms.DecimalField(label=_("数值"))  # any precision: stored as a double (ADR 0015)
    note = forms.CharField(
        label=_("出处说明"), required=False, max_length=REASON_MAX
    )  # kept in its provenance


def division_choices() -> list:
    """The divisions a region may be, by name in the reader's language: every provincial-level division
    (core.divisions, GB/T 2260) with its prefecture-level divisions under it, after the choice of a region that is no division (a country group, a country, a zone)."""
    groups = []
    for p in divisions.provinces():
        options = [(p.code, gettext("%(province)s（省级）") % {"province": p.name()})]
        options += [(c.code, c.name()) for c in divisions.cities(p.code)]
        groups.append((p.name(), options))
    return [("", gettext("（不是行政区划：按下面的名称登记）")), *groups]


def division_code(text) -> str | None:
    """The GB/T 2260 code of the division `text` names: a province by code or name (Chinese, short form or
    English, core.divisions.resolve), or a prefecture-level division by code or name (core.divisions.resolve_city)."""
    text = str(text or "").strip()
    return divisions.resolve(text) or divisions.resolve_city(text)


class DivisionField(forms.ChoiceField):
    """A division picked by name from `division_choices` (a searchable list); a code or a name sent instead
    (a page without JavaScript, a test) is accepted too. Cleaning gives the division's code, or "" for a
    region that is none."""

    default_error_messages = {
        "unknown": _(
            "“%(value)s”不是列表中的行政区划：请按名称选择；不是行政区划的地区请选第一项，只填名称。"
        )
    }

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return ""
        code = division_code(value)
        if code is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        return code

    def validate(self, value):
        forms.Field.validate(self, value)


class RegionForm(forms.Form):
    # picked by name (issue: the GB/T 2260 code was typed); a region that is no division gets a code made
    # from its name (selectors.free_region_code), never typed
    code = DivisionField(
        label=_("行政区划"),
        required=False,
        choices=division_choices,
        widget=forms.Select(attrs={"data-search": ""}),
        help_text=_(
            "按名称选择省份或城市，名称和英文名称随之填入；国家、国家集团等不是行政区划的地区选第一项。"
        ),
    )
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("选了行政区划可留空，取其标准名称。")
    )
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=100,
        required=False,
        help_text=_(
            "留空时，已知的行政区划自动填入其英文名称（如甘肃省：Gansu）；其他地区在英文页面显示中文名称。"
        ),
    )
    level = forms.ChoiceField(label=_("层级"), choices=Region.Level.choices, initial=Region.Level.PROVINCE)
    parent = forms.ModelChoiceField(
        label=_("上级"),
        queryset=Region.objects.order_by("region_set", "code"),
        required=False,
        empty_label=_("（无上级）"),
    )
    # picked by its name among the sets held (issue: the set's code was typed); a new set's name is typed
    # into the list's search box and kept as typed
    region_set = forms.CharField(
        label=_("地区集"),
        max_length=40,
        required=False,
        initial="cn",
        widget=forms.Select(attrs={"data-search": "", "data-create": _("新的地区集")}),
        help_text=_("这个地区属于哪一组地区；新的地区集输入其名称。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held = set(
            Region.objects.exclude(region_set="").order_by().values_list("region_set", flat=True).distinct()
        )
        sets = sorted(held | set(REGION_SET_NAMES), key=lambda rs: (rs not in REGION_SET_NAMES, rs))
        choices = [("", _("（不属于任何地区集）"))] + [(rs, region_set_name(rs)) for rs in sets]
        posted = (
            str(self.data.get(self.add_prefix("region_set"), "") or "").strip()[:40] if self.is_bound else ""
        )
        if posted and posted not in {c for c, _label in choices}:
            choices.append((posted, posted))  # a new set, kept when the form comes back
        self.fields["region_set"].widget.choices = choices

    def clean(self):
        data = super().clean()
        code = data.get("code")
        if code:
            # the division's standard name and its level, unless the person wrote a name of their own
            city = divisions.city(code)
            standard = divisions.name(code, english=False) or (city.name_zh if city else "")
            data["name"] = data.get("name") or standard
            data["level"] = Region.Level.PROVINCE if code.endswith("0000") else Region.Level.CITY
        elif code == "" and not data.get("name"):
            self.add_error("name", _("不是行政区划的地区须填写名称。"))
        return data


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("指标"), queryset=Indicator.objects.order_by("code"), to_field_name="code"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            ("", _("（请选择）")),
            *indicator_choices(self.fields["indicator"].queryset),
        ]

    region = forms.ModelChoiceField(label=_("地区"), queryset=Region.objects.order_by("region_set", "code"))
    year = forms.IntegerField(label=_("目标年份"), min_value=1900, max_value=2100)
    comparator = forms.ChoiceField(label=_("比较"), choices=Target.Comparator.choices)
    value = forms.DecimalField(label=_("目标值"))
    note = forms.CharField(
        label=_("说明"), required=False, max_length=Target._meta.get_field("note").max_length
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=uploads.TABLES,
        limit_setting="KECHUANG_MAX_IMPORT_BYTES",
        label=_("文件"),
        help_text=_(
            "CSV 或 Excel：地区代码、地区名称、年份、指标代码、指标名称、数值；或 EIS 数据库原文件。"
        ),
    )
    # Chosen among the editions and region sets already held (issue #13.1); a new one (a dataset's next
    # release) is typed into the same list's search box and kept as typed.
    edition = forms.CharField(
        label=_("数据版本"),
        required=False,
        max_length=40,
        widget=forms.Select(attrs={"data-search": "", "data-create": _("新的数据版本")}),
        help_text=_("本厅数据选“本厅数据”；发布的数据集选其版本，新版本输入其名称，如 EIS2024。"),
    )
    region_set = forms.CharField(
        label=_("地区集"),
        required=False,
        max_length=40,
        widget=forms.Select(attrs={"data-search": "", "data-create": _("新的地区集")}),
        help_text=_("文件中的地区属于哪一组地区；新的地区集输入其名称。"),
    )
    publish = forms.BooleanField(label=_("公开新建的指标"), required=False)
    dry_run = forms.BooleanField(label=_("仅试运行（不写入）"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editions = Value.objects.exclude(edition="").order_by().values_list("edition", flat=True).distinct()
        sets = (
            Region.objects.exclude(region_set="").order_by().values_list("region_set", flat=True).distinct()
        )
        self.fields["edition"].widget.choices = self._with_posted(
            "edition", [("", _("本厅数据（不分版本）"))] + [(e, e) for e in sorted(editions)]
        )
        self.fields["region_set"].widget.choices = self._with_posted(
            "region_set", [("", _("（无）"))] + [(s, region_set_name(s)) for s in sorted(sets)]
        )

    def _with_posted(self, name: str, choices: list) -> list:
        """The choices, and a new value the person typed (kept when the form comes back)."""
        posted = str(self.data.get(self.add_prefix(name), "") or "").strip()[:40] if self.is_bound else ""
        if posted and posted not in {c for c, _label in choices}:
            choices.append((posted, posted))
        return choices


class NodeForm(forms.Form):
    node = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    weight = forms.DecimalField(label=_("权重"), required=False, min_value=0, max_digits=12, decimal_places=6)
    standard = forms.DecimalField(label=_("标准值"), required=False, max_digits=20, decimal_places=6)
    reason = forms.CharField(label=_("修改理由"), required=False, max_length=REASON_MAX)  # the audit event's


class RunForm(forms.Form):
    """What a run may override: the set of regions and the reference (a region picked by name, a year)."""

    region_set = forms.ChoiceField(label=_("地区集"), required=False)
    reference_unit = forms.ChoiceField(
        label=_("参照地区"), required=False, help_text=_("留空则用框架的设定（等于 100 的地区和年份）。")
    )
    reference_year = forms.IntegerField(label=_("参照年份"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(
            (code, local_name(name, name_en), rs)
            for code, name, name_en, rs in Region.objects.order_by("region_set", "name").values_list(
                "code", "name", "name_en", "region_set"
            )
        )
        sets = sorted({rs for _c, _n, rs in regions if rs})
        self.fields["region_set"].choices = [("", _("全部地区"))] + [(rs, region_set_name(rs)) for rs in sets]
        # by their region set's name (a set's code is the machine's)
        groups: dict[str, list] = {}
        for code, name, rs in regions:
            groups.setdefault(rs, []).append((code, name))
        choices: list = [("", _("按框架设定"))]
        for rs, rows in groups.items():
            if rs:
                choices.append((region_set_name(rs), rows))
            else:
                choices.extend(rows)
        self.fields["reference_unit"].choices = choices

    def clean(self):
        data = super().clean()
        unit, year = data.get("reference_unit"), data.get("reference_year")
        if unit and not year:
            self.add_error("reference_year", _("选了参照地区，请同时填写参照年份。"))
        elif year and not unit:
            self.add_error("reference_unit", _("填了参照年份，请同时选择参照地区。"))
        return data

    def run_params(self) -> dict:
        """The job's parameters: the reference as the engine reads it ("code:year"), the region set."""
        d = self.cleaned_data
        unit, year = d.get("reference_unit"), d.get("reference_year")
        return {
            "reference": f"{unit}:{year}" if unit and year else "",
            "region_set": d.get("region_set") or "",
        }


class ContributionForm(forms.Form):
    MODE = [
        ("rates", _("直接输入年均增长率（%）")),
        ("levels", _("输入起止年份的总量")),
        ("data", _("用已录入的指标数据")),
    ]
    mode = forms.ChoiceField(label=_("输入方式"), choices=MODE, initial="rates")
    region = forms.ModelChoiceField(
        label=_("地区（用已录入数据时）"),
        queryset=Region.objects.order_by("region_set", "code"),
        required=False,
    )
    start_year = forms.IntegerField(label=_("起始年份"), required=False, min_value=1900, max_value=2100)
    end_year = forms.IntegerField(label=_("终止年份"), required=False, min_value=1900, max_value=2100)
    # Chosen among the indicators the reader may see, by name (issue #13.1: nobody types a code); the
    # address keeps the indicator's code, so a shared link still works.
    output_code = forms.ModelChoiceField(
        label=_("产出指标"), queryset=Indicator.objects.none(), to_field_name="code", required=False
    )
    capital_code = forms.ModelChoiceField(
        label=_("资本存量指标"), queryset=Indicator.objects.none(), to_field_name="code", required=False
    )
    labour_code = forms.ModelChoiceField(
        label=_("劳动投入指标"), queryset=Indicator.objects.none(), to_field_name="code", required=False
    )
    output_growth = forms.FloatField(label=_("产出（GDP）年均增长率 %"), required=False)
    capital_growth = forms.FloatField(label=_("资本存量年均增长率 %"), required=False)
    labour_growth = forms.FloatField(label=_("劳动投入年均增长率 %"), required=False)
    years = forms.IntegerField(label=_("年数"), required=False, min_value=1)
    output_start = forms.FloatField(label=_("期初产出"), required=False)
    output_end = forms.FloatField(label=_("期末产出"), required=False)
    capital_start = forms.FloatField(label=_("期初资本存量"), required=False)
    capital_end = forms.FloatField(label=_("期末资本存量"), required=False)
    labour_start = forms.FloatField(label=_("期初劳动投入"), required=False)
    labour_end = forms.FloatField(label=_("期末劳动投入"), required=False)
    alpha = forms.FloatField(label=_("资本产出弹性 α"), initial=0.35, min_value=0, max_value=1)
    beta = forms.FloatField(label=_("劳动产出弹性 β"), initial=0.65, min_value=0, max_value=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .permissions import indicators_visible_to

        visible = indicators_visible_to(user).order_by("name_zh", "code")
        # one read of the list for the three selects (each checks what is posted against `visible`), named as
        # every indicator picker names them (two of one name told apart by unit or framework)
        listed = [("", _("（请选择）")), *indicator_choices(visible)]
        for name, code in (("output_code", "GDP"), ("capital_code", "CAPITAL"), ("labour_code", "LABOUR")):
            field = self.fields[name]
            field.queryset = visible
            field.choices = listed
            field.widget.attrs["data-search"] = ""
            field.initial = code
        self.fields["region"].widget.attrs["data-search"] = ""  # ~80 regions: typed part of a name finds one

    def clean(self):
        data = super().clean()
        if data.get("mode") == "levels":
            need = [
                "years",
                "output_start",
                "output_end",
                "capital_start",
                "capital_end",
                "labour_start",
                "labour_end",
            ]
        elif data.get("mode") == "data":
            need = ["region", "start_year", "end_year", "output_code", "capital_code", "labour_code"]
            start, end = data.get("start_year"), data.get("end_year")
            if start and end and end <= start:
                self.add_error("end_year", _("终止年份须晚于起始年份。"))
        else:
            need = ["output_growth", "capital_growth", "labour_growth"]
        for name in need:
            if data.get(name) in (None, ""):
                self.add_error(name, _("请填写此项。"))
        return data


DIRECTION_CHOICES = Direction.choices
VALUE_SOURCES = Value.Source.choices


class AnalysisForm(forms.Form):
    """The assumptions of a Monte Carlo analysis of an index run (every field a choice, nothing typed but
    the target rank or index value)."""

    SIZES = [(64, _("64（快速）")), (128, _("128")), (256, _("256（较准）")), (512, _("512（精确，较慢）"))]
    RANGES = [("0.1", "±10%"), ("0.25", "±25%"), ("0.5", "±50%")]

    year = forms.TypedChoiceField(label=_("年份"), coerce=int)
    unit = forms.ChoiceField(
        label=_("分析对象"),
        required=False,
        help_text=_(
            "选一个单位时分析它的排名并计算“达到目标名次需要什么”；不选则分析全部单位排名的平均变动。"
        ),
    )
    target_rank = forms.IntegerField(
        label=_("目标名次"), required=False, min_value=1, help_text=_("留空则为比现在前进一名。")
    )
    target_value = forms.FloatField(
        label=_("目标指数值"),
        required=False,
        help_text=_("填写时改为计算达到该指数值（与结果表中的指数同一口径）需要什么，与目标名次只填一项。"),
    )
    vary = forms.ChoiceField(label=_("扰动哪些权重"))
    weight_range = forms.TypedChoiceField(
        label=_("权重扰动幅度"), choices=RANGES, coerce=float, initial="0.25"
    )
    normalisations = forms.MultipleChoiceField(
        label=_("标准化方法候选"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "选两种以上时，标准化方法作为不确定的假设随机抽取；只选一种时改用该方法；不选则用框架的方法。"
        ),
    )
    aggregations = forms.MultipleChoiceField(
        label=_("汇总方法候选"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("选两种以上时，汇总方法作为不确定的假设随机抽取。"),
    )
    imputations = forms.MultipleChoiceField(
        label=_("缺失值处理候选"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "选两种以上时，框架的缺失值处理作为不确定的假设随机抽取（指标或分项自己选定的不变）；只选一种时改用该方法。"
        ),
    )
    outlier_treatments = forms.MultipleChoiceField(
        label=_("异常值处理候选"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "选两种以上时，框架的异常值处理作为不确定的假设随机抽取（指标或分项自己选定的不变）；只选一种时改用该方法。"
        ),
    )
    weightings = forms.MultipleChoiceField(
        label=_("权重方案候选"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "选两项以上时，权重方案（框架的权重、等权、主成分、相关性优化）作为不确定的假设随机抽取（权重扰动仍在其上）；只选一项时改用该方案。"
        ),
    )
    level_normalisations = forms.MultipleChoiceField(
        label=_("单独抽取标准化方法的分项"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "所选分项下的指标各自在上面的标准化方法候选中单独抽取（每个分项是一个假设）；指标自己选定的方法不变。"
        ),
    )
    level_aggregations = forms.MultipleChoiceField(
        label=_("单独抽取汇总方法的层级"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("所选层级的汇总方法各自在上面的汇总方法候选中单独抽取（每个层级是一个假设）。"),
    )
    n = forms.TypedChoiceField(label=_("基础样本量"), choices=SIZES, coerce=int, initial=128)

    def __init__(self, *args, years=(), units=(), nodes=(), depth=4, **kwargs):
        from .analysis_tables import (
            AGGREGATION_LABELS,
            IMPUTATION_LABELS,
            LEVEL_LABELS,
            NORMALISATION_LABELS,
            OUTLIER_LABELS,
            VARY_LABELS,
            WEIGHTING_LABELS,
        )

        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["unit"].choices = [("", _("全部单位")), *units]
        self.fields["vary"].choices = list(VARY_LABELS.items())
        self.fields["normalisations"].choices = [
            (k, v)
            for k, v in NORMALISATION_LABELS.items()
            if k in ("minmax", "zscore", "rank", "frontier", "target", "ratio")
        ]
        self.fields["level_normalisations"].choices = list(nodes)
        self.fields["level_aggregations"].choices = [
            (str(d), label) for d, label in LEVEL_LABELS.items() if d < depth
        ]
        self.fields["aggregations"].choices = list(AGGREGATION_LABELS.items())
        self.fields["imputations"].choices = list(IMPUTATION_LABELS.items())
        self.fields["outlier_treatments"].choices = list(OUTLIER_LABELS.items())
        self.fields["weightings"].choices = list(WEIGHTING_LABELS.items())

    def clean(self):
        d = super().clean()
        if "zscore" in d.get("normalisations", []) and {"geometric", "harmonic"} & set(
            d.get("aggregations", [])
        ):
            raise forms.ValidationError(_("标准分数有负值，不能与几何平均或调和平均一起抽取。"))
        if d.get("level_normalisations") and len(d.get("normalisations", [])) < 2:
            self.add_error("level_normalisations", _("请先在标准化方法候选中至少选两种。"))
        if d.get("level_aggregations") and len(d.get("aggregations", [])) < 2:
            self.add_error("level_aggregations", _("请先在汇总方法候选中至少选两种。"))
        if d.get("target_rank") and not d.get("unit"):
            self.add_error("target_rank", _("请先选择分析对象。"))
        if d.get("target_value") is not None:
            if not d.get("unit"):
                self.add_error("target_value", _("请先选择分析对象。"))
            elif d.get("target_rank"):
                self.add_error("target_value", _("目标名次和目标指数值只填一项。"))
        return d


# --- the framework builder --------------------------------------------------------------------------


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(k, v) for k, v in labels.items()]


class FrameworkMethodForm(forms.Form):
    """A framework's name and methods, every choice from a list (the levels' aggregation optional)."""

    SAME = [("", _("与默认汇总相同"))]
    SAME_WEIGHTS = [("", _("按权重方案"))]

    name = forms.CharField(label=_("框架名称"), max_length=200)
    transform = forms.ChoiceField(label=_("变换"), choices=_choices(TRANSFORM_LABELS))
    normalise = forms.ChoiceField(label=_("标准化"), choices=_choices(NORMALISATION_LABELS))
    cap = forms.DecimalField(
        label=_("得分上限"),
        required=False,
        min_value=0,
        help_text=_("按“与标准值之比”标准化时的得分上限，通常为 100。"),
    )
    aggregate = forms.ChoiceField(label=_("默认汇总方法"), choices=_choices(AGGREGATION_LABELS))
    level_0 = forms.ChoiceField(
        label=_("综合指数的汇总"), choices=SAME + _choices(AGGREGATION_LABELS), required=False
    )
    level_1 = forms.ChoiceField(
        label=_("一级分项的汇总"), choices=SAME + _choices(AGGREGATION_LABELS), required=False
    )
    level_2 = forms.ChoiceField(
        label=_("二级分项的汇总"), choices=SAME + _choices(AGGREGATION_LABELS), required=False
    )
    level_3 = forms.ChoiceField(
        label=_("三级分项的汇总"), choices=SAME + _choices(AGGREGATION_LABELS), required=False
    )
    over = forms.ChoiceField(label=_("汇总方式"), choices=_choices(OVER_LABELS))
    impute = forms.ChoiceField(label=_("缺失值处理"), choices=_choices(IMPUTATION_LABELS))
    outliers = forms.ChoiceField(label=_("异常值处理"), choices=_choices(OUTLIER_LABELS))
    weights = forms.ChoiceField(label=_("权重方案"), choices=_choices(WEIGHT_LABELS))
    weights_level_0 = forms.ChoiceField(
        label=_("综合指数汇总时的权重"),
        choices=SAME_WEIGHTS + _choices(WEIGHT_LABELS),
        required=False,
        help_text=_(
            "每一层可另选权重方案：手工即保留该层的手工权重；主成分或相关性优化按该层各成员（指标或分项）"
            "自身的得分计算。不另选的层按上面的权重方案。"
        ),
    )
    weights_level_1 = forms.ChoiceField(
        label=_("一级分项汇总时的权重"), choices=SAME_WEIGHTS + _choices(WEIGHT_LABELS), required=False
    )
    weights_level_2 = forms.ChoiceField(
        label=_("二级分项汇总时的权重"), choices=SAME_WEIGHTS + _choices(WEIGHT_LABELS), required=False
    )
    weights_level_3 = forms.ChoiceField(
        label=_("三级分项汇总时的权重"), choices=SAME_WEIGHTS + _choices(WEIGHT_LABELS), required=False
    )
    note = forms.CharField(
        label=_("修改说明"), max_length=FrameworkVersion._meta.get_field("note").max_length, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    LEVELS = ("level_0", "level_1", "level_2", "level_3")
    WEIGHT_LEVELS = ("weights_level_0", "weights_level_1", "weights_level_2", "weights_level_3")

    @staticmethod
    def initial_from(framework) -> dict:
        m = framework.spec.get("method", {})
        norm = m.get("normalise") or {}
        agg = m.get("aggregate") or {}
        levels = {int(k): v for k, v in (agg.get("levels") or {}).items()}
        impute = m.get("impute") or "none"
        weights = m.get("weights") or "hand"
        weight_levels = (
            {int(k): v for k, v in (weights.get("levels") or {}).items()} if isinstance(weights, dict) else {}
        )
        return {
            "name": framework.spec.get("name", framework.name),
            "transform": m.get("transform", "none") or "none",
            "normalise": norm.get("method", "minmax") if isinstance(norm, dict) else norm,
            "cap": norm.get("cap") if isinstance(norm, dict) else None,
            "aggregate": agg.get("method", "arithmetic"),
            **{f"level_{d}": levels.get(d, "") for d in range(4)},
            "over": agg.get("over", "tree"),
            "impute": impute.get("method", "none") if isinstance(impute, dict) else impute,
            "outliers": (m.get("outliers") or {}).get("method", "none"),
            "weights": weights.get("method", "hand") if isinstance(weights, dict) else weights,
            **{f"weights_level_{d}": weight_levels.get(d, "") for d in range(4)},
            "version": framework.version,
        }

    def method(self, base: dict) -> dict:
        """`base` (the framework's method: reference, groups, published rounding kept) with these choices."""
        import copy

        d = self.cleaned_data
        m = copy.deepcopy(base)
        m["transform"] = d["transform"]
        norm = dict(m.get("normalise") or {}) if isinstance(m.get("normalise"), dict) else {}
        norm["method"] = d["normalise"]
        if d.get("cap") is not None:
            norm["cap"] = float(d["cap"])
        else:
            norm.pop("cap", None)
        m["normalise"] = norm
        agg = dict(m.get("aggregate") or {})
        agg["method"], agg["over"] = d["aggregate"], d["over"]
        levels = {str(i): d[f] for i, f in enumerate(self.LEVELS) if d.get(f)}
        # deeper levels set in the data (not on this form) are kept
        levels.update({k: v for k, v in (agg.get("levels") or {}).items() if int(k) >= len(self.LEVELS)})
        if levels:
            agg["levels"] = levels
        else:
            agg.pop("levels", None)
        m["aggregate"] = agg
        m["impute"] = d["impute"]
        if d["outliers"] == "none":
            m.pop("outliers", None)
        else:
            m["outliers"] = {**(base.get("outliers") or {}), "method": d["outliers"]}
        old_weights = base.get("weights") if isinstance(base.get("weights"), dict) else {}
        m["weights"] = {**old_weights, "method": d["weights"]}
        weight_levels = {str(i): d[f] for i, f in enumerate(self.WEIGHT_LEVELS) if d.get(f)}
        weight_levels.update(
            {k: v for k, v in (old_weights.get("levels") or {}).items() if int(k) >= len(self.WEIGHT_LEVELS)}
        )
        if weight_levels:
            m["weights"]["levels"] = weight_levels
        else:
            m["weights"].pop("levels", None)
        return m


def _region_choices(current: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Regions by name; a unit the framework names that is not a stored region stays choosable."""
    regions = [
        (code, local_name(name, name_en), rs)
        for code, name, name_en, rs in Region.objects.order_by("region_set", "name").values_list(
            "code", "name", "name_en", "region_set"
        )
    ]
    known = {code for code, _n, _rs in regions}
    extra = [(code, label) for code, label in current if code and code not in known]
    # the set by its name (中国各省…), not its code ("cn"): two regions of one name in two sets stay apart
    return extra + [(code, f"{name} · {region_set_name(rs)}" if rs else name) for code, name, rs in regions]


def _unit_label(declared: dict) -> str:
    aliases = [a for a in declared.get("aliases", []) if a != declared.get("unit")]
    return str(declared.get("unit", "")) + (f"（{listed(aliases)}）" if aliases else "")


class FrameworkReferenceForm(forms.Form):
    """The reference (= 100), how performance groups are judged and the published tables' decimals:
    every choice from a list or a number, never a code typed."""

    SAME_YEAR, FIXED_YEAR = "same", "fixed"

    reference_unit = forms.ChoiceField(
        label=_("参照单位"),
        required=False,
        help_text=_("指数以该单位在参照年份的值为 100；不选则不换算。"),
    )
    reference_year = forms.IntegerField(label=_("参照年份"), required=False, min_value=1990, max_value=2100)
    group_unit = forms.ChoiceField(label=_("分组的比较对象"), required=False)
    group_year_mode = forms.ChoiceField(
        label=_("分组比较的年份"),
        choices=[
            (SAME_YEAR, _("每年与比较对象同年的指数比较")),
            (FIXED_YEAR, _("都与比较对象某一年的指数比较")),
        ],
    )
    group_year = forms.IntegerField(label=_("比较年份"), required=False, min_value=1990, max_value=2100)
    group_compare = forms.ChoiceField(
        label=_("分组依据"),
        choices=[("full", _("完整精度的指数")), ("published", _("发布表中舍入后的指数"))],
    )
    index_decimals = forms.IntegerField(
        label=_("发布表中综合指数的小数位"),
        required=False,
        min_value=0,
        max_value=6,
        help_text=_("只影响发布表和页面显示；计算结果和导出保留完整精度。留空表示不舍入。"),
    )
    node_decimals = forms.IntegerField(
        label=_("发布表中分项得分的小数位"), required=False, min_value=0, max_value=6
    )

    def __init__(self, *args, method: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        method = method or {}
        ref = method.get("reference") if isinstance(method.get("reference"), dict) else {}
        groups = method.get("groups") or {}
        gref = groups.get("reference") if isinstance(groups.get("reference"), dict) else {}
        current = [(str(d.get("unit", "")), _unit_label(d)) for d in (ref, gref) if d.get("unit")]
        regions = _region_choices(current)
        self.fields["reference_unit"].choices = [("", _("（不换算）")), *regions]
        self.fields["group_unit"].choices = [("", _("与指数的参照单位相同")), *regions]

    @classmethod
    def initial_from(cls, method: dict) -> dict:
        ref = method.get("reference") if isinstance(method.get("reference"), dict) else {}
        if not ref and (method.get("rebase") or {}).get("reference"):
            unit, _sep, year = str(method["rebase"]["reference"]).rpartition(":")
            ref = {"unit": unit, "year": int(year) if year.isdecimal() else None}
        groups = method.get("groups") or {}
        gref = groups.get("reference") if isinstance(groups.get("reference"), dict) else {}
        if (
            not gref
            and groups.get("reference_unit")
            and groups["reference_unit"]
            not in (
                ref.get("unit"),
                *ref.get("aliases", []),
            )
        ):
            gref = {"unit": groups["reference_unit"]}
        year = groups.get("year", "same")
        rounding = method.get("published_rounding") or method.get("rounding") or {}
        return {
            "reference_unit": ref.get("unit", ""),
            "reference_year": ref.get("year"),
            "group_unit": gref.get("unit", ""),
            "group_year_mode": cls.FIXED_YEAR if str(year).isdecimal() else cls.SAME_YEAR,
            "group_year": int(year) if str(year).isdecimal() else None,
            "group_compare": groups.get("compare", "full") or "full",
            "index_decimals": rounding.get("index"),
            "node_decimals": rounding.get("nodes"),
        }

    def clean(self):
        d = super().clean()
        if d.get("reference_year") and not d.get("reference_unit"):
            self.add_error("reference_unit", _("填了参照年份，请同时选择参照单位。"))
        if d.get("group_year_mode") == self.FIXED_YEAR and not d.get("group_year"):
            self.add_error("group_year", _("请填写分组比较的年份。"))
        if d.get("group_compare") == "published" and d.get("index_decimals") is None:
            self.add_error("index_decimals", _("按发布表的指数分组，需要设定发布表的小数位。"))
        return d

    def apply(self, method: dict, bands: list[dict] | None) -> dict:
        """`method` with these settings; aliases of a unit kept while the unit stays the same."""
        import copy

        d = self.cleaned_data
        m = copy.deepcopy(method)
        old_ref = m.get("reference") if isinstance(m.get("reference"), dict) else {}
        m.pop("rebase", None)
        if d.get("reference_unit"):
            ref = {"unit": d["reference_unit"]}
            if old_ref.get("unit") == d["reference_unit"] and old_ref.get("aliases"):
                ref["aliases"] = list(old_ref["aliases"])
            ref["year"] = d.get("reference_year")
            m["reference"] = ref
        else:
            m.pop("reference", None)
        groups = dict(m.get("groups") or {})
        old_gref = groups.get("reference") if isinstance(groups.get("reference"), dict) else {}
        groups.pop("reference_unit", None)
        if d.get("group_unit") and d["group_unit"] != d.get("reference_unit"):
            gref = {"unit": d["group_unit"]}
            if old_gref.get("unit") == d["group_unit"] and old_gref.get("aliases"):
                gref["aliases"] = list(old_gref["aliases"])
            groups["reference"] = gref
        else:
            groups.pop("reference", None)
        groups["year"] = d["group_year"] if d["group_year_mode"] == self.FIXED_YEAR else "same"
        if d["group_compare"] == "published":
            groups["compare"] = "published"
        else:
            groups.pop("compare", None)
        if bands is not None:
            groups["bands"] = bands
        if groups.get("bands"):
            m["groups"] = groups
        else:
            m.pop("groups", None)
        m.pop("rounding", None)
        rounding = {
            k: d[f]
            for k, f in (("index", "index_decimals"), ("nodes", "node_decimals"))
            if d.get(f) is not None
        }
        if rounding:
            m["published_rounding"] = rounding
        else:
            m.pop("published_rounding", None)
        return m


class BandRowForm(forms.Form):
    """One performance group: its name and the threshold (% of the comparison) it must exceed."""

    label = forms.CharField(label=_("组名"), max_length=60, required=False)
    label_en = forms.CharField(label=_("英文组名"), max_length=60, required=False)
    above = forms.DecimalField(
        label=_("高于（%）"), required=False, min_value=0, max_digits=8, decimal_places=3
    )
    code = forms.CharField(widget=forms.HiddenInput, required=False)


class BaseBandFormSet(forms.BaseFormSet):
    def bands(self) -> list[dict]:
        """The groups people kept, highest first; a new group gets a code of its own."""
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("label")
        ]
        taken = {r["code"] for r in rows if r.get("code")}
        out, n = [], 0
        for r in rows:
            code = r.get("code") or ""
            while not code:
                n += 1
                code = f"group-{n}" if f"group-{n}" not in taken else ""
            taken.add(code)
            band = {"code": code, "label": r["label"]}
            if (r.get("label_en") or "").strip():
                band["label_en"] = r["label_en"].strip()
            band["above"] = float(r["above"]) if r.get("above") is not None else None
            out.append(band)
        return out

    def clean(self):
        if any(self.errors):
            return
        for f in self.forms:
            d = f.cleaned_data
            if d and not d.get("DELETE") and d.get("above") is not None and not d.get("label"):
                raise forms.ValidationError(_("每个分组都要有组名。"))
        bands = self.bands()
        open_ended = [i for i, b in enumerate(bands) if b["above"] is None]
        if bands and open_ended != [len(bands) - 1]:
            raise forms.ValidationError(_("只有最后一组（最低的一组）不填门槛，其余各组都要填“高于（%）”。"))
        thresholds = [b["above"] for b in bands if b["above"] is not None]
        if any(a <= b for a, b in zip(thresholds, thresholds[1:], strict=False)):
            raise forms.ValidationError(_("各组的门槛要从高到低排列。"))


BandFormSet = forms.formset_factory(
    BandRowForm, formset=BaseBandFormSet, extra=1, can_delete=True, max_num=12
)


class OutlineRowForm(forms.Form):
    """One row of a framework's tree: a sub-index (a name) or an indicator (chosen by name) at a level."""

    LEVELS = [(1, _("一级")), (2, _("二级")), (3, _("三级")), (4, _("四级"))]

    depth = forms.TypedChoiceField(label=_("层级"), choices=LEVELS, coerce=int, initial=1)
    name = forms.CharField(label=_("分项名称"), required=False, max_length=200)
    indicator = forms.ChoiceField(
        label=_("指标"),
        required=False,
        widget=forms.Select(attrs={"data-search": "1", "data-placeholder": _("输入指标名称查找")}),
    )
    weight = forms.DecimalField(label=_("权重"), min_value=0, initial=1, max_digits=12, decimal_places=6)
    standard = forms.DecimalField(label=_("标准值"), required=False, max_digits=20, decimal_places=6)
    # a row's own methods: an indicator's, or a sub-index's default for the indicators beneath it;
    # blank: the nearest enclosing sub-index's, else the framework's
    DEFAULT = [("", _("按上级分项或框架的方法"))]
    impute = forms.ChoiceField(
        label=_("本行的缺失值处理"), choices=DEFAULT + _choices(IMPUTATION_LABELS), required=False
    )
    outliers = forms.ChoiceField(
        label=_("本行的异常值处理"), choices=DEFAULT + _choices(OUTLIER_LABELS), required=False
    )
    normalise = forms.ChoiceField(
        label=_("本行的标准化"), choices=DEFAULT + _choices(NORMALISATION_LABELS), required=False
    )
    # denomination: the indicator divided by another series (population, GDP, ...) of the same unit and
    # year, times a scale factor (1000: per 1,000 inhabitants)
    denominator = forms.ChoiceField(
        label=_("除以（分母）"),
        required=False,
        widget=forms.Select(attrs={"data-search": "1", "data-placeholder": _("输入分母名称查找")}),
    )
    denominator_scale = forms.FloatField(
        label=_("再乘以"), required=False, min_value=0, help_text=_("例如每千人为 1000；留空为 1。")
    )
    code = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicator_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("（分项，不是指标）")), *indicator_choices]
        self.fields["denominator"].choices = [("", _("（不除以分母）")), *indicator_choices]


OutlineFormSet = forms.formset_factory(OutlineRowForm, extra=3, can_delete=True, can_order=True, max_num=400)


class FrameworkNewForm(forms.Form):
    name = forms.CharField(label=_("框架名称"), max_length=200)
    edition = forms.CharField(label=_("版本（年份或届次）"), max_length=20)
    base = forms.ModelChoiceField(
        label=_("复制自"),
        required=False,
        queryset=None,
        empty_label=_("（从空白开始）"),
        help_text=_("复制一个已有框架的结构、权重和方法，再按需修改。"),
    )

    def __init__(self, *args, **kwargs):
        from .models import Framework

        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = Framework.objects.order_by("name", "-edition")
