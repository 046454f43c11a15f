"""The JSON import reads its objectives one at a time, exactly as parsing the whole file did."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from okrflow.library.formats_json import clean_pairs, read_json, read_objective
from okrflow.library.plans import Problem, ReadResult


def read_whole(content: bytes) -> ReadResult:
    """The reader as it was: the whole document parsed by `json.loads`, then read."""
    result = ReadResult(format="json")
    try:
        data = json.loads(
            content.decode("utf-8-sig"), parse_float=Decimal, object_pairs_hook=clean_pairs
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        message = f"This is not valid JSON: {getattr(error, 'msg', error)}"
        result.problems.append(Problem(message, getattr(error, "lineno", None)))
        return result
    objectives = data.get("objectives") if isinstance(data, dict) else data
    if not isinstance(objectives, list):
        result.problems.append(Problem("The JSON needs an “objectives” list.", where="objectives"))
        return result
    for index, item in enumerate(objectives):
        read_objective(item, f"objectives[{index}]", result)
    return result


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "Grow", "1.50", " x ", "\x01"]),
)
key_result = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {"title": st.sampled_from(["Reach 10 leads", "", "  "])},
        optional={"target": st.sampled_from(["10", "1.125", 3, "x"]), "start": scalars},
    ),
)
objective = st.one_of(
    scalars,
    st.fixed_dictionaries(
        {"title": st.sampled_from(["Win", "", "Grow \x02 fast"])},
        optional={
            "key_results": st.one_of(st.lists(key_result, max_size=3), scalars),
            "ref": st.sampled_from(["A", "B"]),
            "owner": st.sampled_from(["ann", {"kind": "unit", "name": "Sales"}]),
        },
    ),
)
document = st.one_of(
    st.lists(objective, max_size=4),
    st.fixed_dictionaries(
        {},
        optional={
            "format": st.just("okrflow-okrs"),
            "objectives": st.one_of(st.lists(objective, max_size=4), scalars),
            "version": st.integers(0, 2),
        },
    ),
    scalars,
)


def texts(data: object) -> st.SearchStrategy[str]:
    """The document as JSON, spaced or compact, sometimes damaged or with a key repeated."""
    compact = json.dumps(data, separators=(",", ":"))
    spaced = json.dumps(data, indent=2)
    variants = [compact, spaced, " \n" + spaced + "\n "]
    if isinstance(data, dict) and "objectives" in data:
        repeated = '{"objectives": [{"title": "First"}], ' + compact[1:]
        variants += [repeated, compact[:-1] + ', "objectives": 7}']
    return st.one_of(
        st.sampled_from(variants),
        st.builds(
            lambda text, cut, extra: text[:cut] + extra,
            st.sampled_from(variants),
            st.integers(0, len(spaced)),
            st.sampled_from(["", "]", ",", "}", " x", "[1,]"]),
        ),
    )


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_streamed_reading_equals_reading_the_parsed_document(data: st.DataObject) -> None:
    text = data.draw(texts(data.draw(document)))
    content = text.encode()
    assert read_json(content) == read_whole(content)


def test_a_large_file_is_read_objective_by_objective() -> None:
    rows = [
        {"title": f"Objective {n}", "key_results": [{"title": f"KR {n}", "target": "1.5"}]}
        for n in range(3)
    ]
    content = json.dumps({"objectives": rows, "format": "okrflow-okrs"}).encode()
    result = read_json(content)
    assert [o.title for o in result.objectives] == ["Objective 0", "Objective 1", "Objective 2"]
    assert result.objectives[2].key_results[0].columns["target"] == Decimal("1.5")
    assert result.objectives[1].where == "objectives[1]" and not result.problems
    broken = read_json(content[:-1] + b", }")
    assert broken.objectives == [] and broken.problems[0].message.startswith(
        "This is not valid JSON: Expecting property name"
    )


def test_a_repeated_objectives_key_counts_once_as_in_a_parsed_document() -> None:
    for text in (
        '{"objectives": [{"title": "First"}], "objectives": [{"title": "Last"}]}',
        '{"objectives": [{"title": "First"}], "objectives": 7}',
        '{"objectives": 7, "objectives": [{"title": "Last"}]}',
        '[{"title": "A"}, {"title": ""}, 3]',
        '{"objectives": [{"title": "A"}]} []',
    ):
        assert read_json(text.encode()) == read_whole(text.encode()), text
    assert [
        o.title
        for o in read_json(
            b'{"objectives": [{"title": "A"}], "objectives": [{"title": "B"}]}'
        ).objectives
    ] == ["B"]


def test_the_preview_lets_each_raw_objective_go_once_planned(world) -> None:  # type: ignore[no-untyped-def]
    from okrflow.library.preview import build_preview

    rows = [
        {"title": f"Grow sales {n}", "owner": {"kind": "unit", "name": "Sales"}} for n in range(3)
    ]
    read = read_json(json.dumps({"objectives": rows}).encode())
    preview = build_preview(read, world.cycle, None)
    assert [plan.title for plan in preview.objectives] == [row["title"] for row in rows]
    assert read.objectives == []  # each raw objective let go once its plan was made
    assert not preview.errors
