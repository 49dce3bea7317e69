package interact

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/job"
	"gongkai/internal/org"
	"gongkai/internal/workday"
)

// Event is one step in a message's handling, for its history. Internal
// events (notes, drafts, returns) are for staff only.
type Event struct {
	ID        int64
	MessageID int64
	Action    string // an Action, or "submit", "note", "overdue"
	At        time.Time
	ActorID   int64
	ActorName string
	Note      string
	FromOrgID int64
	ToOrgID   int64
	Internal  bool
}

// Label is the event's name in Chinese.
func (e Event) Label() string {
	switch e.Action {
	case "submit":
		return "提交留言"
	case string(ActAccept):
		return "受理"
	case string(ActReject):
		return "不予受理"
	case string(ActForward):
		return "转办"
	case string(ActAssign):
		return "交办"
	case string(ActDraft):
		return "拟写答复"
	case string(ActReturn):
		return "退回答复"
	case string(ActApprove):
		return "审核通过并答复"
	case string(ActRate):
		return "满意度评价"
	case "note":
		return "内部备注"
	case "overdue":
		return "超期提醒"
	case "withdraw":
		return "撤下公开"
	case "recomputed":
		return "答复期限重新计算"
	}
	return e.Action
}

// Settings are an org's interaction settings.
type Settings struct {
	OrgID        int64
	DeadlineDays int // reply deadline in working days; 0 means DefaultDeadlineDays
}

// Days returns the deadline in working days in force.
func (s Settings) Days() int {
	if s.DeadlineDays <= 0 {
		return DefaultDeadlineDays
	}
	return s.DeadlineDays
}

// Tx is what an interaction step reads and writes inside one transaction.
// internal/store implements it.
type Tx interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	User(ctx context.Context, id int64) (*account.User, error)
	// CalendarYears returns the administrators' holiday schedules, which
	// replace the built-in ones for their years.
	CalendarYears(ctx context.Context) ([]workday.Year, error)

	// Message returns the message with its latest reply and its rating,
	// or an error wrapping apperr.ErrNotFound.
	Message(ctx context.Context, id int64) (*Message, error)
	MessageByQueryNo(ctx context.Context, queryNo string) (*Message, error)
	// RecentMessageByFingerprint returns the newest message with the
	// fingerprint created at or after since, if any.
	RecentMessageByFingerprint(ctx context.Context, fp string, since time.Time) (*Message, bool, error)
	// CreateMessage inserts m and sets its ID; a query number in use
	// wraps apperr.ErrConflict.
	CreateMessage(ctx context.Context, m *Message) error
	// UpdateMessage saves m; when the message changed since m was read
	// (m.UpdatedAt) it saves nothing and wraps apperr.ErrConflict.
	UpdateMessage(ctx context.Context, m *Message) error
	// OpenMessages returns every message not yet answered or rejected.
	OpenMessages(ctx context.Context) ([]Message, error)
	AddMessageEvent(ctx context.Context, e *Event) error
	MessageEvents(ctx context.Context, messageID int64) ([]Event, error)
	// SaveReply inserts r, or updates it when it has an ID.
	SaveReply(ctx context.Context, r *Reply) error
	// AddRating stores the rating; a second rating wraps apperr.ErrConflict.
	AddRating(ctx context.Context, r *Rating) error
	InteractSettings(ctx context.Context, orgID int64) (Settings, error)
	SaveInteractSettings(ctx context.Context, s Settings) error

	Consultation(ctx context.Context, id int64) (*Consultation, error)
	SaveConsultation(ctx context.Context, c *Consultation) error
	Comment(ctx context.Context, id int64) (*Comment, error)
	SaveComment(ctx context.Context, c *Comment) error
	RecentCommentByFingerprint(ctx context.Context, fp string, since time.Time) (bool, error)

	AppendAudit(ctx context.Context, r audit.Record) error
	Enqueue(ctx context.Context, j job.Job) error
}

// Store opens interaction transactions.
type Store interface {
	UpdateInteract(ctx context.Context, fn func(Tx) error) error
	ViewInteract(ctx context.Context, fn func(Tx) error) error
}

