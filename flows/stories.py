"""Stories of value: what the community made possible, told by members, shown only as far as each teller allows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot import arguments
from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import MAX_ID, content, shorten
from flows import story_export
from flows.participation import contributed
from storage import campaigns, knowledge, members, stories
from storage.models import Act, Consent, Role, Story, ValueCycle

routine = Routine("stories")
routine.export("stories", help=N_("Stories told, as far as each teller's consent allows"))(story_export.export)
FORM_ID = "story"
CONSENT_LABELS = {
    Consent.COORDINATORS: N_("Coordinators only"),
    Consent.COMMUNITY: N_("The community"),
    Consent.PUBLIC_ANONYMOUS: N_("Public, without my name"),
    Consent.PUBLIC_NAMED: N_("Public, with my name"),
}
# The value-creation cycles of Wenger, Trayner and de Laat (2011), in the teller's words.
CYCLE_LABELS = {
    ValueCycle.IMMEDIATE: N_("Immediate: an activity helped me (a conversation, an answer)"),
    ValueCycle.POTENTIAL: N_("Potential: I gained knowledge, skills or contacts I can use"),
    ValueCycle.APPLIED: N_("Applied: I changed how I work"),
    ValueCycle.REALISED: N_("Realised: results improved (time, money, quality, reach)"),
    ValueCycle.REFRAMING: N_("Reframing: it changed what we count as success"),
}
FIXED_HELP = (
    ("discussion", N_("A discussion")),
    ("webinar", N_("A webinar")),
    ("person", N_("A person in the community")),
)


def story_form(recent: list[tuple[str, str]], state: dict[str, Any] | None = None) -> Form:
    helped = tuple(Choice(v, label) for v, label in recent) + tuple(Choice(v, _(label)) for v, label in FIXED_HELP)
    return Form(
        FORM_ID,
        _("Tell a story"),
        (
            FormField(
                "situation",
                _("What was the situation?"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                help=_("What you were facing, in a sentence or two."),
            ),
            FormField(
                "helped",
                _("What from the community helped?"),
                FieldKind.MULTI_SELECT,
                choices=helped,
                allow_other=True,
                help=_("So we know which routines are worth keeping."),
            ),
            FormField(
                "outcome",
                _("What was the outcome?"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                help=_("What changed because of it."),
            ),
            FormField(
                "cycle",
                _("Which kind of value does it show?"),
                FieldKind.SINGLE_SELECT,
                required=False,
                choices=tuple(Choice(c.value, _(label)) for c, label in CYCLE_LABELS.items()),
                help=_("The one that fits best; skip if you are not sure."),
            ),
            FormField(
                "value",
                _("What was it worth?"),
                required=False,
                max_length=300,
                help=_("In words, e.g. 'two days instead of two weeks'."),
            ),
            FormField(
                "value_number",
                _("As a number"),
                FieldKind.NUMBER,
                required=False,
                minimum=0,
                decimals=True,
                help=_("Only the number, e.g. 8 — the unit comes next."),
            ),
            FormField(
                "value_unit",
                _("Unit of that number"),
                required=False,
                max_length=40,
                help=_("e.g. hours saved, dollars, people reached."),
            ),
            FormField(
                "consent",
                _("Who may see this story?"),
                FieldKind.SINGLE_SELECT,
                choices=tuple(Choice(c.value, _(label)) for c, label in CONSENT_LABELS.items()),
                help=_("You can narrow this later with /cop story consent <id> <choice>; the narrower choice wins."),
            ),
        ),
        intro=_("Stories are the evidence that the community matters. Yours is only shown as far as you allow."),
        state=state or {},
    )


@routine.command(
    "story",
    usage=N_("story"),
    help=N_("Tell a story of what the community made possible"),
    example="story",
)
async def story(ctx: MemberContext, text: str) -> None:
    if text.strip():
        raise UsageError(_("`/cop story` opens the form; `/cop story consent <id> <choice>` changes who may see one."))
    recent = [
        (f"assist:{r.id}", _("Peer assist #{id}: {q}").format(id=r.id, q=shorten(r.question, 60)))
        for r in await stories.recent_help(ctx.db, ctx.member.id, ctx.now - timedelta(days=120))
    ]
    await ctx.open_form(story_form(recent))


@routine.command(
    "story consent",
    usage=N_("story consent <id> coordinators|community|public_anonymous|public_named"),
    help=N_("Change who may see a story you told"),
    example="story consent 3 community",
)
async def story_consent(ctx: MemberContext, text: str) -> None:
    usage = _("Say which story and who may see it.")
    number, rest = arguments.number(text, missing=usage)
    if rest.strip().casefold() not in {c.value for c in Consent}:
        raise UsageError(usage)
    consent = Consent(rest.strip().casefold())
    record = await stories.by_id(ctx.db, number) if number <= MAX_ID else None
    if record is None or record.community_id != ctx.community.id or record.teller_id != ctx.member.id:
        raise Answer(_("You have no story #{id} here.").format(id=number))
    record.consent = consent
    record.updated_at = ctx.now
    await _sync_library(ctx, record)
    await ctx.reply(
        _("Done: story #{id} may now be seen by: {consent}. This applies everywhere, now.").format(
            id=record.id, consent=_(CONSENT_LABELS[Consent(record.consent)])
        )
    )


@routine.form(FORM_ID)
async def told(ctx: MemberContext, values: dict[str, Any]) -> None:
    community, teller = ctx.community, ctx.member
    # Checked when given (bot.answers): finite and not negative, so no "inf days saved" reaches a report.
    number = float(values["value_number"]) if values.get("value_number") is not None else None
    record = await stories.tell(
        ctx.db,
        community_id=community.id,
        teller_id=teller.id,
        situation=values["situation"],
        helped=list(values["helped"]),
        outcome=values["outcome"],
        value=values.get("value") or "",
        value_number=number,
        value_unit=values.get("value_unit"),
        consent=values["consent"],
        value_cycle=values.get("cycle") or None,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    await _sync_library(ctx, record)
    await contributed(ctx, Act.STORY, record.id)
    round_ = await campaigns.round_by_id(ctx.db, int(ctx.form_state["round"])) if ctx.form_state.get("round") else None
    if round_ is not None:
        invitation = await campaigns.answered(ctx.db, round_, teller.id, ctx.now)
        if invitation is not None and invitation.responded_at == ctx.now:
            await contributed(ctx, Act.CAMPAIGN, round_.id)
    await ctx.reply(
        _("Thank you — story #{id} is kept. Who may see it: {consent}.").format(
            id=record.id, consent=_(CONSENT_LABELS[Consent(record.consent)])
        )
    )


async def _sync_library(ctx: MemberContext, record: Story) -> None:
    """The library holds a story only while its consent reaches the community; anonymous stays anonymous."""
    existing = await knowledge.by_id(ctx.db, record.knowledge_item_id) if record.knowledge_item_id else None
    if record.consent == Consent.COORDINATORS:
        if existing is not None:
            record.knowledge_item_id = None
            await knowledge.remove(ctx.db, existing)
        return
    teller = await members.by_id(ctx.db, record.teller_id)
    anonymous = record.consent == Consent.PUBLIC_ANONYMOUS
    by = _("anonymous") if anonymous or teller is None else teller.called
    body = "\n".join(
        filter(
            None,
            [
                record.situation,
                _("Outcome: {o}").format(o=record.outcome),
                _("Value: {v}").format(v=_value(record)) if _value(record) else "",
                _("Told by {by}").format(by=by),
            ],
        )
    )
    title = _("Story: {outcome}").format(outcome=shorten(record.outcome, 120))
    if existing is not None:
        existing.title, existing.body = title, body
        existing.added_by = None if anonymous else record.teller_id
        return
    item = await knowledge.keep(
        ctx.db,
        community_id=record.community_id,
        kind="story",
        title=title,
        body=body,
        tags=[],
        source=f"story:{record.id}",
        added_by=None if anonymous else record.teller_id,
        now=ctx.now,
    )
    record.knowledge_item_id = item.id


def _value(record: Story) -> str:
    number = f"{record.value_number:g} {record.value_unit or ''}".strip() if record.value_number is not None else ""
    return "; ".join(filter(None, [record.value, number]))


@routine.command(
    "stories",
    usage=N_("stories [page]"),
    help=N_("Recent stories you may read; coordinators run story campaigns"),
    example="stories",
)
async def list_stories(ctx: MemberContext, text: str) -> None:
    community, viewer = ctx.community, ctx.member
    page = arguments.parse_id(text) or 1 if text.strip() else 1
    coordinator = ctx.has_role(Role.COORDINATOR)
    rows = await stories.visible(
        ctx.db, community.id, viewer_id=viewer.id, coordinator=coordinator, limit=6, offset=(page - 1) * 5
    )
    if not rows:
        raise Answer(_("No stories yet. Tell one with `/cop story`.") if page == 1 else _("No more stories."))
    lines = []
    for record in rows[:5]:
        teller = await members.by_id(ctx.db, record.teller_id)
        hidden = record.consent == Consent.PUBLIC_ANONYMOUS and not coordinator and record.teller_id != viewer.id
        name = _("Anonymous") if hidden or teller is None else content(teller.called)
        lines.append(
            _("- #{id} {name}: {outcome}{value} ({consent})").format(
                id=record.id,
                name=name,
                outcome=content(shorten(record.outcome, 120)),
                value=f" — {content(_value(record))}" if _value(record) else "",
                consent=_(CONSENT_LABELS[Consent(record.consent)]),
            )
        )
    footer = _("More: /cop stories {n}").format(n=page + 1) if len(rows) > 5 else ""
    await ctx.reply(
        Message(
            _("Stories from *{name}*:").format(name=community.name),
            sections=(Section("\n".join(lines)),),
            footer=footer,
        ),
        private=True,
    )
