"""A small routine used by tests to exercise forms: a 'trip report' with every kind of field."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.forms import Choice, FieldKind, Form, FormErrors, FormField
from bot.registry import Routine

routine = Routine("trip_report")
received: list[dict[str, Any]] = []


def trip_form() -> Form:
    return Form(
        form_id="trip",
        title="Trip report",
        intro="Tell us about a field visit.",
        fields=(
            FormField("place", "Where did you go?", help="So others can find reports about the same site."),
            FormField(
                "topics",
                "Topics",
                FieldKind.MULTI_SELECT,
                required=False,
                choices=(
                    Choice("dashboards", "Dashboards"),
                    Choice("alerting", "Alerting"),
                    Choice("data", "Data quality"),
                ),
                allow_other=True,
            ),
            FormField(
                "mood",
                "How did it go?",
                FieldKind.SINGLE_SELECT,
                choices=(Choice("good", "Good"), Choice("bad", "Bad")),
            ),
            FormField("day", "Which day?", FieldKind.DATE),
            FormField("notes", "Notes", FieldKind.LONG_TEXT, required=False, max_length=50),
        ),
        state={"origin": "test"},
    )


@routine.command("trip", usage="trip", help="File a trip report")
async def trip(ctx: Context, text: str) -> None:
    await ctx.open_form(trip_form())


@routine.form("trip")
async def submitted(ctx: Context, values: dict[str, Any]) -> None:
    if values["place"].casefold() == "nowhere":
        raise FormErrors({"place": "Nowhere is not a place we can file."})
    received.append(values | {"_state": ctx.form_state})
    await ctx.reply(f"Thanks, filed your report on {values['place']}.")
