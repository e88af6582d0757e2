"""The analysts' casework under /register/: inbox, dossiers, persons and search."""

from django.urls import path

from casework.views import dossiers, exports, my_work, network, persons, search, triage

app_name = "casework"
urlpatterns = [
    path("my-work/", my_work.my_work, name="my_work"),
    path("inbox/", triage.inbox, name="inbox"),
    path("inbox/export.<slug:extension>", exports.inbox_export, name="inbox_export"),
    path("search/", search.search, name="search"),
    path("search/saved/", search.saved_search_save, name="saved_search_save"),
    path("search/saved/<int:search_id>/run/", search.saved_search_run, name="saved_search_run"),
    path("search/saved/<int:search_id>/share/", search.saved_search_share_view,
         name="saved_search_share"),
    path("search/saved/<int:search_id>/remove/", search.saved_search_delete_view,
         name="saved_search_remove"),
    path("dossiers/", dossiers.dossier_list, name="dossiers"),
    path("dossiers/export.<slug:extension>", exports.dossier_list_export,
         name="dossiers_export"),
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
    path("businesses/<int:business_id>/network/", network.business_network,
         name="business_network"),
    path("phones/<int:phone_id>/network/", network.phone_network, name="phone_network"),
    path("vessels/<int:vessel_id>/network/", network.vessel_network, name="vessel_network"),
    path("network/neighbours/", network.network_neighbours, name="network_neighbours"),
    path("persons/<int:person_id>/merge/", persons.person_merge_view, name="person_merge"),
    path("persons/<int:person_id>/merges/<int:merge_id>/undo/", persons.person_unmerge_view,
         name="person_unmerge"),
]
