"""SQLAlchemy 2 typed models, one module per area. All times are stored in UTC."""

from storage.models.accounts import LinkCode, LinkProposal
from storage.models.audit import ExportLog
from storage.models.base import Base, Role, UTCDateTime
from storage.models.discussions import (
    Discussion,
    DiscussionPost,
    DiscussionReply,
    DiscussionStatus,
    TopicFollow,
)
from storage.models.operations import (
    Activity,
    Conversation,
    Delivery,
    DeliveryStatus,
    ProcessedEvent,
)
from storage.models.people import (
    FORMER_MEMBER,
    Community,
    CommunityChannel,
    Identity,
    Member,
    Membership,
)
from storage.models.platforms import TeamsConversation
from storage.models.posts import PostedCard, PostedCards
from storage.models.routines import (
    AssistParticipant,
    AssistRequest,
    AssistStatus,
    DirectoryEntry,
    Introduction,
    IntroStatus,
    KnowledgeItem,
    Recognition,
)
from storage.models.stories import (
    CampaignRound,
    Consent,
    RoundInvite,
    Story,
    StoryCampaign,
)
from storage.models.webinars import AgendaItem, Rsvp, Webinar, WebinarStatus
from storage.models.yammer import YammerFeed, YammerPost

__all__ = [
    "FORMER_MEMBER",
    "Activity",
    "AgendaItem",
    "AssistParticipant",
    "AssistRequest",
    "AssistStatus",
    "Base",
    "CampaignRound",
    "Community",
    "CommunityChannel",
    "Consent",
    "Conversation",
    "Delivery",
    "DeliveryStatus",
    "DirectoryEntry",
    "Discussion",
    "DiscussionPost",
    "DiscussionReply",
    "DiscussionStatus",
    "ExportLog",
    "Identity",
    "IntroStatus",
    "Introduction",
    "KnowledgeItem",
    "LinkCode",
    "LinkProposal",
    "Member",
    "Membership",
    "PostedCard",
    "PostedCards",
    "ProcessedEvent",
    "Recognition",
    "Role",
    "RoundInvite",
    "Rsvp",
    "Story",
    "StoryCampaign",
    "TeamsConversation",
    "TopicFollow",
    "UTCDateTime",
    "Webinar",
    "WebinarStatus",
    "YammerFeed",
    "YammerPost",
]
