from __future__ import annotations

from django.urls import path

from okrflow.dependencies import views

urlpatterns = [
    path("add/", views.dependency_add, name="dependency_add"),
    path("choices/<int:objective_id>/", views.dependency_choices, name="dependency_choices"),
    path("<int:dependency_id>/remove/", views.dependency_remove, name="dependency_remove"),
]
