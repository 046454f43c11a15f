"""Finding @mentions in a comment's text: names matched without diacritics, longest first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.mentions import Mention, find_mentions, first_words, split_text

PEOPLE = [(1, "Nguyễn Văn An"), (2, "Nguyễn Văn Anh"), (3, "Đào Thị Hà"), (4, "An")]


def test_a_name_typed_with_diacritics_is_found() -> None:
    text = "Nhờ @Nguyễn Văn An xem giúp"
    assert find_mentions(text, PEOPLE) == [Mention(4, 18, 1)]
    assert text[4:18] == "@Nguyễn Văn An"


def test_a_name_typed_without_diacritics_or_case_is_found() -> None:
    assert find_mentions("cc @dao thi ha, please", PEOPLE) == [Mention(3, 14, 3)]
    assert find_mentions("@DAO THI HA", PEOPLE) == [Mention(0, 11, 3)]


def test_the_longest_name_wins_and_a_name_must_end_at_a_word_end() -> None:
    assert find_mentions("@Nguyễn Văn Anh ok", PEOPLE) == [Mention(0, 15, 2)]
    # "@Ana" is not "@An": the name must end where the word ends.
    assert find_mentions("@Ana", PEOPLE) == []
    assert find_mentions("@An.", PEOPLE) == [Mention(0, 3, 4)]


def test_an_email_address_is_not_a_mention() -> None:
    assert find_mentions("write to an@An", PEOPLE) == []


def test_two_people_with_one_name_the_picked_one_wins() -> None:
    people = [(7, "Lê Minh"), (5, "Le Minh")]
    assert find_mentions("@Lê Minh", people) == [Mention(0, 8, 5)]
    assert find_mentions("@Lê Minh", people, preferred=[7]) == [Mention(0, 8, 7)]


def test_several_mentions_in_order_and_decomposed_text_is_normalised() -> None:
    decomposed = "@Đa\u0300o Thi\u0323 Ha\u0300 and @An"
    found = find_mentions(decomposed, PEOPLE)
    assert [m.person_id for m in found] == [3, 4]


def test_first_words_narrow_the_lookup() -> None:
    assert first_words("hi @Nguyễn Văn and @đào") == {"nguyen", "dao"}
    assert first_words("no mention here, a@b.c") == set()


def test_split_text_keeps_every_character() -> None:
    text = "Hi @An, see @Đào Thị Hà"
    found = find_mentions(text, PEOPLE)
    pieces = split_text(text, found)
    assert pieces[0] == "Hi " and pieces[1] == found[0]
    rebuilt = "".join(p if isinstance(p, str) else text[p.start : p.end] for p in pieces)
    assert rebuilt == text


def test_split_text_ignores_offsets_that_no_longer_fit() -> None:
    assert split_text("short", [Mention(3, 40, 1)]) == ["short"]


@given(st.text(max_size=80))
def test_mentions_never_overlap_and_stay_inside_the_text(text: str) -> None:
    found = find_mentions(text, PEOPLE)
    cursor = 0
    for mention in found:
        assert cursor <= mention.start < mention.end
        cursor = mention.end
    import unicodedata

    assert cursor <= len(unicodedata.normalize("NFC", text))
