"""Every write to a case. Each checks the table and the actor, changes the case with a compare-and-swap and
writes its event in the same transaction."""

from suban.cases.services.closing import case_close, case_rate, case_reopen, case_review_reply
from suban.cases.services.handling import (
    case_add_info,
    case_claim,
    case_decide_extension,
    case_escalate,
    case_handle_on_spot,
    case_hold,
    case_note,
    case_raise_level,
    case_reject_return,
    case_reply,
    case_request_extension,
    case_resume,
    case_return,
    case_supervise,
    case_whistle,
)
from suban.cases.services.intake import (
    DeclineReason,
    case_accept,
    case_decline,
    case_dispatch,
    case_intake,
    case_merge,
    case_submit,
)

__all__ = [
    "DeclineReason",
    "case_accept",
    "case_add_info",
    "case_claim",
    "case_close",
    "case_decide_extension",
    "case_decline",
    "case_dispatch",
    "case_escalate",
    "case_handle_on_spot",
    "case_hold",
    "case_intake",
    "case_merge",
    "case_note",
    "case_raise_level",
    "case_rate",
    "case_reject_return",
    "case_reopen",
    "case_reply",
    "case_request_extension",
    "case_resume",
    "case_return",
    "case_review_reply",
    "case_submit",
    "case_supervise",
    "case_whistle",
]