// Config configures a Service.
type Config struct {
	// Calendar is the built-in working-day calendar; years stored by
	// administrators replace its years. Nil means workday.Embedded().
	Calendar *workday.Calendar
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DuplicateWindow is how long the same text from the same address is
	// refused as a repeat; zero means 10 minutes.
	DuplicateWindow time.Duration
}

// Service performs the steps of public interaction, each with its
// permission check and audit record in one transaction. Safe for
// concurrent use.
type Service struct {
	store Store
	cfg   Config
}

// NewService returns a Service over store.
func NewService(store Store, cfg Config) *Service {
	if cfg.Calendar == nil {
		cfg.Calendar = workday.Embedded()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DuplicateWindow == 0 {
		cfg.DuplicateWindow = 10 * time.Minute
	}
	return &Service{store: store, cfg: cfg}
}

// Roles for each kind of step. A grant on an org covers its subtree.
var (
	// ViewRoles may read an org's messages.
	ViewRoles = []account.Role{account.RoleOfficer, account.RoleHandler, account.RoleSection, account.RolePublisher, account.RoleLeader, account.RoleAdmin}
	// TriageRoles accept, reject, forward and assign messages.
	TriageRoles = []account.Role{account.RoleSection, account.RolePublisher, account.RoleLeader, account.RoleAdmin}
	// DraftRoles draft replies.
	DraftRoles = []account.Role{account.RoleOfficer, account.RoleHandler}
	// ApproveRoles approve replies and consultation summaries.
	ApproveRoles = []account.Role{account.RoleSection}
	// ConsultRoles open consultations, moderate comments and draft the
	// feedback summary.
	ConsultRoles = []account.Role{account.RolePublisher}
	// SettingsRoles change an org's deadline.
	SettingsRoles = []account.Role{account.RoleAdmin, account.RoleLeader}
)

// Calendar returns the calendar in force: the built-in years with the
// stored ones over them.
func (s *Service) Calendar(ctx context.Context, tx Tx) (*workday.Calendar, error) {
	years, err := tx.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	c := s.cfg.Calendar
	for _, y := range years {
		if c, err = c.WithYear(y); err != nil {
			return nil, fmt.Errorf("stored holiday schedule %d: %w", y.Year, err)
		}
	}
	return c, nil
}

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.cfg.Now() }

func record(actor account.Actor, orgID int64, act audit.Action, objType string, objID int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: objType, ObjectID: objID, Detail: detail, IP: actor.IP}
}

// publicActor is the audit trail's name for citizens on the public site;
// their address is not recorded (personal data).
var publicActor = account.Actor{Name: "public:online"}

func orgPath(ctx context.Context, tx Tx, orgID int64) ([]int64, error) {
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	p := org.Path(orgs, orgID)
	if p == nil {
		return nil, fmt.Errorf("org %d: %w", orgID, apperr.ErrNotFound)
	}
	return p, nil
}

// Receipt is what a sender takes away.
type Receipt struct {
	Message *Message
	QueryNo string
	Code    string // shown once
}

