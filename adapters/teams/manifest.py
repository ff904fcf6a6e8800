"""The Teams app package: manifest.json (the bot, its scopes, its command list) and two icons, zipped, ready to upload
in Teams (Apps > Manage your apps > Upload an app) or the Teams developer portal."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import Any

from bot.i18n import DEFAULT_LOCALE, N_, _, available_languages

MANIFEST_VERSION = "1.17"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x2E, 0x5E, 0x3E)  # the same green as the Slack app
MAX_COMMANDS = 10  # Teams shows at most ten commands per list
SCOPES = ["personal", "team", "groupChat"]
NAME_FULL = N_("Cultivate — communities of practice")
DESCRIPTION_SHORT = N_("Runs your community of practice's routines in Teams.")
DESCRIPTION_FULL = N_(
    "Cultivate runs the routines of a community of practice: introductions, discussions, webinars, "
    "peer assists and stories. Type 'help' in a chat with Cultivate, or '@Cultivate help' in a channel."
)
LOCALIZATION_SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json"


def manifest(
    app_id: str,
    commands: Iterable[tuple[str, str]],
    *,
    version: str = "1.0.0",
    website: str = "https://github.com/cultivate-bot",
) -> dict[str, Any]:
    """The manifest for a bot registered with `app_id` (the Azure Bot's Microsoft App ID, also used as the app's id).
    `commands` are (verb, help) pairs, the help marked with N_ and the most useful first; Teams suggests them as
    members type. Written in English, with a localization file per other language (`localizations`)."""
    en = DEFAULT_LOCALE
    listed = [{"title": verb[:32], "description": _(help_, en)[:128]} for verb, help_ in list(commands)[:MAX_COMMANDS]]
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {"name": "Cultivate", "websiteUrl": website, "privacyUrl": website, "termsOfUseUrl": website},
        "name": {"short": "Cultivate", "full": _(NAME_FULL, en)},
        "description": {"short": _(DESCRIPTION_SHORT, en)[:80], "full": _(DESCRIPTION_FULL, en)[:4000]},
        "localizationInfo": {
            "defaultLanguageTag": "en-us",
            "additionalLanguages": [{"languageTag": _tag(lang), "file": f"{lang}.json"} for lang in _others()],
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": SCOPES, "commands": listed}],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        # Replies in a discussion's thread reach the bot without a mention, so they count as participation.
        "webApplicationInfo": {"id": app_id, "resource": "https://RscBasedStoreApp"},
        "authorization": {
            "permissions": {"resourceSpecific": [{"name": "ChannelMessage.Read.Group", "type": "Application"}]}
        },
        "validDomains": [],
    }


def _others() -> list[str]:
    return [lang for lang in available_languages() if lang != DEFAULT_LOCALE]


def _tag(language: str) -> str:
    """A catalogue's name as Teams tags languages ("pt_BR" → "pt-br")."""
    return language.replace("_", "-").lower()


def localization(language: str, commands: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The localization file Teams reads for members whose client is in `language`: names, descriptions and the
    command list's descriptions translated (the command titles are verbs members type, so they stay)."""
    texts: dict[str, Any] = {
        "$schema": LOCALIZATION_SCHEMA,
        "name.short": "Cultivate",
        "name.full": _(NAME_FULL, language)[:100],
        "description.short": _(DESCRIPTION_SHORT, language)[:80],
        "description.full": _(DESCRIPTION_FULL, language)[:4000],
    }
    for n, (verb, help_) in enumerate(list(commands)[:MAX_COMMANDS]):
        texts[f"bots[0].commandLists[0].commands[{n}].title"] = verb[:32]
        texts[f"bots[0].commandLists[0].commands[{n}].description"] = _(help_, language)[:128]
    return texts


def package(app_id: str, commands: Iterable[tuple[str, str]]) -> bytes:
    """The zip Teams accepts: manifest.json, color.png (192×192), outline.png (32×32, white on transparent), and a
    localization file per language Cultivate speaks besides English."""
    commands = list(commands)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest(app_id, commands), indent=2, ensure_ascii=False))
        for lang in _others():
            zf.writestr(f"{lang}.json", json.dumps(localization(lang, commands), indent=2, ensure_ascii=False))
        zf.writestr("color.png", color_icon())
        zf.writestr("outline.png", outline_icon())
    return out.getvalue()


def color_icon(size: int = 192) -> bytes:
    """A sprout on the accent colour: two white leaves on a stem."""
    white, green = (255, 255, 255, 255), (*ACCENT, 255)
    return _png(size, lambda x, y: white if _sprout(x / size, y / size) else green)


def outline_icon(size: int = 32) -> bytes:
    """The same sprout, white on transparent, as Teams requires for the outline icon."""
    return _png(size, lambda x, y: (255, 255, 255, 255) if _sprout(x / size, y / size) else (0, 0, 0, 0))


def _sprout(u: float, v: float) -> bool:
    stem = abs(u - 0.5) < 0.05 and 0.45 < v < 0.85
    left = (u - 0.36) ** 2 / 0.03 + (v - 0.42) ** 2 / 0.008 < 1
    right = (u - 0.64) ** 2 / 0.03 + (v - 0.32) ** 2 / 0.008 < 1
    return stem or left or right


def _png(size: int, pixel: Any) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
