"""SQLAlchemy 2 typed models, one module per area. All times are stored in UTC."""

from storage.models.base import Base, Role, UTCDateTime
from storage.models.discussions import (
    Discussion,
    DiscussionPost,
    DiscussionReply,
    DiscussionStatus,
    TopicFollow,
)
from storage.models.health import (
    Act,
    Attendance,
    ChampionOffer,
    Contribution,
    Invitation,
    InvitationKind,
    Level,
    LibraryUse,
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
    ValueCycle,
)
from storage.models.webinars import AgendaItem, Rsvp, Webinar, WebinarStatus
from storage.models.yammer import YammerFeed, YammerPost

__all__ = [
    "Act",
    "Activity",
    "AgendaItem",
    "AssistParticipant",
    "AssistRequest",
    "AssistStatus",
    "Attendance",
    "Base",
    "CampaignRound",
    "ChampionOffer",
    "Community",
    "CommunityChannel",
    "Consent",
    "Contribution",
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
    "Invitation",
    "InvitationKind",
    "KnowledgeItem",
    "Level",
    "LibraryUse",
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
    "ValueCycle",
    "Webinar",
    "WebinarStatus",
    "YammerFeed",
    "YammerPost",
]
