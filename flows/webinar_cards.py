"""What webinars look like: the form, the announcement card with live RSVP counts, the reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_timedelta
from icalendar import Calendar, Event

from bot.forms import Choice, FieldKind, Form, FormField
from bot.i18n import _, babel_locale, channel_time, local_time
from bot.messages import Button, ButtonStyle, Message, Section
from bot.text import content
from flows.webinar_series import LABELS, MAX_SESSIONS, Repeat, describe
from storage.models import Webinar, WebinarStatus

FORM_ID, RSVP, THERE = "webinar.add", "webinar.rsvp", "webinar.there"
DEFAULT_SESSIONS = 6


def add_form(timezone: str) -> Form:
    return Form(
        FORM_ID,
        _("Schedule a webinar"),
        (
            FormField("title", _("Title"), max_length=200, help=_("What members will see in the announcement.")),
            FormField(
                "presenters",
                _("Presenters"),
                required=False,
                max_length=300,
                help=_("Who presents; names as people know them."),
            ),
            FormField(
                "description",
                _("Description"),
                FieldKind.LONG_TEXT,
                required=False,
                max_length=1500,
                help=_("Why come: what people will be able to do afterwards."),
            ),
            FormField(
                "start",
                _("Start"),
                FieldKind.DATETIME,
                future=True,
                help=_(
                    "Date and time, read in your timezone ({tz}) unless you add "
                    "another, e.g. 2026-04-07 14:00 Africa/Nairobi."
                ).format(tz=timezone),
            ),
            FormField(
                "minutes",
                _("Length in minutes"),
                FieldKind.NUMBER,
                minimum=15,
                maximum=480,
                initial="60",
                help=_("Between 15 and 480."),
            ),
            FormField(
                "join_url",
                _("Join link"),
                FieldKind.WEB_ADDRESS,
                max_length=1000,
                help=_("The https link people click to join."),
            ),
            FormField(
                "repeats",
                _("Repeats"),
                FieldKind.SINGLE_SELECT,
                required=False,
                initial=Repeat.ONCE,
                choices=tuple(Choice(r.value, _(label)) for r, label in LABELS.items()),
                help=_("A series keeps the same local time, whatever the clocks do."),
            ),
            FormField(
                "sessions",
                _("Sessions in the series"),
                FieldKind.NUMBER,
                required=False,
                minimum=2,
                maximum=MAX_SESSIONS,
                help=_("If it repeats: how many sessions in all, from 2 to {n} ({default} if you skip).").format(
                    n=MAX_SESSIONS, default=DEFAULT_SESSIONS
                ),
            ),
        ),
    )


def card(webinar: Webinar, counts: dict[str, int], community_zone: str) -> Message:
    """The channel's card: its time in the community's zone (and the zone it was planned in, when another)."""
    when = channel_time(webinar.starts_at, community_zone, webinar.timezone)
    lines = [content(webinar.description)] if webinar.description else []
    lines.append(
        _("{when} · {minutes} min · {link}").format(when=when, minutes=webinar.minutes, link=content(webinar.join_url))
    )
    if webinar.presenters:
        lines.append(_("Presented by {who}").format(who=content(webinar.presenters)))
    if webinar.repeat != Repeat.ONCE and webinar.sessions_left:
        lines.append(
            _("Part of a series, {rule}; the next session is announced after this one.").format(
                rule=describe(Repeat(webinar.repeat), webinar.starts_at, webinar.timezone)
            )
        )
    tally = _("{going} going · {maybe} maybe · {no} not going").format(
        going=counts.get("going", 0), maybe=counts.get("maybe", 0), no=counts.get("no", 0)
    )
    if webinar.status == WebinarStatus.CANCELLED:
        return Message(
            _("Cancelled: {title}").format(title=content(webinar.title)),
            footer=_("Webinar #{id} will not take place.").format(id=webinar.id),
        )
    return Message(
        _("📅 Webinar: *{title}*").format(title=content(webinar.title)),
        sections=(Section("\n".join(lines)),),
        buttons=(
            Button(_("Going"), RSVP, f"{webinar.id}:going", ButtonStyle.PRIMARY),
            Button(_("Maybe"), RSVP, f"{webinar.id}:maybe"),
            Button(_("Not going"), RSVP, f"{webinar.id}:no"),
        ),
        footer=_("#{id} · {tally} · times shown in your zone with /cop webinar list").format(
            id=webinar.id, tally=tally
        ),
    )


def after(webinar: Webinar, counts: dict[str, int], there: int) -> Message:
    """The card once the session is over: it asks who was there (one tap), with what was said before."""
    coming = counts.get("going", 0) + counts.get("maybe", 0)
    return Message(
        _("📅 *{title}* took place {when}.").format(
            title=content(webinar.title), when=local_time(webinar.starts_at, webinar.timezone)
        ),
        sections=(Section(_("Were you there? One tap tells the presenters, and the community, who came.")),),
        buttons=(Button(_("I was there"), THERE, f"{webinar.id}:yes", ButtonStyle.PRIMARY),),
        footer=_("#{id} · {coming} said they would come · {there} were there").format(
            id=webinar.id, coming=coming, there=there
        ),
    )


def were_you_there(webinar: Webinar, timezone: str) -> Message:
    return Message(
        _("Were you at “{title}” ({when})?").format(
            title=content(webinar.title), when=local_time(webinar.starts_at, timezone)
        ),
        buttons=(
            Button(_("Yes, I was there"), THERE, f"{webinar.id}:yes", ButtonStyle.PRIMARY),
            Button(_("No, I missed it"), THERE, f"{webinar.id}:no"),
        ),
        footer=_("One tap; nothing else to fill in."),
    )


def reminder(webinar: Webinar, timezone: str, now: datetime) -> Message:
    """A reminder that says how long is left as it is sent (a late one does not claim "tomorrow")."""
    left = format_timedelta(webinar.starts_at - now, threshold=1.1, locale=babel_locale())
    return Message(
        _("⏰ In {left}: *{title}* starts {when}.\nJoin: {link}").format(
            left=left,
            title=content(webinar.title),
            when=local_time(webinar.starts_at, timezone),
            link=content(webinar.join_url),
        )
    )


def starts_text(starts_at: datetime, timezone: str) -> str:
    return local_time(starts_at, timezone)


def ics(webinar: Webinar, now: datetime) -> str:
    """The session as an iCalendar event (RFC 5545), with its start in UTC so every calendar agrees on the instant."""
    calendar = Calendar()
    calendar.add("prodid", "-//Cultivate//webinars//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"webinar-{webinar.id}-{webinar.community_id}@cultivate")
    event.add("dtstamp", now)
    event.add("dtstart", webinar.starts_at)
    event.add("dtend", webinar.starts_at + timedelta(minutes=webinar.minutes))
    event.add("summary", webinar.title)
    event.add("description", "\n".join(filter(None, [webinar.description, webinar.join_url])))
    event.add("url", webinar.join_url)
    if webinar.status == WebinarStatus.CANCELLED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
