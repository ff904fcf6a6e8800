"""Signed tokens: round trip, tampering, another purpose or key, expiry."""

from __future__ import annotations

import time

import pytest

from bot.signing import BadToken, sign, unsign


def test_a_token_round_trips_its_payload() -> None:
    token = sign("k" * 32, "digest-unsubscribe", {"member": 7, "community": 2})
    assert unsign("k" * 32, "digest-unsubscribe", token) == {"member": 7, "community": 2}


@pytest.mark.parametrize(
    ("key", "purpose", "mangle"),
    [
        ("k" * 32, "web-sign-in", lambda t: t),  # another purpose
        ("x" * 32, "digest-unsubscribe", lambda t: t),  # another key
        ("k" * 32, "digest-unsubscribe", lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB")),  # altered
        ("k" * 32, "digest-unsubscribe", lambda t: "not a token"),
    ],
)
def test_a_token_made_otherwise_is_refused(key: str, purpose: str, mangle: object) -> None:
    token = sign("k" * 32, "digest-unsubscribe", {"member": 7})
    with pytest.raises(BadToken) as caught:
        unsign(key, purpose, mangle(token))  # type: ignore[operator]
    assert caught.value.reason == "invalid"


def test_an_old_token_is_refused_as_expired() -> None:
    token = sign("k" * 32, "web-sign-in", {"member": 7})
    time.sleep(1.1)
    with pytest.raises(BadToken) as caught:
        unsign("k" * 32, "web-sign-in", token, max_age_seconds=0)
    assert caught.value.reason == "expired"
