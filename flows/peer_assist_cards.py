"""What peer assists look like: the request card, the ask to an expert, the forms."""

from __future__ import annotations

from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import _, ngettext
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content, shorten
from storage.models import AssistRequest, AssistStatus, Community, Member

OFFER, FOLLOW, RESOLVE = "assist.offer", "assist.follow", "assist.resolve"
NEW_FORM, RESOLVED_FORM = "assist.new", "assist.resolved"


def ask_form(community: Community) -> Form:
    return Form(
        NEW_FORM,
        _("Ask your peers"),
        (
            FormField(
                "question",
                _("What do you need help with?"),
                FieldKind.LONG_TEXT,
                max_length=500,
                help=_("One or two sentences; people decide from this whether they can help."),
            ),
            FormField(
                "context",
                _("Context"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=1500,
                help=_("What you tried, and what you are working with."),
            ),
            FormField(
                "topics",
                _("Topics"),
                FieldKind.MULTI_SELECT,
                required=False,
                allow_other=True,
                choices=tuple(Choice(t, t) for t in community.topics),
                help=_("So I can ask the right people."),
            ),
            FormField(
                "needed_by",
                _("Needed by"),
                FieldKind.DATE,
                required=False,
                future=True,
                help=_("If there is a deadline: a day such as 2026-03-20, “friday” or “in two weeks”."),
            ),
        ),
        intro=_("I will post it in *{name}* and ask up to five members who know the topic.").format(
            name=community.name
        ),
    )


def resolved_form(request: AssistRequest, helpers: list[Member]) -> Form:
    choices = tuple(Choice(str(m.id), m.called) for m in helpers[:20])
    fields = []
    if choices:
        fields.append(
            FormField(
                "helpers",
                _("Who helped?"),
                FieldKind.MULTI_SELECT,
                required=False,
                choices=choices,
                help=_("They will be thanked and credited."),
            )
        )
    fields.append(
        FormField(
            "what_worked",
            _("What worked, in one line?"),
            max_length=300,
            help=_("Kept in the community's library for the next person with this problem."),
        )
    )
    return Form(
        RESOLVED_FORM, _("Close request #{id}").format(id=request.id), tuple(fields), state={"request": request.id}
    )


def card(request: AssistRequest, asker: Member, offers: int) -> Message:
    facts = []
    if request.topics:
        facts.append(_("Topics: {topics}").format(topics=content(", ".join(request.topics))))
    if request.needed_by:
        facts.append(_("Needed by {day}").format(day=request.needed_by))
    lines = [content(request.context)] if request.context else []
    lines.append(" · ".join(facts)) if facts else None
    if request.status == AssistStatus.RESOLVED:
        return Message(
            _("✅ Resolved — {name} asked: {question}").format(
                name=content(asker.called), question=content(request.question)
            ),
            sections=(Section("\n".join(lines)),),
            footer=_("Request #{id} · what worked: {worked}").format(
                id=request.id, worked=content(request.what_worked or "")
            ),
        )
    if request.status == AssistStatus.CANCELLED:
        return Message(
            _("Withdrawn — {name} asked: {question}").format(
                name=content(asker.called), question=content(request.question)
            ),
            footer=_("Request #{id} was withdrawn by the asker.").format(id=request.id),
        )
    return Message(
        _("🙋 *{name} asks:* {question}").format(name=content(asker.called), question=content(request.question)),
        sections=(Section("\n".join(lines)),),
        buttons=(
            Button(_("I can help"), OFFER, str(request.id), ButtonStyle.PRIMARY),
            Button(_("Follow"), FOLLOW, str(request.id)),
            Button(_("Resolved"), RESOLVE, str(request.id)),
        ),
        footer=ngettext(
            "Request #{id} · {n} offer so far · answers go in this thread",
            "Request #{id} · {n} offers so far · answers go in this thread",
            offers,
        ).format(id=request.id, n=offers),
    )


def ask_expert(request: AssistRequest, asker: Member, reason: str) -> Message:
    return Message(
        _("{name} could use your help: “{question}”\nI thought of you because you {reason}.").format(
            name=content(asker.called), question=content(shorten(request.question, 300)), reason=content(reason)
        ),
        buttons=(Button(_("I can help"), OFFER, str(request.id), ButtonStyle.PRIMARY),),
        footer=_("Request #{id} · not for you? No need to answer. /cop ask optout stops these.").format(id=request.id),
    )


def close_nudge(request: AssistRequest) -> Message:
    return Message(
        _("A week on: did request #{id} get resolved? Press Resolved to thank who helped and keep what worked.").format(
            id=request.id
        ),
        buttons=(Button(_("Resolved"), RESOLVE, str(request.id), ButtonStyle.PRIMARY),),
        footer=_("Or withdraw it: /cop ask cancel {id}").format(id=request.id),
    )
