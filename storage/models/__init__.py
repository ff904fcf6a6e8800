"""SQLAlchemy 2 typed models, one module per area. All times are stored in UTC."""

from storage.models.accounts import LinkCode, LinkProposal
from storage.models.audit import ExportLog
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
)
from storage.models.people import (
    FORMER_MEMBER,
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
    ValueCycle,
)
from storage.models.web import WebSession, WebSignIn
from storage.models.webinars import AgendaItem, Rsvp, Webinar, WebinarStatus
from storage.models.yammer import YammerFeed, YammerPost

__all__ = [
    "FORMER_MEMBER",
    "Act",
    "ActionItem",
    "Activity",
    "AgendaItem",
    "AssistParticipant",
    "AssistRequest",
    "AssistStatus",
    "Attendance",
    "Base",
    "CallStatus",
    "CampaignRound",
    "ChampionOffer",
    "Checkin",
    "CheckinAnswer",
    "CheckinCall",
    "CheckinMember",
    "CheckinStatus",
    "CircleStatus",
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
    "ExportLog",
    "Identity",
    "InboundEntry",
    "IntroStatus",
    "Introduction",
    "Invitation",
    "InvitationKind",
    "KnowledgeItem",
    "Level",
    "LibraryUse",
    "LinkCode",
    "LinkProposal",
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
    "ValueCycle",
    "WebSession",
    "WebSignIn",
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
