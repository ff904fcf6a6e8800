"""Community health as a compact message for a phone: a line per area, small text trends where a number alone
says little."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import N_, _, babel_locale, ngettext
from bot.messages import Message, Section
from bot.text import content, shorten
from flows.health_figures import Health, Levels, Trend
from flows.health_period import Period
from flows.levels import Distribution
from storage.models import Level, ValueCycle

BARS = "▁▂▃▄▅▆▇█"
LEVEL_LABELS = {
    Level.CORE: N_("core"),
    Level.ACTIVE: N_("active"),
    Level.OCCASIONAL: N_("occasional"),
    Level.SILENT: N_("silent"),
    Level.NEWCOMER: N_("new"),
}
CYCLE_WORDS = {
    ValueCycle.IMMEDIATE: N_("immediate"),
    ValueCycle.POTENTIAL: N_("potential"),
    ValueCycle.APPLIED: N_("applied"),
    ValueCycle.REALISED: N_("realised"),
    ValueCycle.REFRAMING: N_("reframing"),
    "unsaid": N_("not said"),
}


def sparkline(values: list[int]) -> str:
    """▁▂▃▅▇: each value against the largest."""
    top = max(values, default=0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[round(v / top * (len(BARS) - 1))] for v in values)


def period_label(span: Period, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    first = span.since.astimezone(zone).date()
    last = (span.until - timedelta(microseconds=1)).astimezone(zone).date()
    dates = _("{first} – {last}").format(
        first=format_date(first, "d MMM", locale=babel_locale()),
        last=format_date(last, "d MMM yyyy", locale=babel_locale()),
    )
    if span.name == "quarter":
        return _("Q{n} {year} so far ({dates})").format(n=(first.month - 1) // 3 + 1, year=first.year, dates=dates)
    if span.name == "year":
        return _("{year} so far ({dates})").format(year=first.year, dates=dates)
    days = round(span.days)
    return ngettext("last {n} day ({dates})", "last {n} days ({dates})", days).format(n=days, dates=dates)


def _change(now: int, before: int) -> str:
    delta = now - before
    return "=" if delta == 0 else f"+{delta}" if delta > 0 else f"−{-delta}"


def _percent(value: float) -> str:
    return f"{value:.0f}"


def participation_lines(found: Levels) -> list[str]:
    now, before = found.now, found.before
    parts = []
    for which in (Level.CORE, Level.ACTIVE, Level.OCCASIONAL, Level.SILENT):
        parts.append(
            _("{label} {n} ({change})").format(
                label=_(LEVEL_LABELS[which]), n=now.of(which), change=_change(now.of(which), before.of(which))
            )
        )
    parts.append(_("{label} {n}").format(label=_(LEVEL_LABELS[Level.NEWCOMER]), n=now.newcomer))
    lines = [
        ngettext("{n} member: ", "{n} members: ", now.members).format(n=now.members) + " · ".join(parts),
        _("Silent · contributing · core: {shape} % (typical online: 90 · 9 · 1; before: {before})").format(
            shape=_shape(now), before=_shape(before) if before.members - before.newcomer else "—"
        ),
    ]
    return lines


def _shape(levels: Distribution) -> str:
    core, contributing, silent = levels.shape()
    return " · ".join(_percent(v) for v in (silent, contributing, core))


def render(figures: Health, timezone: str) -> Message:
    """The health message; a moderator's own view has only their discussions and webinars."""
    title = (
        _("📊 Your discussions and webinars in *{name}* · {period}")
        if figures.own
        else _("📊 Health of *{name}* · {period}")
    ).format(name=content(figures.name), period=period_label(figures.period, timezone))
    sections: list[Section] = []
    if figures.levels is not None:
        lines = participation_lines(figures.levels)
        if figures.trend is not None and figures.trend.acts:
            lines.append(
                _("Acts {spark} {n} ({every})").format(
                    spark=sparkline(figures.trend.acts), n=sum(figures.trend.acts), every=_every(figures.trend)
                )
            )
        sections.append(Section("\n".join(lines), title=_("Participation")))
    if figures.funnel is not None:
        f = figures.funnel
        joined = (
            " " + sparkline(figures.trend.joined) if figures.trend is not None and any(figures.trend.joined) else ""
        )
        sections.append(
            Section(
                _(
                    "{joined} joined{trend} → {introduced} introduced ({intro_days}) → {acted} contributed ({act_days})"
                ).format(
                    joined=f.joined,
                    trend=joined,
                    introduced=f.introduced,
                    intro_days=_median_days(f.days_to_introduce),
                    acted=f.contributed,
                    act_days=_median_days(f.days_to_contribute),
                ),
                title=_("Newcomers"),
            )
        )
    if figures.peer_assist is not None:
        a = figures.peer_assist
        wait = (
            _("first offer after {h} h (median)").format(h=f"{a.hours_to_first_offer:g}")
            if a.hours_to_first_offer is not None
            else _("no offer yet")
        )
        sections.append(
            Section(
                _("{asked} asked · {fast} offered within 24 h · {resolved} resolved · {wait} · {open} open now").format(
                    asked=a.asked, fast=a.offered_within_day, resolved=a.resolved, wait=wait, open=a.still_open
                ),
                title=_("Peer assist"),
            )
        )
    d = figures.discussions
    talk = [
        " · ".join(
            (
                ngettext("{n} discussion", "{n} discussions", len(d.items)).format(n=len(d.items)),
                ngettext("{n} participant", "{n} participants", d.participants).format(n=d.participants),
                ngettext("{n} reply", "{n} replies", d.replies).format(n=d.replies),
                _("{n} summarised").format(n=d.summaries),
            )
        )
    ]
    if figures.own:
        talk += [
            "- #{id} {topic}: {replies}, {people}".format(
                id=r.id,
                topic=content(shorten(r.topic, 40)),
                replies=ngettext("{n} reply", "{n} replies", r.replies).format(n=r.replies),
                people=ngettext("{n} participant", "{n} participants", r.participants).format(n=r.participants),
            )
            for r in d.items[-5:]
        ]
    sections.append(Section("\n".join(talk), title=_("Discussions")))
    w = figures.webinars
    feedback = _("feedback {avg}/5").format(avg=f"{w.feedback:.1f}") if w.feedback is not None else _("no feedback")
    sessions = [
        ngettext(
            "{n} session · {coming} coming → {there} there · {feedback}",
            "{n} sessions · {coming} coming → {there} there · {feedback}",
            w.sessions,
        ).format(n=w.sessions, coming=w.coming, there=w.attended, feedback=feedback)
    ]
    if figures.own:
        sessions += [
            _("- #{id} {title}: {coming} coming → {there} there{score}").format(
                id=r.id,
                title=content(shorten(r.title, 40)),
                coming=r.coming,
                there=r.attended,
                score=f" · {sum(r.feedback) / len(r.feedback):.1f}/5" if r.feedback else "",
            )
            for r in w.items[-5:]
        ]
    sections.append(Section("\n".join(sessions), title=_("Webinars")))
    if figures.recognition is not None:
        r = figures.recognition
        sections.append(
            Section(
                " · ".join(
                    (
                        ngettext("{n} thank-you", "{n} thank-yous", r.thanks).format(n=r.thanks),
                        ngettext("{n} credit for help", "{n} credits for help", r.credits).format(n=r.credits),
                        ngettext("{n} member recognised", "{n} members recognised", r.members).format(n=r.members),
                    )
                ),
                title=_("Recognition"),
            )
        )
    if figures.library is not None:
        lib = figures.library
        reused = ", ".join(
            _("#{id} {title} ({n})").format(id=u.item_id, title=content(shorten(u.title, 30)), n=u.members)
            for u in lib.most_reused
        )
        sections.append(
            Section(
                _("{added} added · {reused} found again by others{which}").format(
                    added=lib.total_added, reused=lib.reused, which=f": {reused}" if reused else ""
                ),
                title=_("Library"),
            )
        )
    if figures.stories is not None:
        s = figures.stories
        told = [f"{_(CYCLE_WORDS[cycle])} {n}" for cycle, n in s.by_cycle.items() if n]
        private = (
            " " + ngettext("({n} for coordinators only)", "({n} for coordinators only)", s.private).format(n=s.private)
            if s.private
            else ""
        )
        sections.append(
            Section(
                ngettext("{n} story", "{n} stories", s.total).format(n=s.total)
                + (": " + " · ".join(told) if told else "")
                + private,
                title=_("Value stories"),
            )
        )
    if figures.invitations is not None:
        i = figures.invitations
        rate = _(" ({rate:.0%})").format(rate=i.rate) if i.rate is not None else ""
        sections.append(
            Section(
                ngettext(
                    "{sent} sent · {converted} converted{rate} · {off} member turned them off",
                    "{sent} sent · {converted} converted{rate} · {off} members turned them off",
                    i.switched_off,
                ).format(sent=i.sent, converted=i.converted, rate=rate, off=i.switched_off),
                title=_("Invitations to silent members"),
            )
        )
    footer = (
        _("Other periods: /cop health 30d|90d|quarter|year")
        if figures.own
        else _("Levels: core ≥{core} acts with {lead} leading · active ≥{active} · /cop health champions").format(
            core=figures.levels.rules.core, lead=figures.levels.rules.leading, active=figures.levels.rules.active
        )
        if figures.levels is not None
        else ""
    )
    return Message(title, sections=tuple(sections), footer=footer)


def _every(trend: Trend) -> str:
    return (
        _("weekly")
        if trend.days_per_bucket == 7
        else ngettext("every {n} day", "every {n} days", trend.days_per_bucket).format(n=trend.days_per_bucket)
    )


def _median_days(days: float | None) -> str:
    return _("median {d} d").format(d=f"{days:g}") if days is not None else _("median —")
