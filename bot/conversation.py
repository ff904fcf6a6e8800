"""Asking a form field by field in a direct conversation: numbered choices, skip, back, cancel, resume."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from bot.answers import InvalidAnswer, parse_answer, read_datetime, typed_values
from bot.forms import FieldKind, Form, FormErrors, FormField
from bot.i18n import _, local_time, ngettext
from bot.messages import Message
from bot.text import content
from storage import conversations
from storage.models import Conversation

if TYPE_CHECKING:
    from bot.context import MemberContext

CANCEL = {"cancel", "stop", "quit"}
BACK = {"back", "previous"}
SKIP = {"skip", "-", "none"}
KEEP = {"keep", "same"}
HELP = {"help", "?"}


async def start(ctx: MemberContext, form: Form) -> None:
    """Begin asking `form` in the caller's direct conversation with the bot (replacing an unfinished one)."""
    conversation, replaced = await conversations.start(
        ctx.db, ctx.member.id, ctx.actor.platform, ctx.community.id, form.to_json(), ctx.now
    )
    lines = []
    if replaced is not None:
        lines.append(_("(I put aside your unfinished “{title}”.)").format(title=replaced.form["title"]))
    lines.append(f"*{form.title}*")
    if form.intro:
        lines.append(form.intro)
    lines.append(
        ngettext(
            "One question. Answer it in a message here. Say *skip* to leave it empty if it is optional, "
            "*cancel* to stop.",
            "{n} questions. Answer each in a message here. Say *skip* to leave an optional one empty, "
            "*back* to change the previous answer, *cancel* to stop.",
            len(form.fields),
        ).format(n=len(form.fields))
    )
    if not ctx.event.place.direct:
        await ctx.reply(_("I have sent you a direct message to fill in “{title}”.").format(title=form.title))
    await _say(ctx, Message("\n".join(lines)))
    await _ask(ctx, form, conversation.position, conversation.answers)


async def answer(ctx: MemberContext, conversation: Conversation, text: str) -> None:
    """Take the member's reply to the current question and move on, back, or out."""
    form = Form.from_json(conversation.form)
    position = min(conversation.position, len(form.fields) - 1)
    field = form.fields[position]
    answers: dict[str, Any] = dict(conversation.answers)
    word = text.strip().casefold()
    note = ""

    if word in CANCEL:
        await conversations.finish(ctx.db, conversation)
        await _say(ctx, Message(_("Cancelled: nothing from “{title}” was saved.").format(title=form.title)))
        return
    if word in HELP:
        await _ask(ctx, form, position, answers, hint=True)
        return
    if word in BACK:
        position = max(0, position - 1)
        await conversations.save(ctx.db, conversation, answers, position, ctx.now)
        await _ask(ctx, form, position, answers)
        return
    if word in SKIP:
        if field.required:
            await _ask(ctx, form, position, answers, error=_("This one is required, so it cannot be skipped."))
            return
        answers[field.name] = None
    elif word in KEEP and field.name in answers:
        pass  # already answered on an earlier pass (back, or a refused submission)
    elif word in KEEP and field.initial is not None:
        answers[field.name] = parse_answer(field, field.initial, ctx.timezone, ctx.now)
    elif word in KEEP and not field.required:
        answers[field.name] = None  # nothing to keep: it stays empty
    else:
        try:
            answers[field.name] = parse_answer(field, text, ctx.timezone, ctx.now)
        except InvalidAnswer as e:
            await _ask(ctx, form, position, answers, error=str(e))
            return
        if field.kind is FieldKind.DATETIME:
            # Words like "next Tuesday 9:00" are read back, so a surprise is caught while it is cheap to fix.
            moment = read_datetime(answers[field.name])
            note = _("Read as {when}.").format(when=local_time(moment, str(moment.tzinfo)))
        elif field.kind is FieldKind.TIMEZONE and answers[field.name] != text.strip():
            # A city understood as a zone is said back, so a wrong guess is one "back" away.
            note = _("Read as the timezone {zone}; say back to change it.").format(zone=answers[field.name])
        elif field.kind is FieldKind.DATE and answers[field.name] != text.strip():
            note = _("Read as {day}.").format(day=f"{date.fromisoformat(answers[field.name]):%a %-d %b %Y}")

    position += 1
    if position < len(form.fields):
        await conversations.save(ctx.db, conversation, answers, position, ctx.now)
        await _ask(ctx, form, position, answers, note=note)
        return
    await _submit(ctx, conversation, form, answers)


