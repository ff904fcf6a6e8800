"""SQLAlchemy 2 typed models, one module per area. All times are stored in UTC."""

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
    Community,
    CommunityChannel,
    Identity,
    Member,
    Membership,
)
from storage.models.platforms import TeamsConversation
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
from storage.models.search import SearchTerm, SearchTermGram
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
    "Identity",
    "IntroStatus",
    "Introduction",
    "KnowledgeItem",
    "Member",
    "Membership",
    "ProcessedEvent",
    "Recognition",
    "Role",
    "RoundInvite",
    "Rsvp",
    "SearchTerm",
    "SearchTermGram",
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
