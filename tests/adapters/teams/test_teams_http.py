"""Teams through the real /api/messages endpoint (authentication off), answers through a local fake Bot Connector."""

from __future__ import annotations

from tests.adapters.teams.harness import BOT, TEAM_CHANNEL, TeamsBot


async def test_a_bare_verb_in_a_personal_chat_is_answered_there(teams: TeamsBot) -> None:
    response = await teams.say("29:amina", "help")
    assert response.status == 201
    [answer] = teams.fake.called("send")
    assert answer.conversation == "a:chat-29:amina"
    assert answer.body["from"]["id"] == BOT and answer.authorization is None
    assert "What you can do" in answer.text


async def test_cop_verb_also_works_in_a_personal_chat(teams: TeamsBot) -> None:
    await teams.say("29:amina", "cop timezone")
    [answer] = teams.fake.called("send")
    assert "Africa/Nairobi" in answer.text, "the timezone Teams sends with each message is kept"


async def test_a_mention_in_a_channel_is_a_command_answered_privately(teams: TeamsBot) -> None:
    await teams.mention("29:baraka", "community")
    [opened] = teams.fake.called("create")
    assert opened.body["members"] == [{"id": "29:baraka"}] and opened.body["bot"]["id"] == BOT
    [answer] = teams.fake.called("send")
    assert answer.conversation == "a:personal-29:baraka" and "Real-time monitoring" in answer.text
    await teams.mention("29:baraka", "cop help")
    assert len(teams.fake.called("create")) == 1, "the personal chat is opened once"


async def test_public_answers_in_a_channel_go_to_the_thread(teams: TeamsBot) -> None:
    await teams.mention("29:amina", "echo hello <at>Everyone</at> [click](https://evil.example) @channel", root="1699")
    [reply] = teams.fake.called("reply")
    assert reply.conversation == TEAM_CHANNEL and reply.activity_id == "1699"
    assert "<at>" not in reply.text and "](" not in reply.text and "@channel" not in reply.text


async def test_a_new_team_member_gets_the_welcome(teams: TeamsBot) -> None:
    await teams.members_added("29:chidi", BOT)
    [opened] = teams.fake.called("create")
    assert opened.body["members"] == [{"id": "29:chidi"}]
    [lookup] = teams.fake.called("member")
    assert lookup.conversation == TEAM_CHANNEL, (
        "a member added to a team arrives with an id only: Teams is asked the name"
    )
    [welcome] = teams.fake.called("send")
    assert (
        welcome.conversation == "a:personal-29:chidi"
        and "Welcome to *Real-time monitoring*, Chidi!" in welcome.text.replace("**", "*")
    )
    assert welcome.card["version"] == "1.5"
    buttons = [a["title"] for a in welcome.card.get("actions", [])]
    assert buttons, "the welcome card has its button"
