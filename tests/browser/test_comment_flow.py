"""Comments in a real browser, under the app's Content-Security-Policy.

The head of marketing types "@dao" in the objective's comment box, picks Đào Thị Hà from the
completion list (diacritics folded by the server), posts the comment without a page reload
(htmx), and the mention is stored as a reference to her and notifies her. Then the comment is
deleted in place, leaving its trace.
"""

from __future__ import annotations

import pytest

from okrflow.comments.models import Comment
from okrflow.notifications.models import Notification
from okrflow.org.actions import create_person
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World, make_objective

pytestmark = pytest.mark.browser


def test_comment_with_a_mention_picked_from_the_list(csp_page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    page = csp_page
    ha = create_person(
        None, username="ha", full_name="Đào Thị Hà", unit=world.marketing, password=PASSWORD
    )
    objective = make_objective(world, world.member, "Grow our loyal audience")
    sign_in(page, live_server, world.lead.user.username)
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    box = f"#body-comments-objective-{objective.pk}"
    page.click(box)
    page.keyboard.type("Cảm ơn @dao")
    choice = f".mention-list li[data-id='{ha.pk}']"
    page.wait_for_selector(choice)
    page.click(choice)
    assert page.input_value(box) == "Cảm ơn @Đào Thị Hà "
    page.keyboard.type("xem giúp nhé")
    page.click(f"#comments-objective-{objective.pk} button:has-text('Post comment')")
    page.wait_for_selector(f"#comments-objective-{objective.pk} .comment .mention")
    assert page.input_value(box) == ""  # the thread was swapped in, the form is empty again
    assert page.inner_text(f"#comments-objective-{objective.pk} .comment-body") == (
        "Cảm ơn @Đào Thị Hà xem giúp nhé"
    )
    screenshot(page, "objective-comment-with-mention")

    comment = Comment.objects.get()
    assert comment.author == world.lead
    assert list(comment.mentions.all()) == [ha]
    assert Notification.objects.filter(recipient=ha, kind="mention").count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#comment-{comment.pk} button:has-text('Delete')")
    page.wait_for_selector(f"#comment-{comment.pk}.comment-deleted")
    assert "Head Marketing" in page.inner_text(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "" and comment.deleted_by == world.lead.user
