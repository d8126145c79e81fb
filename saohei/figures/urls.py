from django.urls import URLPattern, path

from saohei.figures import views

urlpatterns: list[URLPattern] = [
    path("", views.clue_figures_page, name="figures-clues"),
    path("clues.xlsx", views.clue_figures_export, name="figures-clues-export"),
    path("outcomes/", views.outcome_figures_page, name="figures-outcomes"),
    path("outcomes.xlsx", views.outcome_figures_export, name="figures-outcomes-export"),
]
