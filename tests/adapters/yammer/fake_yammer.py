"""A local fake of Yammer's REST API v1: members post and write privately, the bot reads and posts, and the fake
enforces the per-token rate limit (answering 429 past it) and refuses tokens it does not accept (401)."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.recording import RecordingServer

NETWORK = 7
BOT = 1000


@dataclass
class FakeYammer(RecordingServer[Any]):
    limit: int = 10
    window: float = 30.0
    tokens: set[str] = field(default_factory=lambda: {"tok-1"})
    users: dict[int, str] = field(default_factory=lambda: {BOT: "Cultivate"})
    groups: dict[int, set[int]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request answered
    refused: dict[int, int] = field(default_factory=lambda: {401: 0, 429: 0})
    failing: dict[str, int] = field(default_factory=dict)  # path -> the server error it answers (an outage)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))
    _recent: list[float] = field(default_factory=list)  # when each counted request arrived

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v1/{path:.+}", self._handle)
        return await self.serve(app, "/api/v1/")

    # -- what members do -----------------------------------------------------------------------
    def post(self, user: int, text: str, group: int, *, replied_to: int | None = None, mention: bool = False) -> int:
        """A member posts in a group (or replies in a thread); `mention` @-mentions the bot first."""
        thread = self._message(replied_to)["thread_id"] if replied_to else None
        parsed = f"[[user:{BOT}]] {text}" if mention else text
        plain = f"@Cultivate {text}" if mention else text
        return self._add(user, plain, parsed, group_id=group, thread_id=thread, replied_to_id=replied_to)

    def dm(self, user: int, text: str) -> int:
        """A member writes to the bot privately."""
        return self._add(user, text, text, direct_to=[BOT])

    # -- what the bot did ----------------------------------------------------------------------
    def bot_messages(
        self, *, to: int | None = None, group: int | None = None, thread: int | None = None
    ) -> list[dict[str, Any]]:
        found = [m for m in self.messages if m["sender_id"] == BOT]
        if to is not None:
            found = [m for m in found if m["direct_message"] and to in m["_to"]]
        if group is not None:
            found = [m for m in found if m["group_id"] == group]
        if thread is not None:
            found = [m for m in found if m["thread_id"] == thread and m["id"] != thread]
        return found

    def texts(self, **where: Any) -> list[str]:
        return [m["body"]["plain"] for m in self.bot_messages(**where)]

    # -- the API -------------------------------------------------------------------------------
    def _message(self, message_id: int) -> dict[str, Any]:
        return next(m for m in self.messages if m["id"] == message_id)

    def _add(
        self,
        user: int,
        plain: str,
        parsed: str,
        *,
        group_id: int | None = None,
        thread_id: int | None = None,
        replied_to_id: int | None = None,
        direct_to: list[int] | None = None,
    ) -> int:
        message_id = next(self._ids)
        self.messages.append(
            {
                "id": message_id,
                "sender_id": user,
                "sender_type": "user",
                "network_id": NETWORK,
                "group_id": group_id,
                "thread_id": thread_id or message_id,
                "replied_to_id": replied_to_id,
                "direct_message": direct_to is not None,
                "body": {"plain": plain, "parsed": parsed, "rich": plain},
                "message_type": "update",
                "_to": list(direct_to or []),
            }
        )
        return message_id

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            self.refused[401] += 1
            return web.json_response({"error": "unauthorized"}, status=401)
        now = time.monotonic()
        self._recent = [t for t in self._recent if t > now - self.window]
        if len(self._recent) >= self.limit:
            self.refused[429] += 1
            wait = self._recent[0] + self.window - now if self._recent else self.window
            return web.json_response({"error": "rate limited"}, status=429, headers={"Retry-After": f"{wait:.2f}"})
        self._recent.append(now)
        self.requests.append((request.method, path))
        if path in self.failing:
            return web.json_response({"error": "internal"}, status=self.failing[path])
        if request.method == "POST" and path == "messages.json":
            form = dict(await request.post())
            if not str(form.get("body", "")).strip():
                return web.json_response({"error": "body is required"}, status=400)
            return web.json_response(self._create(form), status=201)
        query = request.query
        if path == "users/current.json":
            return web.json_response({"id": BOT, "network_id": NETWORK, "name": "cultivate", "full_name": "Cultivate"})
        group = int(path.split("/")[-1].removesuffix(".json")) if "/in_group/" in path else None
        if group is not None and group not in self.groups:
            return web.json_response({"error": "not found"}, status=404)
        if path.startswith("users/in_group/"):
            members = sorted(self.groups.get(int(path.split("/")[-1].removesuffix(".json")), set()))
            page = int(query.get("page", "1"))
            chunk = members[(page - 1) * 50 : page * 50]
            return web.json_response(
                {"users": [self._user(u) for u in chunk], "more_available": len(members) > page * 50}
            )
        if path.startswith("messages/in_group/"):
            group = int(path.split("/")[-1].removesuffix(".json"))
            return self._feed([m for m in self.messages if m["group_id"] == group], query)
        if path == "messages/private.json":
            return self._feed(
                [m for m in self.messages if m["direct_message"] and (BOT in m["_to"] or m["sender_id"] == BOT)], query
            )
        return web.json_response({"error": "not found"}, status=404)

    def _feed(self, found: list[dict[str, Any]], query: Any) -> web.Response:
        """Newest first, at most 20 (or `limit`), between older_than and newer_than — as Yammer pages."""
        if "newer_than" in query:
            found = [m for m in found if m["id"] > int(query["newer_than"])]
        if "older_than" in query:
            found = [m for m in found if m["id"] < int(query["older_than"])]
        page = sorted(found, key=lambda m: -m["id"])[: min(20, int(query.get("limit", "20")))]
        senders = {m["sender_id"] for m in page}
        return web.json_response(
            {
                "messages": [{k: v for k, v in m.items() if not k.startswith("_")} for m in page],
                "references": [self._user(u) for u in sorted(senders)],
                "meta": {},
            }
        )

    def _user(self, user: int) -> dict[str, Any]:
        name = self.users.get(user, f"User {user}")
        return {"type": "user", "id": user, "full_name": name, "name": name.split()[0].lower()}

    def _create(self, form: dict[str, Any]) -> dict[str, Any]:
        replied = int(form["replied_to_id"]) if form.get("replied_to_id") else None
        to = [int(u) for u in str(form.get("direct_to_user_ids", "")).split(",") if u]
        group = int(form["group_id"]) if form.get("group_id") and not to else None
        thread = self._message(replied)["thread_id"] if replied else None
        message_id = self._add(
            BOT,
            form["body"],
            form["body"],
            group_id=group,
            thread_id=thread,
            replied_to_id=replied,
            direct_to=to or None,
        )
        shown = {k: v for k, v in self._message(message_id).items() if not k.startswith("_")}
        return {"messages": [shown], "references": []}
