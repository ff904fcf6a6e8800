"""A recording adapter with native forms and buttons, standing in for a rich platform in core tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.events import Actor, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability, Sent


@dataclass
class RecordingAdapter:
    platform: str = "fake"
    capabilities: frozenset[Capability] = frozenset({Capability.FORMS, Capability.BUTTONS, Capability.EPHEMERAL})
    sent: list[tuple[Place, Outgoing]] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        if place.direct and not place.channel:
            place = Place(self.platform, place.tenant, f"D-{place.to_user}", direct=True, to_user=place.to_user)
        self.sent.append((place, outgoing))
        return Sent(f"ts{len(self.sent)}", place.channel)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        # Like Slack: a form opens only with a fresh trigger.
        if trigger is None or trigger == "expired":
            return False
        self.forms.append(form)
        return True

    def texts(self) -> list[str]:
        return [o.message.text for _p, o in self.sent]
