"""The web pages as a routine (a plug-in: entry point `cultivate.routines: web`): `/cop web` sends a one-time sign-in
link privately, `/cop web signout` ends every web session, and the pages are mounted by `cultivate serve` under
/c/<community>/."""

from __future__ import annotations

from bot.context import MemberContext
from bot.errors import Answer
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from storage import web_sessions
from web.app import PAGES, build
from web.links import sign_in_address, sign_in_token

routine = Routine("web")
routine.site(PAGES, build)
routine.group("web", help=N_("The community's web pages: sign in from here"))


@routine.command(
    "web",
    usage=N_("web"),
    help=N_("Get a private one-time link to the community's web pages"),
    example="web",
    default=True,
)
async def web_link(ctx: MemberContext, text: str) -> None:
    settings = ctx.services.settings
    if not settings.secret_key:
        raise Answer(
            _(
                "The web pages are not set up here: whoever runs Cultivate sets CULTIVATE_SECRET_KEY and "
                "CULTIVATE_PUBLIC_URL (or starts the console with --web)."
            )
        )
    nonce = await web_sessions.issue_link(ctx.db, ctx.member.id, ctx.community.id, ctx.now)
    token = sign_in_token(settings.secret_key, nonce, ctx.member.id, ctx.community.id)
    minutes = int(web_sessions.LINK_LIFETIME.total_seconds() // 60)
    link = sign_in_address(settings.web_address, ctx.community.slug, token)
    sent = await ctx.dm(
        ctx.member,
        Message(
            _("Your sign-in link to {name}'s web pages:").format(name=ctx.community.name),
            sections=(Section(link),),
            footer=_("It works once, within {minutes} minutes, and only for you. Never share it.").format(
                minutes=minutes
            ),
        ),
    )
    if not sent:
        raise Answer(_("I cannot reach you in a direct message, so I cannot send you a sign-in link."))
    if not ctx.event.place.direct:
        await ctx.reply(_("I sent you a sign-in link in a direct message."))


@routine.command(
    "web signout",
    usage=N_("web signout"),
    help=N_("Sign out of the web pages on every device"),
    example="web signout",
)
async def web_signout(ctx: MemberContext, text: str) -> None:
    closed = await web_sessions.close_all(ctx.db, ctx.member.id)
    await ctx.reply(
        ngettext(
            "Signed out of the web pages everywhere ({n} session closed).",
            "Signed out of the web pages everywhere ({n} sessions closed).",
            closed,
        ).format(n=closed)
    )
