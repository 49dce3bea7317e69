package publish

import (
	"errors"
	"fmt"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
)

// State is where an item is in the publishing workflow. For an item that is
// already public, it is the state of the update being worked on (draft,
// in review, approved), or published when none is.
type State string

const (
	StateDraft                 State = "draft"
	StateSectionReview         State = "section_review"
	StateConfidentialityReview State = "confidentiality_review"
	StateApproved              State = "approved"
	StatePublished             State = "published"
	StateWithdrawn             State = "withdrawn"
)

// Label is the state's name in the staff UI.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateSectionReview:
		return "待科室审核"
	case StateConfidentialityReview:
		return "待保密审查"
	case StateApproved:
		return "待发布"
	case StatePublished:
		return "已发布"
	case StateWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// States lists every state, for filters.
func States() []State {
	return []State{StateDraft, StateSectionReview, StateConfidentialityReview, StateApproved, StatePublished, StateWithdrawn}
}

// Action is a step of the workflow.
type Action string

const (
	ActSave           Action = "save"            // edit the draft (and its attachments)
	ActSubmit         Action = "submit"          // send the draft to section review
	ActSectionApprove Action = "section_approve" // section head passes it on to confidentiality review
	ActApprove        Action = "approve"         // confidentiality reviewer approves it for publication
	ActReject         Action = "reject"          // a reviewer or the publisher sends it back to its author
	ActPublish        Action = "publish"         // the publisher makes it public now
	ActSchedule       Action = "schedule"        // the publisher sets a time to publish it
	ActUpdate         Action = "update"          // start a new version of a published item
	ActExpire         Action = "expire"          // mark the public version 失效
	ActRepeal         Action = "repeal"          // mark the public version 废止
	ActWithdraw       Action = "withdraw"        // take it off the public site, with a reason
)

// Label is the action's name in the staff UI.
func (a Action) Label() string {
	switch a {
	case ActSave:
		return "保存"
	case ActSubmit:
		return "提交审核"
	case ActSectionApprove:
		return "科室审核通过"
	case ActApprove:
		return "保密审查通过"
	case ActReject:
		return "退回"
	case ActPublish:
		return "发布"
	case ActSchedule:
		return "定时发布"
	case ActUpdate:
		return "更新（新版本）"
	case ActExpire:
		return "标记失效"
	case ActRepeal:
		return "标记废止"
	case ActWithdraw:
		return "撤回"
	}
	return string(a)
}

// EditorRoles may write and submit items: information officers, and the
// section heads and publishers who sometimes write themselves.
var EditorRoles = []account.Role{account.RoleOfficer, account.RoleSection, account.RolePublisher}

var (
	// ErrInvalidTransition reports an action that the item's state does
	// not allow. It wraps apperr.ErrConflict: someone else has usually
	// moved the item on.
	ErrInvalidTransition = fmt.Errorf("publish: action not allowed in this state: %w", apperr.ErrConflict)
	// ErrOwnReview reports a confidentiality reviewer who wrote or edited
	// the version under review. It wraps apperr.ErrForbidden.
	ErrOwnReview = fmt.Errorf("publish: reviewer wrote or edited this version: %w", apperr.ErrForbidden)
)

// Transition returns the state the item moves to when actor performs act on
// it, or an error: ErrInvalidTransition (wrapping apperr.ErrConflict) when
// the state does not allow act, an error wrapping apperr.ErrForbidden when
// the actor lacks the role for it in the item's org (orgPath is the path
// from the root to the item's org), and ErrOwnReview when a confidentiality
// reviewer wrote or edited cur, the version under review.
//
// Regulations on Open Government Information (2019), art. 17: information
// is reviewed for confidentiality before it is disclosed; the report this
// project comes from adds that nothing is published without that review,
// so every path to StatePublished passes StateConfidentialityReview and
// StateApproved.
func Transition(it *Item, cur *Version, orgPath []int64, actor account.Actor, act Action) (State, error) {
	from := it.State
	need := func(roles ...account.Role) error {
		if orgPath == nil {
			return fmt.Errorf("item %d has no org: %w", it.ID, apperr.ErrForbidden)
		}
		return actor.Require(orgPath, roles...)
	}
	var to State
	var roles []account.Role
	switch act {
	case ActSave:
		to, roles = StateDraft, EditorRoles
		if from != StateDraft {
			return "", invalid(from, act)
		}
	case ActSubmit:
		to, roles = StateSectionReview, EditorRoles
		if from != StateDraft {
			return "", invalid(from, act)
		}
	case ActSectionApprove:
		to, roles = StateConfidentialityReview, []account.Role{account.RoleSection}
		if from != StateSectionReview {
			return "", invalid(from, act)
		}
	case ActApprove:
		to, roles = StateApproved, []account.Role{account.RoleReviewer}
		if from != StateConfidentialityReview {
			return "", invalid(from, act)
		}
	case ActReject:
		to = StateDraft
		switch from {
		case StateSectionReview:
			roles = []account.Role{account.RoleSection}
		case StateConfidentialityReview:
			roles = []account.Role{account.RoleReviewer}
		case StateApproved:
			roles = []account.Role{account.RolePublisher}
		default:
			return "", invalid(from, act)
		}
	case ActPublish:
		to, roles = StatePublished, []account.Role{account.RolePublisher}
		if from != StateApproved {
			return "", invalid(from, act)
		}
	case ActSchedule:
		to, roles = StateApproved, []account.Role{account.RolePublisher}
		if from != StateApproved {
			return "", invalid(from, act)
		}
	case ActUpdate:
		to, roles = StateDraft, EditorRoles
		if from != StatePublished {
			return "", invalid(from, act)
		}
	case ActExpire, ActRepeal:
		to, roles = from, []account.Role{account.RolePublisher}
		if it.Live == 0 || from == StateWithdrawn {
			return "", invalid(from, act)
		}
	case ActWithdraw:
		to, roles = StateWithdrawn, []account.Role{account.RolePublisher}
		if it.Live == 0 || from == StateWithdrawn {
			return "", invalid(from, act)
		}
	default:
		return "", fmt.Errorf("publish: unknown action %q: %w", act, apperr.ErrNotFound)
	}
	if err := need(roles...); err != nil {
		return "", err
	}
	if act == ActApprove && cur != nil && cur.EditedBy(actor.UserID) {
		return "", ErrOwnReview
	}
	return to, nil
}

func invalid(from State, act Action) error {
	return fmt.Errorf("%s an item that is %s: %w", act, from, ErrInvalidTransition)
}

// IsInvalidTransition reports whether err comes from a state that does not
// allow the action.
func IsInvalidTransition(err error) bool { return errors.Is(err, ErrInvalidTransition) }
