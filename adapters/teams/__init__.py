"""Microsoft Teams through the Bot Framework (botbuilder): every botbuilder import stays in this package."""
