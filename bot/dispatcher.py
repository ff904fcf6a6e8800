"""Route each inbound event to the routine that handles it, once, and turn member mistakes into answers."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation, identity
from bot.answers import check_submission, typed_values
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.events import ActionClicked, CommandInvoked, Event, FormSubmitted, MessagePosted
from bot.forms import Form, FormErrors
from bot.help import group_usage, needs_role, unknown_verb, usage_line
from bot.i18n import _
from bot.services import Services
from bot.text import MAX_INPUT
from storage import communities, conversations, events, members
from storage.models import Community, Member, Role

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What became of an event; adapters use it to answer their platform (e.g. inline form errors)."""

    duplicate: bool = False
    form_errors: dict[str, str] = field(default_factory=dict)
    context: MemberContext | None = None


# Events handled at once. Beyond this, work waits its turn here (platforms have been acked already) instead of
# timing out on the connection pool or crowding out acks on the event loop. SQLite has one writer, so 2 is plenty.
CONCURRENT_EVENTS = {"sqlite": 2, "postgresql": 8}


class Dispatcher:
    def __init__(self, services: Services, concurrency: int = 2) -> None:
        self.services = services
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def idle(self) -> None:
        """Wait until no event is being handled (shutdown waits for work acked but not yet done)."""
        await self._idle.wait()

    async def handle(self, event: Event) -> Outcome:
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._handle_in_turn(event)
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _handle_in_turn(self, event: Event) -> Outcome:
        kind = type(event).__name__
        self.services.metrics.events.labels(event.actor.platform, kind).inc()
        async with self._slots:
            started = time.perf_counter()
            try:
                async with self.services.sessions() as db:
                    return await self._handle(db, event)
            finally:
                self.services.metrics.handler_seconds.labels(kind).observe(time.perf_counter() - started)

    async def _handle(self, db: AsyncSession, event: Event) -> Outcome:
        now = self.services.clock.now()
        if event.event_id is not None:
            # Recorded in its own commit: a retry arriving while we work is dropped, not run twice.
            first = await events.first_sight(db, event.actor.platform, event.event_id, now)
            await db.commit()
            if not first:
                self.services.metrics.duplicates.labels(event.actor.platform).inc()
                return Outcome(duplicate=True)
        actor = event.actor
        member, _created = await members.get_or_create(
            db, actor.platform, actor.tenant, actor.user_id, actor.display_name, actor.timezone, now
        )
        if await identity.refresh(self.services, member, actor, now):
            await db.commit()  # kept even if the handler fails, and seen at once by the next event
        community = await self._community(db, event, member)
        if community is None:
            log.warning("an event arrived but no community is configured; nothing can handle it")
            return Outcome()
        role = await self._role(db, community, member)
        ctx = MemberContext(
            services=self.services, db=db, community=community, member=member, actor=actor, event=event, role=role
        )
        outcome = Outcome(context=ctx)
        try:
            await self._route(ctx, event, outcome)
            await db.commit()
        except Answer as e:
            await db.rollback()
            await ctx.reply(e.text)
        except Exception:
            await db.rollback()
            ref = uuid.uuid4().hex[:8]
            log.exception("handling %s failed (ref %s)", type(event).__name__, ref)
            self.services.metrics.errors.labels(type(event).__name__).inc()
            await ctx.reply(
                _("Sorry, something went wrong on my side. It has been logged (ref {ref}).").format(ref=ref)
            )
        return outcome

    async def _route(self, ctx: MemberContext, event: Event, outcome: Outcome) -> None:
        match event:
            case CommandInvoked():
                await self._command(ctx, event)
            case MessagePosted(place=place) if place.direct:
                await self._direct_message(ctx, event)
            case ActionClicked():
                await self._action(ctx, event)
            case FormSubmitted():
                outcome.form_errors = await self._form(ctx, event)
        for handler in self.services.registry.event_handlers(event):
            await handler(ctx, event)

    async def _command(self, ctx: MemberContext, event: CommandInvoked) -> None:
        if len(event.text) + len(event.name) > MAX_INPUT:
            raise Answer(_("That is too long: commands take at most {limit} characters.").format(limit=MAX_INPUT))
        registry = self.services.registry
        line = f"{event.name} {event.text}".strip() or "help"
        resolved = registry.resolve(line)
        command = resolved.command
        if command is None:
            if resolved.group is not None:
                raise Answer(group_usage(registry, resolved.group, ctx.role, resolved.rest))
            raise Answer(unknown_verb(registry, line.split()[0], ctx.role))
        if command.role is not None:
            if ctx.role is None:
                raise Answer(_("Join the community first: type /cop join."))
            if ctx.role < command.role:
                raise Answer(needs_role(command.role))
        try:
            await command.handler(ctx, resolved.rest)
        except UsageError as e:
            raise Answer(f"{e.text}\n{usage_line(command)}") from None
        await ctx.record("command", command.verb)

    async def _direct_message(self, ctx: MemberContext, event: MessagePosted) -> None:
        current = await conversations.current(ctx.db, ctx.member.id, event.actor.platform)
        if len(event.text) > MAX_INPUT:
            raise Answer(_("That is too long: I read at most {limit} characters.").format(limit=MAX_INPUT))
        if current is not None and not current.native:
            await conversation.answer(ctx, current, event.text)
            return
        await ctx.reply(_("I answer commands: try `/cop help`."))

    async def _action(self, ctx: MemberContext, event: ActionClicked) -> None:
        handler = self.services.registry.actions.get(event.action_id)
        if handler is None:
            raise Answer(_("That button no longer does anything."))
        await handler(ctx, event.value)

    async def _form(self, ctx: MemberContext, event: FormSubmitted) -> dict[str, str]:
        """A native form came back whole: check it against the form that was opened, then hand it over."""
        handler = self.services.registry.forms.get(event.form_id)
        if handler is None:
            raise Answer(_("That form is no longer in use."))
        opened = await conversations.current(ctx.db, ctx.member.id, event.actor.platform)
        if opened is None or opened.form.get("form_id") != event.form_id:
            raise Answer(_("That form has expired; please open it again."))
        form = Form.from_json(opened.form)
        values, errors = check_submission(form, event.values, ctx.timezone, ctx.now)
        if errors:
            return errors
        ctx.form_state = form.state
        try:
            async with ctx.db.begin_nested():
                await handler(ctx, typed_values(form, values))
        except FormErrors as e:
            return e.errors
        await conversations.finish(ctx.db, opened)
        return {}

    async def _community(self, db: AsyncSession, event: Event, member: Member) -> Community | None:
        place = event.place
        if not place.direct:
            found = await communities.for_channel(db, place.platform, place.tenant, place.channel)
            if found is not None:
                return found
        mine = await communities.active_communities(db, member)
        if mine:
            return mine[0]
        everything = await communities.all_communities(db)
        return everything[0] if everything else None

    async def _role(self, db: AsyncSession, community: Community, member: Member) -> Role | None:
        """The member's role; configured first coordinators become coordinators on first contact."""
        membership = await communities.membership(db, community, member)
        if membership is None and self._configured_coordinator(community, member):
            membership, _changed = await communities.join(db, community, member, self.services.clock.now())
            await communities.set_role(db, membership, Role.COORDINATOR)
        if membership is None or membership.left_at is not None:
            return None
        return Role(membership.role)

    def _configured_coordinator(self, community: Community, member: Member) -> bool:
        wanted = self.services.first_coordinators.get(
            community.slug, frozenset()
        ) | self.services.first_coordinators.get("*", frozenset())
        return any(f"{i.platform}:{i.user_id}" in wanted or i.user_id in wanted for i in member.identities)
