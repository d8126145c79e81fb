from django.urls import path

from saohei.cases.views import create, detail, moves, reviews

urlpatterns = [
    path("new/", create.case_create, name="case-create"),
    path("<int:pk>/", detail.case_detail, name="case-detail"),
    path("<int:pk>/actions/<slug:name>/", moves.case_action, name="case-action"),
    path("reviews/new/", reviews.review_open, name="review-open"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review-detail"),
    path("reviews/<int:pk>/decide/", reviews.review_decide, name="review-decide"),
]
