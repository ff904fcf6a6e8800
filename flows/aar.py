"""After Action Reviews: what we expected, what happened, why it differed, what we keep or change — kept as lessons."""

from __future__ import annotations

from typing import Any

from bot.context import MemberContext
from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import N_, _
from bot.registry import Routine
from bot.text import shorten
from flows.participation import contributed
from storage import knowledge
from storage.models import Act

routine = Routine("aar")
FORM_ID = "aar"


def review_form(topics: list[str], about: str) -> Form:
    return Form(
        FORM_ID,
        _("After Action Review"),
        (
            FormField(
                "about",
                _("What are we reviewing?"),
                max_length=200,
                initial=about or None,
                help=_("An event, a project, a webinar — named so others can find it."),
            ),
            FormField(
                "expected",
                _("What did we expect to happen?"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                help=_("The plan or the hope, before it started."),
            ),
            FormField(
                "happened",
                _("What actually happened?"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                help=_("Facts, not judgements."),
            ),
            FormField(
                "why",
                _("Why was there a difference?"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=1500,
                help=_("Causes, as far as we can tell."),
            ),
            FormField(
                "keep_change",
                _("What will we keep doing, and what will we change?"),
                FieldKind.LONG_TEXT,
                max_length=1500,
                help=_("The lesson: what the next team should know."),
            ),
            FormField(
                "tags",
                _("Tags"),
                FieldKind.MULTI_SELECT,
                required=False,
                allow_other=True,
                choices=tuple(Choice(t, t) for t in topics),
                help=_("So the review is found by topic."),
            ),
        ),
        intro=_("A few questions, a few minutes. The review is kept in the library as a lesson."),
    )


@routine.command(
    "aar",
    usage=N_("aar [what we are reviewing]"),
    help=N_("Hold an After Action Review"),
    example="aar March webinar on alerting",
)
async def aar(ctx: MemberContext, text: str) -> None:
    await ctx.open_form(review_form(list(ctx.community.topics), text.strip()))


@routine.form(FORM_ID)
async def reviewed(ctx: MemberContext, values: dict[str, Any]) -> None:
    community, member = ctx.community, ctx.member
    sections = [
        (_("Expected"), values["expected"]),
        (_("What happened"), values["happened"]),
        (_("Why it differed"), values.get("why")),
        (_("Keep or change"), values["keep_change"]),
    ]
    body = "\n".join(f"{label}: {text}" for label, text in sections if text)
    item = await knowledge.keep(
        ctx.db,
        community_id=community.id,
        kind="lesson",
        title=_("AAR: {about}").format(about=shorten(values["about"], 200)),
        body=body,
        tags=[t.casefold() for t in values.get("tags") or []],
        source=f"aar:{member.id}",
        added_by=member.id,
        now=ctx.now,
    )
    await contributed(ctx, Act.LIBRARY, item.id)
    await ctx.reply(
        _("Thank you. The review is kept in the library as #{id}; `/cop library search` finds it.").format(id=item.id)
    )
