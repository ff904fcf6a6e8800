"""After a webinar: the recording and slides shared and kept, one feedback question to those who came, and an
After Action Review asked of the presenters."""

from __future__ import annotations

from bot.arguments import parse_id
from bot.context import MemberContext
from bot.errors import Answer
from bot.i18n import _, ngettext
from bot.messages import Button, Message
from bot.registry import Routine
from bot.text import content
from flows import aar
from flows import webinar_attendance as attendance
from flows.participation import contributed
from flows.webinar_attendance import presenters_of
from storage import communities, knowledge, members, webinars
from storage.models import Act, Webinar

routine = Routine("webinar-after")
FEEDBACK, REVIEW = "webinar.feedback", "webinar.review"
SCORES = range(1, 6)


async def recording(ctx: MemberContext, session: Webinar, url: str, slides: str | None) -> None:
    first = session.recording_url is None
    session.recording_url = url
    for link, kind in ((url, "video"), (slides, "document")):
        if link and await knowledge.by_url(ctx.db, session.community_id, link) is None:
            title = (_("Recording: {title}") if kind == "video" else _("Slides: {title}")).format(title=session.title)
            item = await knowledge.keep(
                ctx.db,
                community_id=session.community_id,
                kind=kind,
                title=title,
                body=session.description,
                tags=[],
                source=f"webinar:{session.id}",
                added_by=ctx.member.id,
                now=ctx.now,
                url=link,
            )
            await contributed(ctx, Act.LIBRARY, item.id, community_id=session.community_id)
    with ctx.community_language():
        text = _("🎬 The recording of “{title}” is here: {url}").format(title=content(session.title), url=content(url))
        if slides:
            text += "\n" + _("Slides: {url}").format(url=content(slides))
        text += "\n" + _("Questions for the presenters? Ask them in this thread.")
    await ctx.reply_in_threads(session.cards, text)
    if not first:  # a corrected link: shared again, but nobody is asked twice
        await ctx.reply(_("Shared again, and kept in the library."))
        return
    asked = 0
    for member_id in await webinars.attending(ctx.db, session.id):
        if (member := await members.by_id(ctx.db, member_id)) is not None:
            asked += await ctx.dm(member, lambda: _feedback_question(session))
    presenters = await presenters_of(ctx, session) or [ctx.member]
    for presenter in presenters:
        await ctx.dm(
            presenter,
            lambda: Message(
                _(
                    "Thank you for presenting “{title}”. A short After Action "
                    "Review helps the next session: what you expected, "
                    "what happened, what to change. It takes five minutes."
                ).format(title=content(session.title)),
                buttons=(Button(_("Start the review"), REVIEW, str(session.id)),),
            ),
        )
    await ctx.reply(
        _("Shared, and kept in the library.")
        + " "
        + ngettext("{n} attendee was asked for feedback;", "{n} attendees were asked for feedback;", asked).format(
            n=asked
        )
        + " "
        + _("the presenters were asked for a review ({names}).").format(
            names=content(", ".join(p.called for p in presenters))
        )
    )


def _feedback_question(session: Webinar) -> Message:
    return Message(
        _("How useful was “{title}” for your work? 1 = not at all, 5 = very.").format(title=content(session.title)),
        buttons=tuple(Button(str(n), FEEDBACK, f"{session.id}:{n}") for n in SCORES),
    )


@routine.action(FEEDBACK)
async def feedback(ctx: MemberContext, value: str) -> None:
    ident, _sep, score = value.partition(":")
    number = parse_id(ident)
    session = await webinars.by_id(ctx.db, number) if number else None
    if session is None or parse_id(score) not in SCORES:
        raise Answer(_("That webinar is no longer here."))
    previous = await webinars.give_feedback(ctx.db, session.id, ctx.member.id, int(score), ctx.now)
    if previous is None:  # a changed score is not a second act
        await contributed(ctx, Act.FEEDBACK, session.id, community_id=session.community_id)
    await attendance.mark(ctx, session, on_card=False)  # whoever rates a session was there
    # The scores come again with the thanks, so "another number" is there to press.
    again = _feedback_question(session)
    await ctx.reply(
        Message(
            _("Thank you: {n}/5 for “{title}” is noted (press another number to change it).").format(
                n=score, title=content(session.title)
            ),
            buttons=again.buttons,
        )
    )


@routine.action(REVIEW)
async def review(ctx: MemberContext, value: str) -> None:
    number = parse_id(value)
    session = await webinars.by_id(ctx.db, number) if number else None
    if session is None:
        raise Answer(_("That webinar is no longer here."))
    community = await communities.by_id(ctx.db, session.community_id)
    topics = list(community.topics) if community else []
    await ctx.open_form(aar.review_form(topics, _("Webinar: {title}").format(title=session.title)))


async def feedback_report(ctx: MemberContext, session: Webinar) -> None:
    scores = await webinars.feedback(ctx.db, session.id)
    if not scores:
        raise Answer(_("No feedback on webinar #{id} yet.").format(id=session.id))
    average = sum(scores) / len(scores)
    spread = " · ".join(f"{n}: {scores.count(n)}" for n in SCORES)
    await ctx.reply(
        ngettext(
            "Webinar #{id}: {n} answer, average {avg:.1f}/5 ({spread}).",
            "Webinar #{id}: {n} answers, average {avg:.1f}/5 ({spread}).",
            len(scores),
        ).format(id=session.id, n=len(scores), avg=average, spread=spread)
    )
