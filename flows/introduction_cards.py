"""What introductions look like: the form, the card in the home channel, the welcome and the nudges."""

from __future__ import annotations

from typing import Any

from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import _, available_languages, ngettext
from bot.languages import language_name
from bot.messages import Button, ButtonStyle, Fact, Message, Section
from bot.text import content
from storage.models import Community, Member

FORM_ID = "intro"
START = "intro.start"
WELCOME = "intro.welcome"
CONNECT = "intro.connect"


def form(community: Community, member: Member, editing: bool) -> Form:
    """Few required fields; each says why it is asked. Prefilled from what we already know."""
    profile: dict[str, Any] = member.profile or {}
    topics = tuple(Choice(t, t) for t in community.topics)
    fields = [
        FormField(
            "name",
            _("How should we call you?"),
            help=_("So people greet you the way you like."),
            initial=member.called,
            max_length=80,
        ),
        FormField(
            "role",
            _("Your role and organisation"),
            required=False,
            max_length=150,
            help=_("So others know where you work from."),
            initial=profile.get("role"),
        ),
        FormField(
            "location",
            _("Where are you based?"),
            required=False,
            max_length=100,
            help=_("Helps people meet across countries."),
            initial=profile.get("location"),
        ),
        FormField(
            "timezone",
            _("Your timezone (Area/City)"),
            FieldKind.TIMEZONE,
            required=False,
            max_length=64,
            help=_("So reminders reach you in your daytime."),
            initial=member.timezone or community.timezone,
        ),
        FormField(
            "language",
            _("Which language should I write to you in?"),
            FieldKind.SINGLE_SELECT,
            required=False,
            choices=tuple(Choice(code, language_name(code)) for code in available_languages()),
            help=_("Posts in the community's channels stay in its own language."),
            initial=member.language,
        ),
        FormField(
            "expertise",
            _("Areas of expertise"),
            FieldKind.MULTI_SELECT,
            required=False,
            choices=topics,
            allow_other=True,
            help=_("People with questions on these will find you; add your own words too."),
        ),
        FormField(
            "learn",
            _("What do you hope to learn?"),
            FieldKind.LONG_TEXT,
            required=False,
            max_length=500,
            help=_("So we can connect you with people who know."),
            initial=profile.get("learn"),
        ),
        FormField(
            "offer",
            _("What can you offer others?"),
            FieldKind.LONG_TEXT,
            required=False,
            max_length=500,
            help=_("So people who need it can find you."),
            initial=profile.get("offer"),
        ),
        FormField(
            "link",
            _("A link"),
            FieldKind.WEB_ADDRESS,
            required=False,
            max_length=300,
            help=_("A profile or project page, if you like."),
            initial=profile.get("link"),
        ),
    ]
    if editing:
        fields.append(
            FormField(
                "repost",
                _("Post the updated introduction in the channel again?"),
                FieldKind.SINGLE_SELECT,
                choices=(Choice("no", _("No, just save it")), Choice("yes", _("Yes, post it again"))),
                help=_("Your profile is updated either way."),
            )
        )
    return Form(
        FORM_ID,
        _("Introduce yourself"),
        tuple(fields),
        state={"community": community.id},
        intro=_("Tell *{name}* who you are. Only the first question is required.").format(name=community.name),
    )


def card(member: Member, welcomes: int, intro_id: int) -> Message:
    profile = member.profile or {}
    name = content(member.called)
    facts = [
        Fact(label, content(value if isinstance(value, str) else ", ".join(value)))
        for label, value in (
            (_("Role"), profile.get("role")),
            (_("Based in"), profile.get("location")),
            (_("Expertise"), profile.get("expertise")),
            (_("Hopes to learn"), profile.get("learn")),
            (_("Can offer"), profile.get("offer")),
            (_("Link"), profile.get("link")),
        )
        if value
    ]
    footer = _("Welcomed by {n}").format(n=welcomes) if welcomes else _("Be the first to welcome them.")
    return Message(
        _("👋 Please welcome *{name}*").format(name=name),
        sections=(Section(facts=tuple(facts)),),
        buttons=(
            Button(_("Welcome"), WELCOME, str(intro_id), ButtonStyle.PRIMARY),
            Button(_("Connect"), CONNECT, str(member.id)),
        ),
        footer=footer,
    )


def welcome_dm(community: Community, member: Member) -> Message:
    return Message(
        _(
            "Welcome to *{community}*, {name}! {domain}\nWould you introduce yourself? It takes two minutes and helps "
            "people who share your interests find you."
        ).format(community=content(community.name), name=content(member.called), domain=content(community.domain)),
        buttons=(Button(_("Introduce myself"), START, str(community.id), ButtonStyle.PRIMARY),),
        footer=_("Or type /cop intro any time; /cop intro skip if you would rather not."),
    )


def channel_welcome(newcomers: list[Member]) -> Message:
    names = [content(m.called) for m in newcomers]
    shown = ", ".join(names[:10]) + (_(" and {n} more").format(n=len(names) - 10) if len(names) > 10 else "")
    return Message(
        ngettext(
            "🌱 Please welcome our new member: {names}!", "🌱 Please welcome our {n} new members: {names}!", len(names)
        ).format(n=len(names), names=shown),
        footer=_("Their introductions will follow here when they post them."),
    )


def nudge(community: Community, member: Member, last: bool) -> Message:
    text = (
        _(
            "Last reminder, {name}: members of *{community}* would love to "
            "know who you are. This is the last time I ask."
        )
        if last
        else _("Hello {name}, a gentle reminder: introducing yourself to *{community}* helps people find you.")
    ).format(name=content(member.called), community=content(community.name))
    return Message(
        text,
        buttons=(Button(_("Introduce myself"), START, str(community.id), ButtonStyle.PRIMARY),),
        footer=_("Not for you? /cop intro skip and I will stop asking."),
    )
