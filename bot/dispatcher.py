"""Route each inbound event to the routine that handles it, once, and turn member mistakes into answers."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation, identity
from bot.answers import check_submission, typed_values
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.events import ActionClicked, CommandInvoked, Event, FormSubmitted, MessagePosted
from bot.forms import Form, FormErrors
from bot.help import group_usage, needs_role, unknown_verb, usage_line
from bot.i18n import _, reading
from bot.languages import language_for
from bot.services import Services
from bot.text import MAX_INPUT
from storage import communities, conversations, journal, members
from storage.models import Community, InboundEntry, Member, Role

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What became of an event; adapters use it to answer their platform (e.g. inline form errors)."""

    duplicate: bool = False
    form_errors: dict[str, str] = field(default_factory=dict)
    # A native form's submission was taken by its routine (the adapter may close the form).
    form_accepted: bool = False


def _transient(error: BaseException) -> bool:
    """A database that went away mid-handling: the event is handed back and handled again, not answered "sorry"."""
    return isinstance(error, (OperationalError, InterfaceError, OSError)) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


class Dispatcher:
    """Handles one journaled event in one transaction: everything it says is queued in that same transaction, and
    the entry is marked handled in it too, so it either happens whole, once, or not at all."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def handle(self, event: Event, entry: InboundEntry) -> Outcome:
        kind = type(event).__name__
        self.services.metrics.events.labels(event.actor.platform, kind).inc()
        started = time.perf_counter()
        try:
            member_id = await self._member(event)
            async with self.services.sessions() as db:
                outcome, ctx = await self._handle(db, event, entry, member_id)
            if ctx is not None:
                self.services.queued.set()
                with ctx.language_of(ctx.member):
                    await ctx.run_effects()
            return outcome
        finally:
            self.services.metrics.handler_seconds.labels(kind).observe(time.perf_counter() - started)

    async def _member(self, event: Event) -> int:
        """The member behind the actor (created on first contact), with the name and timezone their platform
        gives, re-read when old — asked of the platform with no transaction open."""
        actor, now = event.actor, self.services.clock.now()
        async with self.services.sessions() as db:
            member, _created = await members.get_or_create(
                db, actor.platform, actor.tenant, actor.user_id, actor.display_name, actor.timezone, now
            )
            await db.commit()
            refreshed = await identity.refresh(self.services, member, actor, now)
            if actor.locale and member.platform_locale != actor.locale[:16]:
                member.platform_locale = actor.locale[:16]  # Teams says it on every activity
                refreshed = True
            if refreshed:
                await db.commit()
            return member.id

    async def _handle(
        self, db: AsyncSession, event: Event, entry: InboundEntry, member_id: int
    ) -> tuple[Outcome, MemberContext | None]:
        now = self.services.clock.now()
        if not await journal.finish(db, entry, now):
            await db.rollback()  # another worker took it over after our lease ran out: it answers, not us
            return Outcome(duplicate=True), None
        member = await members.by_id(db, member_id)
        assert member is not None
        community = await self._community(db, event, member)
        if community is None:
            log.warning("an event arrived but no community is configured; nothing can handle it")
            await db.commit()
            return Outcome(), None
        role = await self._role(db, community, member)
        ctx = MemberContext(
            services=self.services,
            db=db,
            community=community,
            member=member,
            actor=event.actor,
            event=event,
            role=role,
            origin=f"event:{entry.id}",
        )
        # Everything the caller is answered is written in their language; handlers switch for other readers.
        with reading(language_for(member, community)):
            return await self._answer(db, ctx, event)

    async def _answer(self, db: AsyncSession, ctx: MemberContext, event: Event) -> tuple[Outcome, MemberContext]:
        outcome = Outcome()
        try:
            async with ctx.savepoint():
                await self._route(ctx, event, outcome)
        except Answer as e:
            ctx.forget_effects()
            await ctx.reply(e.text)
        except Exception as e:
            if _transient(e):
                raise
            ctx.forget_effects()
            ref = uuid.uuid4().hex[:8]
            log.exception("handling %s failed (ref %s)", type(event).__name__, ref)
            self.services.metrics.errors.labels(type(event).__name__).inc()
            await ctx.reply(
                _("Sorry, something went wrong on my side. It has been logged (ref {ref}).").format(ref=ref)
            )
        await db.commit()
        return outcome, ctx

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
                outcome.form_accepted = not outcome.form_errors
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
            async with ctx.savepoint():
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
