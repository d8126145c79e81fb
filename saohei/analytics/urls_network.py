from django.urls import path

from saohei.analytics import network_views

urlpatterns = [
    path("", network_views.network_page, name="network"),
    path("graphml/", network_views.network_graphml, name="network-graphml"),
    path("entity/", network_views.network_entity, name="network-entity"),
    path("judge/", network_views.resolution_judge_view, name="network-judge"),
    path("records/<str:record_kind>/<int:record_id>/correct/", network_views.entity_correct_view,
         name="network-entity-correct"),
    path("records/<str:record_kind>/<int:record_id>/extract/", network_views.entities_extract_view,
         name="network-entities-extract"),
]
