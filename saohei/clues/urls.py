from django.urls import path

from saohei.clues import views

urlpatterns = [
    path("", views.clue_ledger, name="clue-ledger"),
    path("export.xlsx", views.clue_export, name="clue-export"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.clue_detail, name="clue-detail"),
    path("<int:pk>/moves/<slug:name>/", views.clue_move, name="clue-move"),
    path("deadlines/office/<int:pk>/", views.office_deadlines, name="office-deadlines"),
]
