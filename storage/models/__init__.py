"""SQLAlchemy 2 typed models, one module per area. All times are stored in UTC."""

from storage.models.base import Base, Role, UTCDateTime
from storage.models.checkins import (
    ActionItem,
    CallStatus,
    Checkin,
    CheckinAnswer,
    CheckinCall,
    CheckinMember,
    CheckinStatus,
    CircleStatus,
    WolCircle,
    WolCycle,
    WolMember,
    WolShare,
)
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
)
from storage.models.people import (
    Community,
    CommunityChannel,
    Identity,
    Member,
    Membership,
)
from storage.models.pipeline import InboundEntry, OutboundMessage, WorkStatus
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
    "ActionItem",
    "Activity",
    "AgendaItem",
    "AssistParticipant",
    "AssistRequest",
    "AssistStatus",
    "Base",
    "CallStatus",
    "CampaignRound",
    "Checkin",
    "CheckinAnswer",
    "CheckinCall",
    "CheckinMember",
    "CheckinStatus",
    "CircleStatus",
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
    "InboundEntry",
    "IntroStatus",
    "Introduction",
    "KnowledgeItem",
    "Member",
    "Membership",
    "OutboundMessage",
    "PostedCard",
    "PostedCards",
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
    "WolCircle",
    "WolCycle",
    "WolMember",
    "WolShare",
    "WorkStatus",
    "YammerFeed",
    "YammerPost",
]