// Submit stores a message from the public site. ipKey identifies the
// client address for duplicate detection (only a hash of it with the text
// is stored). The same text from the same address within the duplicate
// window is refused with a message naming the earlier query number.
func (s *Service) Submit(ctx context.Context, m *Message, ipKey string) (*Receipt, error) {
	now := s.cfg.Now().UTC().Truncate(time.Second)
	m.Normalize()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.Fingerprint = Fingerprint(ipKey, m.OrgID, m.Subject, m.Body)
	var rc *Receipt
	err := s.store.UpdateInteract(ctx, func(tx Tx) error {
		if _, err := orgPath(ctx, tx, m.OrgID); err != nil {
			if errors.Is(err, apperr.ErrNotFound) {
				return apperr.Invalidf("org_id", "请选择留言对象")
			}
			return err
		}
		prev, ok, err := tx.RecentMessageByFingerprint(ctx, m.Fingerprint, now.Add(-s.cfg.DuplicateWindow))
		if err != nil {
			return err
		}
		if ok {
			return apperr.Invalidf("", "您刚刚已提交过相同内容的留言（编号 %s），请勿重复提交。请凭编号和查询码查看办理情况。", prev.QueryNo)
		}
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		set, err := tx.InteractSettings(ctx, m.OrgID)
		if err != nil {
			return err
		}
		m.State = StateReceived
		m.SubmittedAt = now
		m.ReceivedOn = Today(now)
		m.DeadlineDays = set.Days()
		m.DueOn, _ = Due(cal, m.ReceivedOn, m.DeadlineDays)
		code := NewQueryCode()
		created := false
		for range 5 {
			m.QueryNo = NewQueryNo(now)
			m.CodeHash = HashCode(m.QueryNo, code)
			err := tx.CreateMessage(ctx, m)
			if err == nil {
				created = true
				break
			}
			if !errors.Is(err, apperr.ErrConflict) {
				return err
			}
		}
		if !created {
			return fmt.Errorf("create message: no free query number: %w", apperr.ErrConflict)
		}
		if err := tx.AddMessageEvent(ctx, &Event{MessageID: m.ID, Action: "submit", At: now, ActorName: "留言人"}); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, record(publicActor, m.OrgID, audit.ActInteractSubmit, "message", m.ID, "网上留言 "+m.QueryNo+"（"+m.Kind.Label()+"）")); err != nil {
			return err
		}
		rc = &Receipt{Message: m, QueryNo: m.QueryNo, Code: code}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rc, nil
}

// Track returns the message with queryNo when code is its query code,
// with the events the sender may see. A wrong code and an unknown number
// both give an error wrapping apperr.ErrNotFound, so the answer tells
// nothing about which it was; callers throttle attempts.
func (s *Service) Track(ctx context.Context, queryNo, code string) (*Message, []Event, error) {
	queryNo = NormalizeQueryNo(queryNo)
	var m *Message
	var evs []Event
	err := s.store.ViewInteract(ctx, func(tx Tx) error {
		var err error
		m, err = s.checkCode(ctx, tx, queryNo, code)
		if err != nil {
			return err
		}
		all, err := tx.MessageEvents(ctx, m.ID)
		if err != nil {
			return err
		}
		for _, e := range all {
			if !e.Internal {
				evs = append(evs, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return m, evs, nil
}

func (s *Service) checkCode(ctx context.Context, tx Tx, queryNo, code string) (*Message, error) {
	m, err := tx.MessageByQueryNo(ctx, queryNo)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if !equalHex(m.CodeHash, HashCode(queryNo, code)) {
		return nil, apperr.ErrNotFound
	}
	return m, nil
}

// Rate records the sender's satisfaction with the answer, once.
func (s *Service) Rate(ctx context.Context, queryNo, code string, level Level, comment string) error {
	queryNo = NormalizeQueryNo(queryNo)
	comment = strings.TrimSpace(comment)
	inv := &apperr.Invalid{}
	if !slices.Contains(Levels(), level) {
		inv.Add("level", "请选择满意程度")
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		inv.Add("comment", fmt.Sprintf("评价不能超过%d字", MaxComment))
	}
	if CountLinks(comment) > MaxLinks {
		inv.Add("comment", "评价中的网址不能超过3个")
	}
	if err := inv.Err(); err != nil {
		return err
	}
	return s.store.UpdateInteract(ctx, func(tx Tx) error {
		m, err := s.checkCode(ctx, tx, queryNo, code)
		if err != nil {
			return err
		}
		if m.Rating != nil {
			return apperr.Invalidf("level", "您已评价过该答复")
		}
		if _, err := Next(m.State, ActRate); err != nil {
			return apperr.Invalidf("level", "留言答复后才能评价")
		}
		now := s.cfg.Now().UTC()
		r := &Rating{MessageID: m.ID, Level: level, Comment: comment, At: now}
		if err := tx.AddRating(ctx, r); err != nil {
			return err
		}
		if err := tx.AddMessageEvent(ctx, &Event{MessageID: m.ID, Action: string(ActRate), At: now, ActorName: "留言人", Note: level.Label()}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(publicActor, m.OrgID, audit.ActInteractRate, "message", m.ID, m.QueryNo+" 评价："+level.Label()))
	})
}

// step loads message id, hides it from staff outside its org, checks the
// state machine and roles, lets fn change it, then saves the message, the
// event and the audit record in one transaction.
func (s *Service) step(ctx context.Context, actor account.Actor, id int64, act Action, roles []account.Role, auditAct audit.Action,
	fn func(tx Tx, m *Message, cal *workday.Calendar, now time.Time) (ev *Event, detail string, err error)) (*Message, error) {
	var out *Message
	err := s.store.UpdateInteract(ctx, func(tx Tx) error {
		m, err := tx.Message(ctx, id)
		if err != nil {
			return err
		}
		path, err := orgPath(ctx, tx, m.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			// Staff of other orgs learn nothing about the message.
			return fmt.Errorf("message %d: %w", id, apperr.ErrNotFound)
		}
		if err := actor.Require(path, roles...); err != nil {
			return err
		}
		next := m.State
		if act != "" {
			if next, err = Next(m.State, act); err != nil {
				return err
			}
		}
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		orgBefore := m.OrgID
		ev, detail, err := fn(tx, m, cal, now)
		if err != nil {
			return err
		}
		m.State = next
		if err := tx.UpdateMessage(ctx, m); err != nil {
			return err
		}
		if ev != nil {
			ev.MessageID, ev.At, ev.ActorID, ev.ActorName = m.ID, now, actor.UserID, actor.Name
			if ev.Action == "" {
				ev.Action = string(act)
			}
			if err := tx.AddMessageEvent(ctx, ev); err != nil {
				return err
			}
		}
		out = m
		return tx.AppendAudit(ctx, record(actor, orgBefore, auditAct, "message", m.ID, m.QueryNo+"："+detail))
	})
	return out, err
}

func noteField(inv *apperr.Invalid, field, v string, required bool, missing string) {
	switch {
	case v == "" && required:
		inv.Add(field, missing)
	case utf8.RuneCountInString(v) > MaxNote:
		inv.Add(field, fmt.Sprintf("不能超过%d字", MaxNote))
	}
}

// Accept accepts a message as within the org's scope.
func (s *Service) Accept(ctx context.Context, actor account.Actor, id int64) (*Message, error) {
	return s.step(ctx, actor, id, ActAccept, TriageRoles, audit.ActInteractAccept, func(tx Tx, m *Message, _ *workday.Calendar, _ time.Time) (*Event, string, error) {
		return &Event{}, "受理", nil
	})
}

// Reject refuses a message as out of scope; the sender reads the reason.
// A rejection is a response: it ends the message's clock.
func (s *Service) Reject(ctx context.Context, actor account.Actor, id int64, reason string) (*Message, error) {
	reason = strings.TrimSpace(reason)
	return s.step(ctx, actor, id, ActReject, TriageRoles, audit.ActInteractReject, func(tx Tx, m *Message, cal *workday.Calendar, now time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		noteField(inv, "reason", reason, true, "请说明不予受理的理由，留言人将看到该理由")
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		m.RejectReason = reason
		m.AnsweredOn, m.AnsweredAt = Today(now), now
		m.Late = !m.DueOn.IsZero() && m.AnsweredOn.After(m.DueOn)
		if err := notify(ctx, tx, m, now); err != nil {
			return nil, "", err
		}
		return &Event{Note: reason}, "不予受理", nil
	})
}

// Forward sends a message to another org of the same site group, which
// triages it afresh. The deadline keeps the original day of receipt (the
// sender should not wait longer for an internal hand-over) with the
// receiving org's number of days.
func (s *Service) Forward(ctx context.Context, actor account.Actor, id, toOrgID int64, note string) (*Message, error) {
	note = strings.TrimSpace(note)
	return s.step(ctx, actor, id, ActForward, TriageRoles, audit.ActInteractForward, func(tx Tx, m *Message, cal *workday.Calendar, _ time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return nil, "", err
		}
		from, to := org.Path(orgs, m.OrgID), org.Path(orgs, toOrgID)
		switch {
		case to == nil:
			inv.Add("to_org_id", "请选择转办的单位")
		case toOrgID == m.OrgID:
			inv.Add("to_org_id", "不能转给本单位")
		case from[0] != to[0]:
			inv.Add("to_org_id", "只能转给本网站群内的单位")
		}
		noteField(inv, "note", note, false, "")
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		set, err := tx.InteractSettings(ctx, toOrgID)
		if err != nil {
			return nil, "", err
		}
		fromID := m.OrgID
		m.OrgID, m.Section, m.HandlerID = toOrgID, "", 0
		m.DeadlineDays = set.Days()
		m.DueOn, _ = Due(cal, m.ReceivedOn, m.DeadlineDays)
		return &Event{Note: note, FromOrgID: fromID, ToOrgID: toOrgID}, fmt.Sprintf("转办至机构 %d", toOrgID), nil
	})
}

// Assign gives an accepted message to a section and a handler, who must
// hold the officer or handler role in the message's org.
func (s *Service) Assign(ctx context.Context, actor account.Actor, id int64, section string, handlerID int64) (*Message, error) {
	section = strings.TrimSpace(section)
	return s.step(ctx, actor, id, ActAssign, TriageRoles, audit.ActInteractAssign, func(tx Tx, m *Message, _ *workday.Calendar, _ time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		if section == "" {
			inv.Add("section", "请填写承办科室")
		} else if utf8.RuneCountInString(section) > 50 {
			inv.Add("section", "科室名称不能超过50字")
		}
		var u *account.User
		if handlerID == 0 {
			inv.Add("handler_id", "请选择承办人")
		} else {
			var err error
			u, err = tx.User(ctx, handlerID)
			if err != nil && !errors.Is(err, apperr.ErrNotFound) {
				return nil, "", err
			}
			if u != nil {
				path, err := orgPath(ctx, tx, m.OrgID)
				if err != nil {
					return nil, "", err
				}
				if u.Disabled || !account.ActorFor(u, "").HasAny(path, DraftRoles...) {
					u = nil
				}
			}
			if u == nil {
				inv.Add("handler_id", "所选用户不是本单位的信息员或经办人")
			}
		}
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		m.Section, m.HandlerID = section, u.ID
		return &Event{Note: section + " " + u.DisplayName, Internal: true}, "交办 " + section + " " + u.Username, nil
	})
}

// AddNote adds an internal note to a message; any staff member who may
// read it may add one.
func (s *Service) AddNote(ctx context.Context, actor account.Actor, id int64, note string) (*Message, error) {
	note = strings.TrimSpace(note)
	return s.step(ctx, actor, id, "", ViewRoles, audit.ActInteractNote, func(tx Tx, m *Message, _ *workday.Calendar, _ time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		noteField(inv, "note", note, true, "请填写备注内容")
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Action: "note", Note: note, Internal: true}, "添加内部备注", nil
	})
}

// DraftReply stores a handler's reply for the section head's approval. A
// reply carrying blocking personal data or the sender's contact data is
// refused (CheckReply).
func (s *Service) DraftReply(ctx context.Context, actor account.Actor, id int64, body string) (*Message, error) {
	body = strings.ReplaceAll(strings.TrimSpace(body), "\r\n", "\n")
	return s.step(ctx, actor, id, ActDraft, DraftRoles, audit.ActInteractDraft, func(tx Tx, m *Message, _ *workday.Calendar, now time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		if body == "" {
			inv.Add("body", "请填写答复内容")
		} else if utf8.RuneCountInString(body) > MaxReply {
			inv.Add("body", fmt.Sprintf("答复不能超过%d字", MaxReply))
		}
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		if err := CheckReply(body, m.Sender, s.cfg.Now); err != nil {
			return nil, "", err
		}
		r := &Reply{MessageID: m.ID, Body: body, Status: ReplyDraft, DraftedBy: actor.UserID, DraftedName: actor.Name, DraftedAt: now}
		if m.Reply != nil && m.Reply.Status == ReplyDraft {
			r.ID = m.Reply.ID // a redraft replaces the pending draft
		}
		if err := tx.SaveReply(ctx, r); err != nil {
			return nil, "", err
		}
		m.Reply = r
		return &Event{Internal: true}, "拟写答复", nil
	})
}

// ReturnReply sends the pending draft back to the handler with a note.
func (s *Service) ReturnReply(ctx context.Context, actor account.Actor, id int64, note string) (*Message, error) {
	note = strings.TrimSpace(note)
	return s.step(ctx, actor, id, ActReturn, ApproveRoles, audit.ActInteractReturn, func(tx Tx, m *Message, _ *workday.Calendar, now time.Time) (*Event, string, error) {
		inv := &apperr.Invalid{}
		noteField(inv, "note", note, true, "请说明退回的理由")
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		r := m.Reply
		r.Status, r.DecidedBy, r.DecidedName, r.DecidedAt, r.Note = ReplyReturned, actor.UserID, actor.Name, now, note
		if err := tx.SaveReply(ctx, r); err != nil {
			return nil, "", err
		}
		return &Event{Note: note, Internal: true}, "退回答复", nil
	})
}

// ApproveReply approves the pending reply: the answer goes to the sender
// and, when publish is set and the sender consented, onto the public list
// with the name masked and personal data screened. The approver must hold
// the section role and may not approve their own draft.
func (s *Service) ApproveReply(ctx context.Context, actor account.Actor, id int64, publish bool) (*Message, error) {
	return s.step(ctx, actor, id, ActApprove, ApproveRoles, audit.ActInteractAnswer, func(tx Tx, m *Message, _ *workday.Calendar, now time.Time) (*Event, string, error) {
		r := m.Reply
		if r == nil || r.Status != ReplyDraft {
			return nil, "", apperr.Invalidf("", "没有待审核的答复")
		}
		if r.DraftedBy == actor.UserID && !actor.System {
			return nil, "", fmt.Errorf("approve own reply: %w", apperr.ErrForbidden)
		}
		// Screened again: the rules may have changed since drafting.
		if err := CheckReply(r.Body, m.Sender, s.cfg.Now); err != nil {
			return nil, "", err
		}
		r.Status, r.DecidedBy, r.DecidedName, r.DecidedAt = ReplyApproved, actor.UserID, actor.Name, now
		r.Publish = publish && m.Consent
		if err := tx.SaveReply(ctx, r); err != nil {
			return nil, "", err
		}
		m.AnsweredOn, m.AnsweredAt = Today(now), now
		m.Late = !m.DueOn.IsZero() && m.AnsweredOn.After(m.DueOn)
		if err := notify(ctx, tx, m, now); err != nil {
			return nil, "", err
		}
		detail := "审核通过并答复"
		if r.Publish {
			Publicize(m, r.Body, s.cfg.Now)
			m.Published = true
			detail += "，公开"
		}
		return &Event{}, detail, nil
	})
}

// Withdraw takes an answered message off the public list, with a reason
// kept in its history; the sender still reads the answer. It needs the
// section head or the office publisher role.
func (s *Service) Withdraw(ctx context.Context, actor account.Actor, id int64, reason string) (*Message, error) {
	reason = strings.TrimSpace(reason)
	roles := []account.Role{account.RoleSection, account.RolePublisher}
	return s.step(ctx, actor, id, "", roles, audit.ActInteractWithdraw, func(tx Tx, m *Message, _ *workday.Calendar, _ time.Time) (*Event, string, error) {
		if !m.Published {
			return nil, "", apperr.Invalidf("reason", "该留言未公开")
		}
		inv := &apperr.Invalid{}
		noteField(inv, "reason", reason, true, "请说明撤下的理由")
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		m.Published, m.PublicName, m.PublicSubject, m.PublicBody, m.PublicReply = false, "", "", "", ""
		return &Event{Action: "withdraw", Note: reason, Internal: true}, "撤下公开的留言：" + reason, nil
	})
}

// SetSettings changes an org's reply deadline.
func (s *Service) SetSettings(ctx context.Context, actor account.Actor, set Settings) error {
	if set.DeadlineDays < 1 || set.DeadlineDays > MaxDeadlineDays {
		return apperr.Invalidf("deadline_days", "答复期限应为1至%d个工作日", MaxDeadlineDays)
	}
	return s.store.UpdateInteract(ctx, func(tx Tx) error {
		path, err := orgPath(ctx, tx, set.OrgID)
		if err != nil {
			return err
		}
		if err := actor.Require(path, SettingsRoles...); err != nil {
			return err
		}
		if err := tx.SaveInteractSettings(ctx, set); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, set.OrgID, audit.ActInteractSettings, "interact_settings", set.OrgID,
			fmt.Sprintf("留言答复期限设为%d个工作日", set.DeadlineDays)))
	})
}

// Settings returns an org's settings.
func (s *Service) Settings(ctx context.Context, orgID int64) (Settings, error) {
	var set Settings
	err := s.store.ViewInteract(ctx, func(tx Tx) error {
		var err error
		set, err = tx.InteractSettings(ctx, orgID)
		return err
	})
	return set, err
}

// View returns message id with its history for a staff member who may
// read it; others get an error wrapping apperr.ErrNotFound.
func (s *Service) View(ctx context.Context, actor account.Actor, id int64) (*Message, []Event, error) {
	var m *Message
	var evs []Event
	err := s.store.ViewInteract(ctx, func(tx Tx) error {
		var err error
		if m, err = tx.Message(ctx, id); err != nil {
			return err
		}
		path, err := orgPath(ctx, tx, m.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			return fmt.Errorf("message %d: %w", id, apperr.ErrNotFound)
		}
		evs, err = tx.MessageEvents(ctx, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return m, evs, nil
}

// CalendarNow returns the calendar in force and today, for marks in lists.
func (s *Service) CalendarNow(ctx context.Context) (*workday.Calendar, workday.Date, error) {
	var cal *workday.Calendar
	err := s.store.ViewInteract(ctx, func(tx Tx) error {
		var err error
		cal, err = s.Calendar(ctx, tx)
		return err
	})
	return cal, Today(s.cfg.Now()), err
}

// JobNotify is the kind of the job that tells a sender who gave an
// e-mail address that the message was answered or refused. Its payload is
// a Notify; the address is read when the job runs, so it never sits in
// the job queue.
const JobNotify = "interact.notify"

// Notify is the payload of a JobNotify job.
type Notify struct {
	MessageID int64 `json:"message_id"`
}

// notify enqueues a JobNotify for m when its sender gave an e-mail
// address, in the transaction of the step (outbox).
func notify(ctx context.Context, tx Tx, m *Message, now time.Time) error {
	if m.Sender.Email == "" {
		return nil
	}
	j, err := job.New(JobNotify, Notify{MessageID: m.ID}, now)
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, j)
}

// JobDeadlines is the kind of the daily deadline check.
const JobDeadlines = "interact.deadlines"

// CheckDeadlines recomputes the due date of every open message with the
// calendar in force (an administrator may have added or corrected a
// year's holidays since it arrived), noting each change in its history,
// and records, once per message, an internal "overdue" event on every open
// message past its deadline, so the history shows when it fell overdue.
// It returns how many it marked overdue.
func (s *Service) CheckDeadlines(ctx context.Context) (int, error) {
	n := 0
	err := s.store.UpdateInteract(ctx, func(tx Tx) error {
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		today := Today(now)
		open, err := tx.OpenMessages(ctx)
		if err != nil {
			return err
		}
		for i := range open {
			m := &open[i]
			if m.DeadlineDays > 0 {
				if due, _ := Due(cal, m.ReceivedOn, m.DeadlineDays); !due.IsZero() && due != m.DueOn {
					ev := &Event{MessageID: m.ID, Action: "recomputed", At: now, ActorName: "系统", Internal: true,
						Note: "节假日安排调整，答复期限由 " + m.DueOn.String() + " 重新计算为 " + due.String()}
					m.DueOn = due
					if err := tx.UpdateMessage(ctx, m); err != nil {
						return err
					}
					if err := tx.AddMessageEvent(ctx, ev); err != nil {
						return err
					}
				}
			}
			if m.DueOn.IsZero() || !today.After(m.DueOn) {
				continue
			}
			evs, err := tx.MessageEvents(ctx, m.ID)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(evs, func(e Event) bool { return e.Action == "overdue" }) {
				continue
			}
			ev := &Event{MessageID: m.ID, Action: "overdue", At: now, ActorName: "系统", Internal: true,
				Note: "已超过答复期限（" + m.DueOn.String() + "）"}
			if err := tx.AddMessageEvent(ctx, ev); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RunDeadlines is the job handler of JobDeadlines.
func (s *Service) RunDeadlines(ctx context.Context, _ job.Job) error {
	_, err := s.CheckDeadlines(ctx)
	return err
}
