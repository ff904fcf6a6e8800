"""Building blocks for hostile input: any JSON value, text that tries to be markup or break a database, ids out of
every range, and the shapes platforms send with any of those in any field."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Markup a member (or a display name) might try, on each platform, and what breaks storage or parsing.
HOSTILE_TEXT = [
    "<!channel> <!here|here> <!everyone>",
    "<!subteam^S0DEVS|devs> hi",
    "<@U1> <@U0ALICE|alice> <#C1|general>",
    "<https://evil.example|click me> [click me](https://evil.example)",
    "<at>Everyone</at> <at>Amina</at>",
    "[[user:1000]] [[tag:5]] @all @channel",
    "*bold* _it_ `code` ~s~ \\*",
    "NUL\x00 ESC\x1b[31m DEL\x7f C1\x85 \r\n CR\rLF",
    "\ud800 lone surrogate \udfff",
    "&lt;!channel&gt; &amp; &#0; &#x1b;",
    "",
    " ",
    "🌍 مرحبا Zürich",
]
COMMANDS = [
    "help",
    "join",
    "community",
    "echo ",
    "who dashboards",
    "library remove ",
    "discuss close #",
    "stories ",
    "rsvp",
    "trip",
    "intro",
    "webinar cancel ",
    "story consent ",
]
HUGE_NUMBERS = ["9" * 40, str(2**31), str(2**63), "-1", "0", "#0", "²", "1e309", "NaN"]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(HOSTILE_TEXT),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=10,
)


def texts() -> st.SearchStrategy[str]:
    """Words a member might send: commands with hostile arguments, hostile text, or any text."""
    command = st.tuples(
        st.sampled_from(["", "/cop ", "cop ", "#cop "]),
        st.sampled_from(COMMANDS),
        st.sampled_from(HOSTILE_TEXT + HUGE_NUMBERS),
    ).map("".join)
    too_long = st.integers(min_value=4001, max_value=4200).map(lambda n: "x" * n)  # past what commands take
    return st.one_of(command, st.sampled_from(HOSTILE_TEXT + HUGE_NUMBERS), st.text(max_size=200), too_long)


def ids(*real: str) -> st.SearchStrategy[Any]:
    """An id field: a real one, an odd string, a number, something that is not an id at all."""
    return st.one_of(
        st.sampled_from(list(real) or ["x"]),
        st.sampled_from(["", " ", "U" * 400, "\x00", "U1\x00", "<@U1>"]),
        st.text(max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70),
        json_values,
    )


def usually(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The field as it should be nine times in ten, else any JSON value."""
    return _weighted(value, json_values, 9)


def shaped(
    required: dict[str, st.SearchStrategy[Any]], **optional: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """An object as a platform sends it: its required fields usually right, some optional ones, each possibly
    hostile, and maybe a stray field."""
    body = st.fixed_dictionaries(
        {k: usually(v) for k, v in required.items()}, optional={k: usually(v) for k, v in optional.items()}
    )
    stray = st.dictionaries(st.text(max_size=8), json_values, max_size=1)
    return st.tuples(stray, body).map(lambda parts: parts[0] | parts[1])


def anything_or(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A whole payload as it should be, most of the time; else any JSON value at all."""
    return _weighted(value, json_values, 7)


def _weighted(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], odds: int) -> st.SearchStrategy[Any]:
    # one_of() would count the same strategy listed n times once: draw the odds explicitly.
    return st.integers(min_value=0, max_value=odds).flatmap(lambda n: bad if n == odds else good)
