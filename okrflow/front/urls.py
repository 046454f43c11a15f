"""The web app's pages."""

from __future__ import annotations

from django.urls import path

from okrflow.front.views import browse, editor, objective, overview, shapes, sharing

urlpatterns = [
    path("", overview.overview, name="overview"),
    path("language/", overview.switch_language, name="switch_language"),
    # Browsing (views/browse.py)
    path("my/", browse.my_okrs, name="my_okrs"),
    path("company/", browse.company_tree, name="company_tree"),
    path("company/branch/<int:objective_id>/", browse.company_branch, name="company_branch"),
    path("company/apart/", browse.company_apart, name="company_apart"),
    path("units/<int:unit_id>/", browse.unit_detail, name="unit_detail"),
    path("projects/<int:project_id>/", browse.project_detail, name="project_detail"),
    path("people/", browse.people, name="people"),
    path("people/<int:person_id>/", browse.person_detail, name="person_detail"),
    path("search/", browse.search, name="search"),
    # One objective (views/objective.py)
    path("objectives/<int:objective_id>/", objective.objective_detail, name="objective_detail"),
    path("objectives/<int:objective_id>/propose/", objective.propose, name="objective_propose"),
    path("objectives/<int:objective_id>/agree/", objective.agree, name="objective_agree"),
    path("objectives/<int:objective_id>/return/", objective.send_back, name="objective_return"),
    path("objectives/<int:objective_id>/archive/", objective.archive, name="objective_archive"),
    path(
        "objectives/<int:objective_id>/duplicate/", objective.duplicate, name="objective_duplicate"
    ),
    path("agreements/", objective.agreements, name="agreements"),
    # Co-owners and followers (views/sharing.py)
    path(
        "objectives/<int:objective_id>/co-owners/search/",
        sharing.co_owner_search,
        name="co_owner_search",
    ),
    path("objectives/<int:objective_id>/co-owners/add/", sharing.co_owner_add, name="co_owner_add"),
    path(
        "objectives/<int:objective_id>/co-owners/remove/",
        sharing.co_owner_remove,
        name="co_owner_remove",
    ),
    path(
        "objectives/<int:objective_id>/follow/", sharing.objective_follow, name="objective_follow"
    ),
    path(
        "objectives/<int:objective_id>/unfollow/",
        sharing.objective_unfollow,
        name="objective_unfollow",
    ),
    path("key-results/<int:kr_id>/follow/", sharing.key_result_follow, name="key_result_follow"),
    path(
        "key-results/<int:kr_id>/unfollow/",
        sharing.key_result_unfollow,
        name="key_result_unfollow",
    ),
    # Writing (views/editor.py)
    path("objectives/new/", editor.objective_create, name="objective_create"),
    path("objectives/<int:objective_id>/edit/", editor.objective_edit, name="objective_edit"),
    path("objectives/check/", editor.live_check, name="objective_live_check"),
    path("objectives/<int:objective_id>/align/", editor.align, name="objective_align"),
    path("objectives/<int:objective_id>/align/search/", editor.parent_search, name="parent_search"),
    path(
        "objectives/<int:objective_id>/unalign/<int:parent_id>/",
        editor.unalign,
        name="objective_unalign",
    ),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        editor.key_result_create,
        name="key_result_create",
    ),
    path("key-results/fields/", editor.key_result_fields, name="key_result_fields"),
    path("key-results/suggest/", editor.key_result_suggest, name="key_result_suggest"),
    path("key-results/<int:kr_id>/edit/", editor.key_result_edit, name="key_result_edit"),
    path(
        "key-results/<int:kr_id>/check/",
        editor.key_result_live_check,
        name="key_result_live_check",
    ),
    path("key-results/<int:kr_id>/shapes/", shapes.key_result_shapes, name="key_result_shapes"),
    path(
        "key-results/<int:kr_id>/parts/correct/",
        shapes.part_value_correct,
        name="part_value_correct",
    ),
    path("key-results/<int:kr_id>/target/", editor.key_result_target, name="key_result_target"),
    path("key-results/<int:kr_id>/move/", editor.key_result_move, name="key_result_move"),
    path("key-results/<int:kr_id>/value/", editor.key_result_value, name="key_result_value"),
    path(
        "key-results/<int:kr_id>/initiatives/", editor.initiative_create, name="initiative_create"
    ),
    path("initiatives/<int:initiative_id>/done/", editor.initiative_done, name="initiative_done"),
]
