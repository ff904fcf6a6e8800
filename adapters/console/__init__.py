"""The console: chat with Cultivate in a terminal, or replay a script of lines (`cultivate console < demo.txt`)."""
