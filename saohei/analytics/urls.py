from django.urls import path

from saohei.analytics import views

urlpatterns = [
    path("repeats/<int:pk>/decide/", views.repeat_decide, name="repeat-decide"),
    path("clues/<int:pk>/score/", views.clue_score, name="clue-score"),
]
