from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/english-name/", views.campaign_name_en, name="name-en"),
    path("<int:pk>/nodes/", views.node_add, name="node-add"),
    path("<int:pk>/nodes/<int:node_pk>/delete/", views.node_remove, name="node-remove"),
    path("<int:pk>/nodes/<int:node_pk>/weight/", views.node_weight, name="node-weight"),
    path("<int:pk>/tree-default/", views.tree_default, name="tree-default"),
    path("<int:pk>/entries/", views.entries_set, name="entries"),
    path("<int:pk>/action/", views.campaign_action, name="action"),
    path("<int:pk>/publish/", views.campaign_publish_confirm, name="publish"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
]
