from django.urls import path

from . import views

app_name = "techmap"
urlpatterns = [
    path("", views.index, name="index"),
    path("graph/", views.graph, name="graph"),
    path("tree/", views.tree, name="tree"),
    path("matrix/", views.matrix, name="matrix"),
    path("technologies/", views.technology_table, name="technology-list"),
    path("technologies/new/", views.technology_create, name="technology-create"),
    path("technologies/<int:pk>/", views.technology_detail, name="technology-detail"),
    path("technologies/<int:pk>/edit/", views.technology_edit, name="technology-edit"),
    path("technologies/<int:pk>/delete/", views.technology_delete, name="technology-delete"),
    path("technologies/<int:pk>/trl/", views.trl_add, name="trl-add"),
    path("technologies/<int:pk>/coverage/", views.coverage_add, name="coverage-add"),
    path("technologies/<int:pk>/gap-topic/", views.gap_topic, name="gap-topic"),
    path("coverage/<int:pk>/end/", views.coverage_end, name="coverage-end"),
    path("chains/new/", views.chain_create, name="chain-create"),
    path("chains/<int:pk>/", views.chain_detail, name="chain-detail"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain-edit"),
    path("chains/<int:pk>/links/", views.link_create, name="link-create"),
    path("links/<int:pk>/edit/", views.link_edit, name="link-edit"),
    path("gaps/", views.gaps, name="gaps"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
]
