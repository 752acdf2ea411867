from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "计划类别与表单"

    def ready(self):
        from kechuang.core import display

        from . import rules, selectors

        # a version is named after its form or programme, a submission after its form: read with them
        display.register_words(
            actions={
                "programmes.call_award": pgettext_lazy("审计", "作出立项决定"),
                "programmes.call_extend": pgettext_lazy("审计", "延长阶段截止日期"),
                "programmes.call_migrate": pgettext_lazy("审计", "将申报批次迁移到计划类别的新版本"),
                "programmes.form_create": pgettext_lazy("审计", "创建表单"),
                "programmes.form_field_move": pgettext_lazy("审计", "调整表单字段顺序"),
                "programmes.form_field_remove": pgettext_lazy("审计", "删除表单字段"),
                "programmes.form_field_save": pgettext_lazy("审计", "保存表单字段"),
                "programmes.form_version_new": pgettext_lazy("审计", "新建表单版本"),
                "programmes.formal_batch_pass": pgettext_lazy("审计", "批量通过形式审查"),
                "programmes.invitation_batch_invite": pgettext_lazy("审计", "批量邀请正式申报"),
                "programmes.name_translate": pgettext_lazy("审计", "设置英文名称"),
                "programmes.call_translate": pgettext_lazy("审计", "设置英文名称"),
                "programmes.objection_file": pgettext_lazy("审计", "上传异议材料"),
                "programmes.objection_lodge": pgettext_lazy("审计", "提出实名异议"),
                "programmes.programme_create": pgettext_lazy("审计", "创建计划类别"),
                "programmes.programme_version_new": pgettext_lazy("审计", "新建计划类别版本"),
                "programmes.shortlist_batch": pgettext_lazy("审计", "确认答辩入围名单"),
                "programmes.stage_move": pgettext_lazy("审计", "调整阶段顺序"),
                "programmes.stage_remove": pgettext_lazy("审计", "删除阶段"),
                "programmes.stage_save": pgettext_lazy("审计", "保存阶段"),
                "programmes.submission_correct": pgettext_lazy("审计", "提交补正材料"),
                "programmes.translate": pgettext_lazy("审计", "修改英文表述"),
                "report.field_file": pgettext_lazy("审计", "上传报告附件"),
            },
            name_joins={
                "programmes.FormVersion": ("definition",),
                "programmes.ProgrammeVersion": ("programme",),
                "programmes.Submission": ("version__definition",),
            },
        )

        rules.register_eligibility("unit_verified", selectors.unit_verified_reasons)
        rules.register_eligibility(
            "no_overdue_project", selectors.overdue_reasons, bulk=selectors.overdue_reasons_many
        )
