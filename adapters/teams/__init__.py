"""Microsoft Teams through the Bot Framework: every SDK import (botbuilder, or the Microsoft 365 Agents SDK) stays in
this package, and within it in sdk_botbuilder.py and sdk_agents.py, behind the seam in sdk.py."""
