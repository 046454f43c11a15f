"""Comment threads, mounted at /comments/."""

from __future__ import annotations

from django.urls import path

from okrflow.comments import views

app_name = "comments"
urlpatterns = [
    path("objectives/<int:objective_id>/", views.add_to_objective, name="add_to_objective"),
    path("objectives/<int:objective_id>/people/", views.people, name="people"),
    path("key-results/<int:kr_id>/", views.add_to_key_result, name="add_to_key_result"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
]
