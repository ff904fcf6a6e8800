"""Community health as named tables, each drawn as a chart beside its numbers; the same tables are the CSV/JSON
downloads. Built from flows/health_figures (the figures `/cop health` reports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.i18n import N_, _
from flows.health_figures import Health, Levels, Period, Trend
from storage.models import Level, ValueCycle
from web import charts

LEVELS = (Level.CORE, Level.ACTIVE, Level.OCCASIONAL, Level.SILENT, Level.NEWCOMER)
REFERENCE = (1.0, 9.0, 90.0)  # the 90-9-1 pattern: core, contributing, silent (percent)


@dataclass(frozen=True)
class Table:
    """A table of figures (the first column names the row) and the chart of it, if one helps."""

    name: str  # in the download address: /health/<name>.csv
    title: str
    columns: list[str]  # machine names, the download's header
    headings: list[str]  # what the page shows above each column
    rows: list[list[Any]]
    chart: str | None = None  # an SVG image's data: address
    note: str = ""
    # What the page shows for a row's first cell, where the downloads keep a machine name ("core" -> "noyau").
    shown: dict[str, str] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Overview:
    tables: list[Table] = field(default_factory=list)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


def level_name(level: Level) -> str:
    names = {
        Level.CORE: N_("core"),
        Level.ACTIVE: N_("active"),
        Level.OCCASIONAL: N_("occasional"),
        Level.SILENT: N_("silent"),
        Level.NEWCOMER: N_("newcomer"),
    }
    return _(names[level])


def tables(figures: Health, timezone: str, *, charted: bool = True) -> list[Table]:
    """Every table the figures fill, in the order the health page shows them."""
    found: list[Table] = []
    if figures.levels is not None:
        found += level_tables(figures.levels, charted)
    if figures.trend is not None:
        found.append(trend_table(figures.trend, figures.period, charted))
    if figures.funnel is not None:
        f = figures.funnel
        rows = [
            [_("joined"), f.joined, None],
            [_("introduced themselves"), f.introduced, f.days_to_introduce],
            [_("contributed"), f.contributed, f.days_to_contribute],
        ]
        found.append(
            Table(
                "funnel",
                _("Newcomer funnel"),
                ["step", "members", "median_days"],
                [_("Step"), _("Members"), _("Median days after joining")],
                rows,
                charts.bars(_("Newcomer funnel"), [r[0] for r in rows], [(_("Members"), [r[1] for r in rows])])
                if charted
                else None,
            )
        )
    if figures.peer_assist is not None:
        p = figures.peer_assist
        found.append(
            Table(
                "peer_assist",
                _("Peer assists"),
                ["figure", "value"],
                [_("Figure"), _("Value")],
                [
                    [_("requests"), p.asked],
                    [_("with an offer within a day"), p.offered_within_day],
                    [_("resolved"), p.resolved],
                    [_("median hours to the first offer"), p.hours_to_first_offer],
                    [_("open now"), p.still_open],
                ],
            )
        )
    found.append(_webinars(figures, timezone, charted))
    found.append(
        Table(
            "discussions",
            _("Discussions"),
            ["topic", "opens_at", "status", "replies", "participants"],
            [_("Topic"), _("Opens"), _("Status"), _("Replies"), _("Participants")],
            [
                [d.topic, d.opens_at.isoformat(timespec="minutes"), d.status, d.replies, d.participants]
                for d in figures.discussions.items
            ],
        )
    )
    if figures.stories is not None:
        s = figures.stories
        labels = [c.value for c in ValueCycle] + ["unsaid"]
        cycle_names = {c.value: _(c.value) for c in ValueCycle} | {"unsaid": _("not said")}
        rows = [[label, s.by_cycle.get(label, 0)] for label in labels]
        found.append(
            Table(
                "stories",
                _("Value stories by cycle"),
                ["cycle", "stories"],
                [_("Cycle"), _("Stories")],
                rows,
                charts.bars(
                    _("Value stories by cycle"),
                    [cycle_names[c] for c in labels],
                    [(_("Stories"), [r[1] for r in rows])],
                )
                if charted
                else None,
                shown=cycle_names,
            )
        )
    return found


def level_tables(levels: Levels, charted: bool = True) -> list[Table]:
    """Members per level now and at the start of the period, and the shape of it against 90-9-1."""
    now, before = levels.now, levels.before
    names = [level_name(level) for level in LEVELS]
    rows = [[level.value, now.of(level), before.of(level)] for level in LEVELS]
    counts = Table(
        "levels",
        _("Participation levels"),
        ["level", "members_now", "members_at_start"],
        [_("Level"), _("Members now"), _("At the start of the period")],
        rows,
        charts.bars(
            _("Participation levels"),
            names,
            [(_("now"), [r[1] for r in rows]), (_("at the start"), [r[2] for r in rows])],
        )
        if charted
        else None,
        shown={level.value: name for level, name in zip(LEVELS, names, strict=True)},
    )
    shares = ["core", "contributing", "silent"]
    shape_now, shape_then = now.shape(), before.shape()
    shape_rows = [
        [shares[i], round(shape_now[i], 1), round(shape_then[i], 1), REFERENCE[i]] for i in range(len(shares))
    ]
    shape = Table(
        "shape",
        _("Against 90-9-1 (percent of settled members)"),
        ["share", "percent_now", "percent_at_start", "percent_90_9_1"],
        [_("Level"), _("Now %"), _("At the start %"), _("90-9-1 %")],
        shape_rows,
        charts.bars(
            _("Against 90-9-1"),
            [_("core"), _("contributing"), _("silent")],
            [
                (_("now"), [r[1] for r in shape_rows]),
                (_("at the start"), [r[2] for r in shape_rows]),
                ("90-9-1", list(REFERENCE)),
            ],
        )
        if charted
        else None,
        shown={share: _(share) for share in shares},
    )
    return [counts, shape]


def trend_table(t: Trend, span: Period, charted: bool = True) -> Table:
    """Contributions and newcomers per slice of the period."""
    starts = [span.since + timedelta(days=t.days_per_bucket * i) for i in range(len(t.acts))]
    labels = [s.strftime("%d %b") for s in starts]
    rows = [[s.date().isoformat(), a, j] for s, a, j in zip(starts, t.acts, t.joined, strict=False)]
    return Table(
        "trend",
        _("Activity over time"),
        ["from", "acts", "joined"],
        [_("From"), _("Contributions"), _("Joined")],
        rows,
        charts.lines(_("Activity over time"), labels, [(_("Contributions"), t.acts), (_("Joined"), t.joined)])
        if charted
        else None,
        note=_("Each slice is {days} days.").format(days=t.days_per_bucket),
    )


def _webinars(figures: Health, timezone: str, charted: bool) -> Table:
    w = figures.webinars
    rows = [
        [
            item.title,
            item.starts_at.isoformat(timespec="minutes"),
            item.coming,
            item.attended,
            round(sum(item.feedback) / len(item.feedback), 2) if item.feedback else None,
        ]
        for item in w.items
    ]
    return Table(
        "webinars",
        _("Webinar attendance and feedback"),
        ["title", "starts_at", "coming", "attended", "feedback"],
        [_("Webinar"), _("Starts (UTC)"), _("Said coming"), _("Attended"), _("Feedback (1-5)")],
        rows,
        charts.bars(
            _("Webinar attendance"),
            [str(r[0])[:20] for r in rows],
            [(_("Said coming"), [r[2] for r in rows]), (_("Attended"), [r[3] for r in rows])],
        )
        if charted and rows
        else None,
    )
