"""Joining, leaving, the community card and roles, through the console as people use them."""

from __future__ import annotations

from tests.harness import ConsoleBot


async def test_help_lists_what_a_visitor_may_do_and_shows_more_to_a_coordinator(bot: ConsoleBot) -> None:
    visitor = await bot.say("Zawadi", "/cop help")
    assert "/cop join" in visitor and "/cop role" not in visitor
    assert "Type /cop join" in visitor
    coordinator = await bot.say("Ada", "/cop help")
    assert "/cop role grant|revoke" in coordinator and "You are a coordinator here." in coordinator


async def test_empty_cop_shows_help(bot: ConsoleBot) -> None:
    assert "What you can do" in await bot.say("Ada", "/cop")


async def test_unknown_verb_suggests_the_closest(bot: ConsoleBot) -> None:
    answer = await bot.say("Ada", "/cop comunity")
    assert "I don't know “comunity”" in answer and "Did you mean /cop community?" in answer
    assert "for example" in answer


async def test_join_then_again_then_leave_and_come_back(bot: ConsoleBot) -> None:
    assert "Welcome to Community of Practice" in await bot.say("Baraka", "/cop join")
    assert "already a member" in await bot.say("Baraka", "/cop join")
    assert "You have left" in await bot.say("Baraka", "/cop leave")
    assert "Join the community first" in await bot.say("Baraka", "/cop leave")
    assert "Welcome" in await bot.say("Baraka", "/cop join practice")


async def test_join_an_unknown_community_lists_the_real_ones(bot: ConsoleBot) -> None:
    answer = await bot.say("Baraka", "/cop join astronomy")
    assert "no community called “astronomy”" in answer and "practice" in answer


async def test_community_card_names_coordinators_and_moderators(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop join")
    await bot.say("Baraka", "/cop join")
    await bot.say("Ada", "/cop role grant Baraka moderator")
    card = await bot.say("Baraka", "/cop community")
    assert "Coordinators: Ada" in card and "Moderators: Baraka" in card and "Members: 2" in card


async def test_a_coordinator_grants_and_the_member_is_told(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    answer = await bot.say("Ada", "/cop role grant baraka moderator")
    assert "Baraka is now a moderator" in answer
    assert "DM to Baraka" in answer and "You are now a moderator" in answer
    assert "already a moderator" in await bot.say("Ada", "/cop role grant Baraka moderator")


async def test_a_plain_member_is_refused_with_the_role_named(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop join")
    await bot.say("Baraka", "/cop join")
    answer = await bot.say("Baraka", "/cop role grant Baraka coordinator")
    assert "Only a coordinator can do that" in answer
    assert "Baraka is a member" not in await bot.say("Ada", "/cop community")


async def test_role_for_an_unknown_member_says_so(bot: ConsoleBot) -> None:
    answer = await bot.say("Ada", "/cop role grant Nobody moderator")
    assert "I don't know anyone called “Nobody”" in answer


async def test_role_with_wrong_arguments_answers_with_usage(bot: ConsoleBot) -> None:
    answer = await bot.say("Ada", "/cop role promote Baraka")
    assert "I don't know “promote” after role." in answer
    assert "/cop role grant <member> moderator|coordinator" in answer
    assert "/cop role revoke <member> moderator|coordinator" in answer
    assert "For example: /cop role grant Baraka moderator" in answer
    assert "not a role" in await bot.say("Ada", "/cop role grant Baraka king")


async def test_the_last_coordinator_cannot_be_revoked_or_leave(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop join")
    assert "last coordinator" in await bot.say("Ada", "/cop role revoke Ada coordinator")
    assert "last coordinator" in await bot.say("Ada", "/cop leave")
    await bot.say("Baraka", "/cop join")
    await bot.say("Ada", "/cop role grant Baraka coordinator")
    assert "no longer a coordinator" in await bot.say("Baraka", "/cop role revoke Ada coordinator")
    assert "Only a coordinator" in await bot.say("Ada", "/cop role grant Ada coordinator")


async def test_revoking_a_role_the_member_does_not_hold(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    assert "Baraka is a member, not a moderator" in await bot.say("Ada", "/cop role revoke Baraka moderator")


async def test_oversized_command_is_refused_with_the_limit(bot: ConsoleBot) -> None:
    answer = await bot.say("Ada", "/cop community " + "x" * 5000)
    assert "at most 4000 characters" in answer


async def test_leaving_says_that_a_moderator_role_ends(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    await bot.say("Baraka", "/cop join")
    await bot.say("Ada", "/cop role grant Baraka moderator")
    left = await bot.say("Baraka", "/cop leave")
    assert "Your role as moderator ends with it" in left
    assert "DM to Ada" in left and "Baraka has left" in left and "their role as moderator" in left
