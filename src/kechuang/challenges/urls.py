from django.urls import path

from .views import applications, calls, decisions, needs, preapplications, projects, public
from .views import dedup as dedup_views

app_name = "challenges"
urlpatterns = [
    # Public
    path("", public.challenge_list, name="challenge-list"),
    path("<int:pk>/", public.challenge_detail, name="challenge-detail"),
    path("awards/", public.awards, name="awards"),
    path("results/", public.results, name="results"),
    path("results/<int:pk>/", public.result_detail, name="result-detail"),
    path("export/list.xlsx", public.export_list_xlsx, name="export-list-xlsx"),
    path("export/list/print/", public.export_list_print, name="export-list-print"),
    path("export/awards.xlsx", public.export_awards_xlsx, name="export-awards-xlsx"),
    path("export/awards/print/", public.export_awards_print, name="export-awards-print"),
    path("<int:pk>/publicity/", decisions.publicity, name="publicity"),
    # Needs and topics
    path("needs/", needs.need_list, name="need-list"),
    path("needs/new/", needs.need_create, name="need-create"),
    path("needs/<int:pk>/", needs.need_detail, name="need-detail"),
    path("needs/group/", needs.need_group, name="need-group"),
    path("needs/import/", needs.need_import, name="need-import"),
    path("topics/", needs.topic_list, name="topic-list"),
    path("topics/new/", needs.topic_edit, name="topic-create"),
    path("topics/<int:pk>/", needs.topic_detail, name="topic-detail"),
    path("topics/<int:pk>/edit/", needs.topic_edit, name="topic-edit"),
    # Challenge lifecycle (staff)
    path("new/", calls.challenge_create, name="challenge-create"),
    path("<int:pk>/edit/", calls.challenge_edit, name="challenge-edit"),
    path("<int:pk>/english-name/", calls.challenge_name_en, name="challenge-name-en"),
    path("<int:pk>/english/", calls.challenge_english, name="challenge-english"),
    path("<int:pk>/do/<slug:action>/", calls.challenge_action, name="challenge-action"),
    path("<int:pk>/confirm/<slug:action>/", calls.challenge_confirm, name="challenge-confirm"),
    path("<int:pk>/review/", decisions.challenge_review, name="challenge-review"),
    path("<int:pk>/decision/", decisions.challenge_decision, name="challenge-decision"),
    path("<int:pk>/award/", decisions.award, name="challenge-award"),
    path("<int:pk>/downselect/", decisions.downselect, name="downselect"),
    path("objections/<int:pk>/answer/", decisions.objection_answer, name="objection-answer"),
    # Pre-applications (预申报)
    path("<int:pk>/pre-apply/", preapplications.pre_apply, name="pre-apply"),
    path("<int:pk>/pre-applications/", preapplications.pre_application_list, name="pre-application-list"),
    path(
        "pre-applications/<int:pk>/shortlist/",
        preapplications.pre_application_shortlist,
        name="pre-application-shortlist",
    ),
    # Applications
    path("<int:challenge_pk>/apply/", applications.application_create, name="application-create"),
    path("applications/", applications.application_list, name="application-list"),
    path("applications/<int:pk>/", applications.application_detail, name="application-detail"),
    path("duplicates/", dedup_views.duplicate_list, name="duplicate-list"),
    path("duplicates/<int:pk>/", dedup_views.duplicate_detail, name="duplicate-detail"),
    path("duplicates/<int:pk>/<str:action>/", dedup_views.duplicate_decide, name="duplicate-decide"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/do/<slug:action>/", applications.application_action, name="application-action"
    ),
    path("applications/<int:pk>/attach/", applications.attachment_upload, name="attachment-upload"),
    path("attachments/<int:pk>/", applications.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/delete/", applications.attachment_delete, name="attachment-delete"),
    # Projects
    path("projects/", projects.contract_list, name="contract-list"),
    path("projects/flag/", projects.flag_run, name="flag-run"),
    path("projects/<int:pk>/", projects.contract_detail, name="contract-detail"),
    path("projects/<int:pk>/edit/", projects.contract_edit, name="contract-edit"),
    path("projects/<int:pk>/commissioner/", projects.contract_commissioner, name="contract-commissioner"),
    path("projects/<int:pk>/do/<slug:action>/", projects.contract_action, name="contract-action"),
    path("projects/<int:pk>/change/", projects.change_create, name="change-create"),
    path("changes/<int:pk>/decide/", projects.change_decide, name="change-decide"),
    path("projects/<int:pk>/midterm/", projects.midterm, name="midterm"),
    path("projects/<int:pk>/acceptance/", projects.acceptance, name="acceptance"),
    path("projects/<int:pk>/performance/", projects.performance, name="performance"),
    path("projects/<int:pk>/performance/decide/", projects.performance_decide, name="performance-decide"),
    path("projects/<int:pk>/result/", projects.result_add, name="result-add"),
    path("results/<int:pk>/transfer/", projects.transfer_add, name="transfer-add"),
    path("milestones/<int:pk>/", projects.milestone_detail, name="milestone-detail"),
    path("report-files/<int:pk>/", projects.report_file_download, name="report-file-download"),
]