async def _submit(ctx: MemberContext, conversation: Conversation, form: Form, answers: dict[str, Any]) -> None:
    handler = ctx.services.registry.forms[form.form_id]
    ctx.form_state = form.state
    try:
        async with ctx.savepoint():
            await handler(ctx, typed_values(form, answers))
    except FormErrors as e:
        names = [f.name for f in form.fields]
        position = min((names.index(n) for n in e.errors if n in names), default=0)
        await conversations.save(ctx.db, conversation, answers, position, ctx.now)
        error = e.errors.get(names[position], str(e))
        # Every problem is said at once; the walk then goes on from the first field that has one.
        others = [
            _("Also, {label}: {reason}").format(label=f.label, reason=e.errors[f.name])
            for f in form.fields
            if f.name in e.errors and f.name != names[position]
        ]
        await _ask(ctx, form, position, answers, error="\n".join([error, *others]))
        return
    await conversations.finish(ctx.db, conversation)


def question(
    form: Form, position: int, answers: dict[str, Any], *, error: str = "", hint: bool = False, note: str = ""
) -> Message:
    """The text of one question, as a member reads it (after a note on the previous answer, if any)."""
    field = form.fields[position]
    lines = [note] if note else []
    if error:
        lines.append(_("⚠ {reason}").format(reason=error))
    optional = "" if field.required else _(" (optional — say skip)")
    lines.append(f"*{position + 1}/{len(form.fields)} · {field.label}*{optional}")
    if field.help:
        lines.append(field.help)
    lines.extend(_choices(field))
    current = answers.get(field.name, field.initial)
    if current not in (None, "", []):
        shown = ", ".join(current) if isinstance(current, list) else _as_typed(field, str(current))
        lines.append(_("Now: {value} — say keep to keep it.").format(value=content(shown)))
    if hint or error:
        lines.append(_format_hint(field))
    return Message("\n".join(lines))


def _as_typed(field: FormField, value: str) -> str:
    """A stored answer the way a member would type it (a datetime as 2026-03-14 14:30 Africa/Nairobi)."""
    if field.kind is FieldKind.DATETIME and "T" in value:
        moment = read_datetime(value)
        return f"{moment:%Y-%m-%d %H:%M} {moment.tzinfo}"
    for choice in field.choices:
        if choice.value == value:
            return choice.label
    return value


def _choices(field: FormField) -> list[str]:
    if not field.choices:
        return []
    lines = [f"  {i}. {content(c.label)}" for i, c in enumerate(field.choices, 1)]
    if field.kind is FieldKind.MULTI_SELECT:
        lines.append(_("Answer with one or more numbers, separated by commas (e.g. 1, 3)."))
    else:
        lines.append(_("Answer with a number."))
    if field.allow_other:
        lines.append(_("Or write your own."))
    return lines


def _format_hint(field: FormField) -> str:
    match field.kind:
        case FieldKind.DATE:
            return _("Format: YYYY-MM-DD, e.g. 2026-03-14, or words like “friday” or “in two weeks”.")
        case FieldKind.TIME:
            return _("Format: HH:MM on a 24-hour clock, e.g. 14:30.")
        case FieldKind.DATETIME:
            return _(
                "Format: YYYY-MM-DD HH:MM, or words like “tomorrow 14:00”; a "
                "timezone such as Africa/Nairobi may follow."
            )
        case FieldKind.TIMEZONE:
            return _("A city such as Nairobi, or a zone such as Africa/Nairobi.")
        case FieldKind.WEB_ADDRESS:
            return _("A link starting with https://")
        case FieldKind.NUMBER:
            return _("Digits only, like 8. Say back, skip or cancel at any time.")
        case _:
            return _("Up to {n} characters. Say back, skip or cancel at any time.").format(n=field.limit)


async def _ask(
    ctx: MemberContext,
    form: Form,
    position: int,
    answers: dict[str, Any],
    *,
    error: str = "",
    hint: bool = False,
    note: str = "",
) -> None:
    await _say(ctx, question(form, position, answers, error=error, hint=hint, note=note))


async def _say(ctx: MemberContext, message: Message) -> None:
    place = await ctx.direct_place(ctx.member)
    if place is not None:
        await ctx.post(place, message)
