"""The analysts' casework under /register/: inbox, dossiers, persons and search."""

from django.urls import path

from casework.views import (
    bulk,
    dossier_list,
    dossiers,
    exports,
    my_work,
    network,
    persons,
    search,
    triage,
)

app_name = "casework"
urlpatterns = [
    path("my-work/", my_work.my_work, name="my_work"),
    path("inbox/", triage.inbox, name="inbox"),
    path("inbox/export.<slug:extension>", exports.inbox_export, name="inbox_export"),
    path("inbox/selection/", bulk.inbox_selection, name="inbox_selection"),
    path("inbox/selection/export.<slug:extension>", bulk.inbox_selection_export,
         name="inbox_selection_export"),
    path("search/", search.search, name="search"),
    path("search/saved/", search.saved_search_save, name="saved_search_save"),
    path("search/saved/<int:search_id>/run/", search.saved_search_run, name="saved_search_run"),
    path("search/saved/<int:search_id>/share/", search.saved_search_share_view,
         name="saved_search_share"),
    path("search/saved/<int:search_id>/remove/", search.saved_search_delete_view,
         name="saved_search_remove"),
    path("dossiers/", dossier_list.dossier_list, name="dossiers"),
    path("dossiers/export.<slug:extension>", exports.dossier_list_export,
         name="dossiers_export"),
    # Before "dossiers/<number>/": "selection" is not a dossier number.
    path("dossiers/selection/", bulk.dossier_selection, name="dossiers_selection"),
    path("dossiers/selection/export.<slug:extension>", bulk.dossier_selection_export,
         name="dossiers_selection_export"),
    path("dossiers/<str:number>/", dossiers.dossier_detail, name="dossier"),
    path("dossiers/<str:number>/network/", network.dossier_network, name="dossier_network"),
    path("dossiers/<str:number>/signals/<str:reference>/remove/", dossiers.dossier_remove,
         name="dossier_remove_signal"),
    path("dossiers/<str:number>/persons/<int:role_id>/", dossiers.dossier_person,
         name="dossier_person"),
    path("dossiers/<str:number>/follow-ups/<int:follow_up_id>/", dossiers.follow_up_outcome,
         name="follow_up_outcome"),
    *(path(f"dossiers/<str:number>/{slug}/", view, name=view.__name__)
      for slug, view in (("update", dossiers.dossier_update), ("assign", dossiers.dossier_assign),
                         ("restrict", dossiers.dossier_restrict), ("note", dossiers.dossier_note),
                         ("follow-up", dossiers.follow_up_add),
                         ("add-signal", dossiers.dossier_add_signal),
                         ("merge", dossiers.dossier_merge))),
    path("persons/<int:person_id>/", persons.person_detail, name="person"),
    path("persons/<int:person_id>/network/", network.person_network, name="person_network"),
    path("persons/<int:person_id>/merge/", persons.person_merge_view, name="person_merge"),
    path("persons/<int:person_id>/merges/<int:merge_id>/undo/", persons.person_unmerge_view,
         name="person_unmerge"),
]
