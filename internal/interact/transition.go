package interact

import (
	"errors"
	"fmt"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// Action is a step of message handling.
type Action string

const (
	ActAccept  Action = "accept"  // within scope
	ActReject  Action = "reject"  // out of scope, with a reason
	ActForward Action = "forward" // to another org of the site group
	ActAssign  Action = "assign"  // to a section and handler
	ActDraft   Action = "draft"   // a handler drafts (or redrafts) the reply
	ActReturn  Action = "return"  // the section head sends the draft back
	ActApprove Action = "approve" // the section head approves: the answer goes out
	ActRate    Action = "rate"    // the sender rates the answer
)

// ErrState reports a step that the message's state does not allow.
var ErrState = errors.New("interact: step not allowed in this state")

// transitions maps a state and an action to the next state.
var transitions = map[State]map[Action]State{
	StateReceived: {ActAccept: StateAccepted, ActReject: StateRejected, ActForward: StateReceived},
	StateAccepted: {ActAssign: StateAssigned, ActReject: StateRejected, ActForward: StateReceived},
	StateAssigned: {ActAssign: StateAssigned, ActDraft: StateDrafted},
	StateDrafted:  {ActDraft: StateDrafted, ActReturn: StateAssigned, ActApprove: StateAnswered},
	StateAnswered: {ActRate: StateAnswered},
}

// Next returns the state a message in state from reaches by act, or an
// error wrapping ErrState (and carrying a Chinese message as an
// *apperr.Invalid) when act is not allowed there. A reply can only be
// answered through ActApprove, so nothing reaches the sender or the
// public without the section head's approval.
func Next(from State, act Action) (State, error) {
	if to, ok := transitions[from][act]; ok {
		return to, nil
	}
	return "", stateError{from: from, act: act}
}

type stateError struct {
	from State
	act  Action
}

func (e stateError) Error() string {
	return fmt.Sprintf("interact: %s not allowed in state %s", e.act, e.from)
}
func (e stateError) Unwrap() []error {
	return []error{ErrState, apperr.Invalidf("", "留言当前状态为“%s”，不能执行此操作", e.from.Label())}
}

// DefaultDeadlineDays is the reply deadline in working days when an org
// has not set its own.
const DefaultDeadlineDays = 5

// MaxDeadlineDays bounds an org's deadline: the inspection indicators veto
// a site with messages unanswered for three months (REGULATIONS.md §5.2),
// so a deadline near that is a mistake.
const MaxDeadlineDays = 30

// DueSoonDays is how many working days before the deadline a message is
// marked due soon.
const DueSoonDays = 2

// StaleMonths is the inspection indicators' limit: "存在超过3个月未回应有效留言的现象" is a single-veto
// item (国办秘函〔2019〕19号, REGULATIONS.md §5.2).
const StaleMonths = 3

// Due returns the reply deadline of a message received on day received,
// counting days working days from the next day, as applications do. The
// result is provisional when the calendar lacks a year it needed.
func Due(cal *workday.Calendar, received workday.Date, days int) (workday.Date, bool) {
	r, err := cal.Add(received, days)
	if err != nil {
		return workday.Date{}, false
	}
	return r.To, r.Provisional
}

// Mark is how a message stands against its deadline as of a day.
type Mark string

const (
	MarkNone    Mark = ""
	MarkDueSoon Mark = "due_soon" // due within DueSoonDays working days
	MarkOverdue Mark = "overdue"  // open past the deadline
	MarkLate    Mark = "late"     // answered after the deadline
	MarkStale   Mark = "stale"    // open for three months: the inspection's veto
)

// Label is the mark's name in Chinese.
func (k Mark) Label() string {
	switch k {
	case MarkDueSoon:
		return "即将到期"
	case MarkOverdue:
		return "已超期"
	case MarkLate:
		return "超期答复"
	case MarkStale:
		return "超过三个月未答复"
	}
	return ""
}

// MarkOf returns the mark of m as of today.
func MarkOf(cal *workday.Calendar, m *Message, today workday.Date) Mark {
	if !m.State.Open() {
		if m.State == StateAnswered && m.Late {
			return MarkLate
		}
		return MarkNone
	}
	if Stale(m.ReceivedOn, today) {
		return MarkStale
	}
	if m.DueOn.IsZero() {
		return MarkNone
	}
	if today.After(m.DueOn) {
		return MarkOverdue
	}
	r, err := cal.Between(today, m.DueOn)
	if err == nil && r.Days <= DueSoonDays {
		return MarkDueSoon
	}
	return MarkNone
}

// Stale reports whether a message received on day received and not yet
// answered has waited StaleMonths calendar months or more by today.
func Stale(received, today workday.Date) bool {
	if received.IsZero() {
		return false
	}
	limit := workday.DateOf(time.Date(received.Year(), received.Month()+StaleMonths, received.Day(), 0, 0, 0, 0, time.UTC))
	return !today.Before(limit)
}

// AnswerDays returns the working days from receipt to answer (the answer
// on the day after receipt counts 1; on the day of receipt, 0).
func AnswerDays(cal *workday.Calendar, received, answered workday.Date) int {
	if received.IsZero() || answered.IsZero() {
		return 0
	}
	r, err := cal.Between(received, answered)
	if err != nil || r.Days < 0 {
		return 0
	}
	return r.Days
}
