"""Forms: typed fields a routine asks for, shown natively or asked one by one in a direct conversation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from bot.i18n import _


class FieldKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_SELECT = "single_select"
    MULTI_SELECT = "multi_select"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    NUMBER = "number"  # finite, within minimum..maximum; whole unless `decimals`
    WEB_ADDRESS = "web_address"  # https://…
    TIMEZONE = "timezone"  # an IANA name, or a city that names one (Nairobi → Africa/Nairobi)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: FieldKind = FieldKind.SHORT_TEXT
    required: bool = True
    help: str = ""
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    # Free answers besides the listed choices (e.g. new tags) are allowed for selects when set.
    allow_other: bool = False
    initial: str | None = None
    # NUMBER fields: the range accepted, and whether a fraction (8.5) is.
    minimum: float | None = None
    maximum: float | None = None
    decimals: bool = False
    # DATE and DATETIME fields: a day or moment already gone is refused when given (a deadline, a session's start).
    future: bool = False

    @property
    def limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return 3000 if self.kind is FieldKind.LONG_TEXT else 200


@dataclass(frozen=True)
class Form:
    form_id: str
    title: str
    fields: tuple[FormField, ...]
    intro: str = ""
    submit_label: str = field(default_factory=lambda: _("Submit"))
    # Routine data carried from opening to submission (e.g. which request the form is about).
    state: dict[str, Any] = field(default_factory=dict)

    def field(self, name: str) -> FormField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Form:
        fields = tuple(
            FormField(
                **{
                    **f,
                    "kind": FieldKind(f["kind"]),
                    "choices": tuple(Choice(**c) for c in f.get("choices", ())),
                }
            )
            for f in data["fields"]
        )
        return cls(
            form_id=data["form_id"],
            title=data["title"],
            fields=fields,
            intro=data.get("intro", ""),
            submit_label=data.get("submit_label") or _("Submit"),
            state=dict(data.get("state", {})),
        )


class FormErrors(Exception):
    """Raised by a form handler when submitted values are not acceptable; maps field name to reason."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
