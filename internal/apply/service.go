package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/job"
	"gongkai/internal/workday"
)

// Tx is what an application step reads and writes inside one transaction.
// internal/store implements it.
type Tx interface {
	OrgPath(ctx context.Context, orgID int64) ([]int64, error)
	User(ctx context.Context, id int64) (*account.User, error)

	// Application returns the application with its events, or an error
	// wrapping apperr.ErrNotFound.
	Application(ctx context.Context, id int64) (*Application, error)
	// ApplicationByTracking is Application by tracking number.
	ApplicationByTracking(ctx context.Context, trackingNo string) (*Application, error)
	// RecentByFingerprint returns the newest application of org with the
	// fingerprint created at or after since, if any.
	RecentByFingerprint(ctx context.Context, orgID int64, fingerprint string, since time.Time) (*Application, bool, error)
	// CreateApplication inserts a and sets its ID and timestamps; a
	// tracking number in use wraps apperr.ErrConflict.
	CreateApplication(ctx context.Context, a *Application) error
	// UpdateApplication saves a's handler, state, outcome and cached clock.
	UpdateApplication(ctx context.Context, a *Application) error
	// OpenApplications returns every application not yet answered, with
	// events.
	OpenApplications(ctx context.Context) ([]Application, error)
	AddEvent(ctx context.Context, e *Event) error

	AddDelivery(ctx context.Context, d *Delivery) error
	AddApplyNotice(ctx context.Context, n *Notice) error
	// NoticeTemplate returns the org's template for c, or ok false.
	NoticeTemplate(ctx context.Context, orgID int64, c Category) (body string, ok bool, err error)
	SaveNoticeTemplate(ctx context.Context, orgID int64, c Category, body string) error
	AddApplyAttachment(ctx context.Context, at *Attachment) error
	ApplyCase(ctx context.Context, id int64) (*Case, error)
	SaveApplyCase(ctx context.Context, c *Case) error

	// CalendarYears returns the administrators' holiday schedules, which
	// replace the built-in ones for their years.
	CalendarYears(ctx context.Context) ([]workday.Year, error)
	SaveCalendarYear(ctx context.Context, y workday.Year, by string) error

	// AddNotification stores n unless the same warning (org, user,
	// application, kind, day) exists; it reports whether it was added.
	AddApplyNotification(ctx context.Context, n *Notification) (bool, error)

	AppendAudit(ctx context.Context, r audit.Record) error
	Enqueue(ctx context.Context, j job.Job) error
}

// Store opens application transactions.
type Store interface {
	UpdateApply(ctx context.Context, fn func(Tx) error) error
	// ViewApply runs fn in a read-only transaction; fn must not write.
	ViewApply(ctx context.Context, fn func(Tx) error) error
}

// Config configures a Service.
type Config struct {
	// Calendar is the built-in working-day calendar; years stored by
	// administrators replace its years. Nil means workday.Embedded().
	Calendar *workday.Calendar
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Signer signs receipts; nil leaves receipts unsigned.
	Signer func(ctx context.Context) (note.Signer, error)
	// Origin names the site in receipts, e.g. "gongkai.example/apply".
	Origin string
	// Rules are the clock's settings; the zero value is the default.
	Rules Rules
	// DuplicateWindow is how long an identical submission is recognised
	// as the same application; zero means 10 minutes.
	DuplicateWindow time.Duration
}

// Service performs the steps of disclosure on application, each with its
// permission check, clock update and audit record in one transaction. Safe
// for concurrent use.
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
	if cfg.Origin == "" {
		cfg.Origin = "gongkai/apply"
	}
	return &Service{store: store, cfg: cfg}
}

// Rules returns the clock's settings, for callers that compute clocks to
// show them.
func (s *Service) Rules() Rules { return s.cfg.Rules }

// Calendar returns the calendar in force: the built-in years with the
// stored ones over them.
func (s *Service) Calendar(ctx context.Context, tx Tx) (*workday.Calendar, error) {
	years, err := tx.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	return Overlay(s.cfg.Calendar, years)
}

// Overlay returns base with years replacing its own.
func Overlay(base *workday.Calendar, years []workday.Year) (*workday.Calendar, error) {
	c := base
	for _, y := range years {
		var err error
		if c, err = c.WithYear(y); err != nil {
			return nil, fmt.Errorf("stored holiday schedule %d: %w", y.Year, err)
		}
	}
	return c, nil
}

// ViewRoles may read an org's applications.
var ViewRoles = []account.Role{account.RoleHandler, account.RoleLeader, account.RoleAdmin}

func record(actor account.Actor, orgID int64, act audit.Action, objID int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: "application", ObjectID: objID, Detail: detail, IP: actor.IP}
}

// refresh recomputes the clock and the cached fields of a.
func (s *Service) refresh(cal *workday.Calendar, a *Application, today workday.Date) Clock {
	c := s.cfg.Rules.Compute(cal, a.Channel, a.Events, today)
	delivered := slices.ContainsFunc(a.Events, func(e Event) bool { return e.Kind == EvDelivered })
	a.State = StateOf(c, delivered)
	a.DueOn, a.DueProvisional, a.Late = c.Due, c.Provisional, c.Late
	if !c.Received.IsZero() {
		a.ReceivedOn = c.Received
	}
	return c
}

// Receipt is what an online applicant takes away.
type Receipt struct {
	Application *Application
	TrackingNo  string
	Code        string // the query code, shown once; "" for a recognised duplicate
	SubmittedAt time.Time
	Digest      string
	Signed      string // the signed note; "" when no signer is configured
	Duplicate   bool   // the same application was already submitted moments ago
}

// Submit files an application from the public site. It validates the
// application, recognises the same submission made within the duplicate
// window (returning the earlier one with Duplicate set and no new code),
// and otherwise stores it as pending confirmation of receipt with a new
// tracking number and query code (only its hash is stored) and a signed
// receipt. files are uploads already stored by the caller.
func (s *Service) Submit(ctx context.Context, a *Application, files []Attachment) (*Receipt, error) {
	now := s.cfg.Now().UTC().Truncate(time.Second)
	a.Channel = ChannelOnline
	a.Normalize()
	if err := a.Validate(now); err != nil {
		return nil, err
	}
	a.Fingerprint = Fingerprint(a)
	var rc *Receipt
	err := s.store.UpdateApply(ctx, func(tx Tx) error {
		if _, err := tx.OrgPath(ctx, a.OrgID); err != nil {
			return err
		}
		prev, ok, err := tx.RecentByFingerprint(ctx, a.OrgID, a.Fingerprint, now.Add(-s.cfg.DuplicateWindow))
		if err != nil {
			return err
		}
		if ok {
			rc = &Receipt{Application: prev, TrackingNo: prev.TrackingNo, SubmittedAt: prev.SubmittedAt, Digest: prev.Digest, Duplicate: true}
			return nil
		}
		a.SubmittedAt = now
		hashes := make([]string, len(files))
		for i, f := range files {
			hashes[i] = f.SHA256
		}
		a.Digest = ComputeDigest(a, hashes)
		a.State = StatePending
		code := NewQueryCode()
		if err := s.create(ctx, tx, a, code); err != nil {
			return err
		}
		ev := Event{ApplicationID: a.ID, Kind: EvSubmitted, On: Today(now), At: now, ActorName: "申请人（网上申请）"}
		if err := tx.AddEvent(ctx, &ev); err != nil {
			return err
		}
		a.Events = append(a.Events, ev)
		for i := range files {
			files[i].ApplicationID = a.ID
			if err := tx.AddApplyAttachment(ctx, &files[i]); err != nil {
				return err
			}
		}
		if err := tx.AppendAudit(ctx, record(account.Actor{Name: "public:online"}, a.OrgID, audit.ActApplySubmit, a.ID, "网上提交申请 "+a.TrackingNo)); err != nil {
			return err
		}
		rc = &Receipt{Application: a, TrackingNo: a.TrackingNo, Code: code, SubmittedAt: now, Digest: a.Digest}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !rc.Duplicate && s.cfg.Signer != nil {
		signer, err := s.cfg.Signer(ctx)
		if err != nil {
			return nil, fmt.Errorf("load receipt key: %w", err)
		}
		rc.Signed, err = SignReceipt(signer, ReceiptText(s.cfg.Origin, rc.TrackingNo, rc.SubmittedAt, rc.Digest))
		if err != nil {
			return nil, err
		}
	}
	return rc, nil
}

// create inserts a with a fresh tracking number, retrying the rare clash.
func (s *Service) create(ctx context.Context, tx Tx, a *Application, code string) error {
	for range 5 {
		a.TrackingNo = NewTrackingNo(a.SubmittedAt)
		a.CodeHash = HashCode(a.TrackingNo, code)
		err := tx.CreateApplication(ctx, a)
		if err == nil {
			return nil
		}
		if !errors.Is(err, apperr.ErrConflict) {
			return err
		}
	}
	return fmt.Errorf("create application: no free tracking number: %w", apperr.ErrConflict)
}

// Registration is an application staff register by hand: a letter, a fax
// or a visit (条例 art. 29 allows oral applications written down by the
// office), with the day that makes the date of receipt under art. 31.
type Registration struct {
	Application Application
	ReceivedOn  workday.Date // the submission, signing or confirmation day for the channel
	Note        string
}

// Register records an application received on paper, in person or by fax.
// The actor needs the handler role in the org. It returns the application
// and its query code, to give to the applicant.
func (s *Service) Register(ctx context.Context, actor account.Actor, reg Registration) (*Application, string, error) {
	a := reg.Application
	a.Normalize()
	now := s.cfg.Now().UTC().Truncate(time.Second)
	inv := &apperr.Invalid{}
	if err := a.Validate(now); err != nil {
		if iv, ok := apperr.AsInvalid(err); ok {
			inv = iv
		} else {
			return nil, "", err
		}
	}
	if a.Channel == ChannelOnline {
		inv.Add("channel", "网上申请由申请人在网站提交，此处登记信函、传真和当面提交的申请")
	}
	if reg.ReceivedOn.IsZero() {
		inv.Add("received_on", "请填写"+a.Channel.ReceiptLabel())
	} else if reg.ReceivedOn.After(Today(now)) {
		inv.Add("received_on", "日期不能晚于今天")
	}
	if err := inv.Err(); err != nil {
		return nil, "", err
	}
	a.Fingerprint = Fingerprint(&a)
	code := NewQueryCode()
	err := s.store.UpdateApply(ctx, func(tx Tx) error {
		path, err := tx.OrgPath(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if err := actor.Require(path, account.RoleHandler); err != nil {
			return err
		}
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		a.SubmittedAt = now
		a.State = StatePending
		a.Digest = ComputeDigest(&a, nil)
		if err := s.create(ctx, tx, &a, code); err != nil {
			return err
		}
		for _, ev := range []Event{
			{Kind: EvSubmitted, On: reg.ReceivedOn, Note: "工作人员登记：" + a.Channel.Label()},
			{Kind: EvReceived, On: reg.ReceivedOn, Note: reg.Note},
		} {
			ev.ApplicationID, ev.At, ev.ActorID, ev.ActorName = a.ID, now, actor.UserID, actor.Name
			if err := tx.AddEvent(ctx, &ev); err != nil {
				return err
			}
			a.Events = append(a.Events, ev)
		}
		s.refresh(cal, &a, Today(now))
		if err := tx.UpdateApplication(ctx, &a); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, a.OrgID, audit.ActApplyRegister, a.ID,
			fmt.Sprintf("登记%s申请 %s，收到日期 %s", a.Channel.Label(), a.TrackingNo, reg.ReceivedOn)))
	})
	if err != nil {
		return nil, "", err
	}
	return &a, code, nil
}

// step loads application id, checks that actor holds one of roles in its
// org, lets fn validate and return the event to record, then recomputes the
// clock, saves, and audits, all in one transaction.
func (s *Service) step(ctx context.Context, actor account.Actor, id int64, roles []account.Role, act audit.Action,
	fn func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error)) (*Application, error) {
	var out *Application
	err := s.store.UpdateApply(ctx, func(tx Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		path, err := tx.OrgPath(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if !actor.HasAny(path, ViewRoles...) {
			// Staff of other orgs learn nothing about the application.
			return fmt.Errorf("application %d: %w", id, apperr.ErrNotFound)
		}
		if err := actor.Require(path, roles...); err != nil {
			return err
		}
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		today := Today(now)
		c := s.cfg.Rules.Compute(cal, a.Channel, a.Events, today)
		ev, detail, err := fn(tx, a, c, today)
		if err != nil {
			return err
		}
		if ev != nil {
			ev.ApplicationID, ev.At, ev.ActorID, ev.ActorName = a.ID, now, actor.UserID, actor.Name
			if err := tx.AddEvent(ctx, ev); err != nil {
				return err
			}
			a.Events = append(a.Events, *ev)
		}
		s.refresh(cal, a, today)
		if err := tx.UpdateApplication(ctx, a); err != nil {
			return err
		}
		out = a
		return tx.AppendAudit(ctx, record(actor, a.OrgID, act, a.ID, a.TrackingNo+"："+detail))
	})
	return out, err
}

func checkDay(inv *apperr.Invalid, field string, d, today workday.Date, label string) {
	if d.IsZero() {
		inv.Add(field, "请填写"+label)
	} else if d.After(today) {
		inv.Add(field, label+"不能晚于今天")
	}
}

func noteLen(inv *apperr.Invalid, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		inv.Add(field, fmt.Sprintf("不能超过%d字", max))
	}
}

var handlerRoles = []account.Role{account.RoleHandler}

// ConfirmReceipt fixes the date of receipt of an online application: the
// day both sides confirmed it (条例 art. 31(3)).
func (s *Service) ConfirmReceipt(ctx context.Context, actor account.Actor, id int64, on workday.Date) (*Application, error) {
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyReceive, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if !c.Received.IsZero() {
			return nil, "", apperr.Invalidf("received_on", "已于%s确认收到，不能重复确认", c.Received)
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "received_on", on, today, a.Channel.ReceiptLabel())
		if !on.IsZero() && on.Before(Today(a.SubmittedAt)) {
			inv.Add("received_on", "确认日期不能早于提交日期")
		}
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvReceived, On: on, Note: a.Channel.ReceiptRule()}, "确认收到，收到日期 " + on.String(), nil
	})
}

// Assign makes handlerID, who must hold the handler role in the
// application's org, its handler.
func (s *Service) Assign(ctx context.Context, actor account.Actor, id, handlerID int64) (*Application, error) {
	return s.step(ctx, actor, id, []account.Role{account.RoleHandler, account.RoleLeader}, audit.ActApplyAssign, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		u, err := tx.User(ctx, handlerID)
		if errors.Is(err, apperr.ErrNotFound) {
			return nil, "", apperr.Invalidf("handler_id", "请选择经办人")
		}
		if err != nil {
			return nil, "", err
		}
		path, err := tx.OrgPath(ctx, a.OrgID)
		if err != nil {
			return nil, "", err
		}
		if u.Disabled || !account.ActorFor(u, "").Has(account.RoleHandler, path) {
			return nil, "", apperr.Invalidf("handler_id", "所选用户不是本机关的依申请公开经办人")
		}
		a.HandlerID = u.ID
		return &Event{Kind: EvAssigned, On: today, Note: u.DisplayName}, "分配经办人 " + u.Username, nil
	})
}

// RequestCorrection records a correction notice sent on day on, with what
// must be clarified and the applicant's period to correct (条例 art. 30:
// "一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限").
func (s *Service) RequestCorrection(ctx context.Context, actor account.Actor, id int64, on, until workday.Date, what string) (*Application, error) {
	what = strings.TrimSpace(what)
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyCorrection, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if err := requireRunning(c); err != nil {
			return nil, "", err
		}
		if c.Consulting {
			return nil, "", apperr.Invalidf("on", "征求意见尚未结束，请先登记收到意见")
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "告知日期")
		if !on.IsZero() && on.Before(c.Start) {
			inv.Add("on", "告知日期不能早于收到申请之日")
		}
		if what == "" {
			inv.Add("note", "请说明需要补正的事项")
		}
		noteLen(inv, "note", what, 2000)
		if until.IsZero() {
			inv.Add("until", "请填写合理的补正期限")
		} else if !on.IsZero() && !until.After(on) {
			inv.Add("until", "补正期限应晚于告知日期")
		}
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvCorrectionRequested, On: on, Until: until, Note: what}, "告知补正，期限至 " + until.String(), nil
	})
}

// RecordCorrected records the day the corrected application arrived; the
// reply clock starts again from it (条例 art. 30).
func (s *Service) RecordCorrected(ctx context.Context, actor account.Actor, id int64, on workday.Date, note string) (*Application, error) {
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyCorrected, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if !c.AwaitingCorrection {
			return nil, "", apperr.Invalidf("on", "该申请未在等待补正")
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "收到补正的日期")
		if !on.IsZero() && on.Before(lastEventDay(a, EvCorrectionRequested)) {
			inv.Add("on", "收到补正的日期不能早于告知补正的日期")
		}
		noteLen(inv, "note", note, 2000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvCorrected, On: on, Note: strings.TrimSpace(note)}, "收到补正，答复期限自 " + on.String() + " 重新计算", nil
	})
}

func lastEventDay(a *Application, k EventKind) workday.Date {
	for i := len(a.Events) - 1; i >= 0; i-- {
		if a.Events[i].Kind == k {
			return a.Events[i].On
		}
	}
	return workday.Date{}
}

func requireRunning(c Clock) error {
	switch {
	case c.Received.IsZero():
		return apperr.Invalidf("on", "请先确认收到申请")
	case !c.Answered.IsZero():
		return apperr.Invalidf("on", "该申请已答复")
	case c.AwaitingCorrection:
		return apperr.Invalidf("on", "该申请正在等待补正")
	}
	return nil
}

// StartConsultation records a consultation letter sent on day on to a third
// party (条例 art. 32) or another agency (art. 34); the clock stops until
// the opinion arrives (art. 33 ¶3). One consultation is open at a time.
func (s *Service) StartConsultation(ctx context.Context, actor account.Actor, id int64, on workday.Date, party Party, note string) (*Application, error) {
	note = strings.TrimSpace(note)
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyConsult, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if err := requireRunning(c); err != nil {
			return nil, "", err
		}
		if c.Consulting {
			return nil, "", apperr.Invalidf("on", "已有正在进行的征求意见，请先登记收到意见")
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "发出征求意见书的日期")
		if !on.IsZero() && on.Before(c.Start) {
			inv.Add("on", "日期不能早于收到申请之日")
		}
		if party != PartyThird && party != PartyAgency {
			inv.Add("party", "请选择征求意见的对象")
		}
		if note == "" {
			inv.Add("note", "请填写征求意见的对象和事项")
		}
		noteLen(inv, "note", note, 2000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvConsultStarted, On: on, Party: party, Note: note}, "征求" + party.Label() + "意见", nil
	})
}

// EndConsultation records the day the consulted party's opinion arrived.
func (s *Service) EndConsultation(ctx context.Context, actor account.Actor, id int64, on workday.Date, note string) (*Application, error) {
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyConsultEnd, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if !c.Consulting {
			return nil, "", apperr.Invalidf("on", "没有正在进行的征求意见")
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "收到意见的日期")
		if !on.IsZero() && on.Before(lastEventDay(a, EvConsultStarted)) {
			inv.Add("on", "收到意见的日期不能早于发出征求意见书的日期")
		}
		noteLen(inv, "note", note, 2000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvConsultEnded, On: on, Note: strings.TrimSpace(note)}, "收到意见", nil
	})
}

// Extend records the one extension of the reply period (条例 art. 33 ¶2:
// "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日").
// The actor approves it and must hold the leader role (the head of the
// disclosure office); notified is the day the applicant was told.
func (s *Service) Extend(ctx context.Context, actor account.Actor, id int64, on workday.Date, days int, notified workday.Date, reason string) (*Application, error) {
	reason = strings.TrimSpace(reason)
	return s.step(ctx, actor, id, []account.Role{account.RoleLeader}, audit.ActApplyExtend, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if err := requireRunning(c); err != nil {
			return nil, "", err
		}
		if c.ExtensionDays > 0 {
			return nil, "", apperr.Invalidf("days", "答复期限已延长过一次，不能再次延长（《条例》第三十三条）")
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "批准日期")
		if days < 1 || days > MaxExtensionDays {
			inv.Add("days", "延长的期限应为1至20个工作日（《条例》第三十三条）")
		}
		if notified.IsZero() {
			inv.Add("notified_on", "延长答复期限应告知申请人，请填写告知日期")
		} else if notified.After(today) {
			inv.Add("notified_on", "告知日期不能晚于今天")
		}
		if !on.IsZero() && !c.Due.IsZero() && on.After(c.Due) {
			inv.Add("on", "答复期限已于"+c.Due.String()+"届满，不能再延长")
		}
		if reason == "" {
			inv.Add("note", "请填写延长的理由")
		}
		noteLen(inv, "note", reason, 2000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvExtended, On: on, Days: days, Until: notified, Note: reason}, fmt.Sprintf("批准延长答复期限%d个工作日", days), nil
	})
}

// Defer sets a later, reasonable deadline for an application whose number
// or frequency clearly exceeds a reasonable range, told to the applicant on
// day on (条例 art. 35: "可以确定延迟答复的合理期限并告知申请人"). It needs the
// leader role, like an extension, and a reason.
func (s *Service) Defer(ctx context.Context, actor account.Actor, id int64, on, until workday.Date, reason string) (*Application, error) {
	reason = strings.TrimSpace(reason)
	return s.step(ctx, actor, id, []account.Role{account.RoleLeader}, audit.ActApplyDefer, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if err := requireRunning(c); err != nil {
			return nil, "", err
		}
		inv := &apperr.Invalid{}
		checkDay(inv, "on", on, today, "告知申请人日期")
		if until.IsZero() {
			inv.Add("until", "请填写延迟答复的期限")
		} else if !c.Due.IsZero() && !until.After(c.Due) {
			inv.Add("until", "延迟答复的期限应晚于现在的答复期限（"+c.Due.String()+"）")
		}
		if reason == "" {
			inv.Add("note", "请说明申请数量、频次明显超过合理范围的情况和延迟的理由")
		}
		noteLen(inv, "note", reason, 2000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvDeferred, On: on, Until: until, Note: reason}, "确定延迟答复期限至 " + until.String(), nil
	})
}

// RecordOutcome records the answer and issues the reply notice generated
// from the org's template for the category (or body, when given, as edited
// by the handler). Applications not corrected in time end as 其他处理 1
// (条例 art. 30). The actor needs the handler role.
func (s *Service) RecordOutcome(ctx context.Context, actor account.Actor, id int64, o Outcome, body string, orgName string) (*Application, *Notice, error) {
	o.Note = strings.TrimSpace(o.Note)
	var n *Notice
	a, err := s.step(ctx, actor, id, handlerRoles, audit.ActApplyAnswer, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if !c.Answered.IsZero() {
			return nil, "", apperr.Invalidf("category", "该申请已答复")
		}
		if c.Received.IsZero() {
			return nil, "", apperr.Invalidf("category", "请先确认收到申请")
		}
		inv := &apperr.Invalid{}
		for f, m := range o.validate() {
			inv.Add(f, m)
		}
		if !o.AnsweredOn.IsZero() {
			if o.AnsweredOn.After(today) {
				inv.Add("answered_on", "答复日期不能晚于今天")
			} else if o.AnsweredOn.Before(c.Received) {
				inv.Add("answered_on", "答复日期不能早于收到申请之日")
			}
		}
		if c.AwaitingCorrection && o.Category.Valid() && o.Reason != OtherNotCorrected {
			inv.Add("category", "申请正在等待补正：补正期限届满未补正的，请选择“其他处理”中的逾期不补正")
		}
		if o.Reason == OtherNotCorrected && !c.CorrectionExpired {
			inv.Add("reason", "只有补正期限届满仍未补正的申请才能按逾期不补正办结")
		}
		if c.Consulting {
			inv.Add("category", "征求意见尚未结束，请先登记收到意见")
		}
		noteLen(inv, "note", o.Note, 5000)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		tmpl, ok, err := tx.NoticeTemplate(ctx, a.OrgID, o.Category)
		if err != nil {
			return nil, "", err
		}
		if !ok {
			tmpl = DefaultTemplate(o.Category)
		}
		text := strings.TrimSpace(body)
		if text == "" {
			text = RenderNotice(tmpl, NoticeData{Applicant: a.Applicant.Name, TrackingNo: a.TrackingNo, ReceivedOn: c.Received.String(),
				Description: a.Description, Outcome: o, OrgName: orgName})
		}
		if !strings.Contains(text, "行政复议") || !strings.Contains(text, "行政诉讼") {
			// 条例 art. 51: the applicant must learn the remedies.
			return nil, "", apperr.Invalidf("body", "告知书应告知申请人申请行政复议和提起行政诉讼的权利与期限")
		}
		a.Outcome = o
		n = &Notice{ApplicationID: a.ID, Category: o.Category, Title: NoticeTitle(o.Category), Body: text, ActorName: actor.Name}
		if err := tx.AddApplyNotice(ctx, n); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvAnswered, On: o.AnsweredOn, Note: o.ReportRow()}, "答复：" + o.ReportRow(), nil
	})
	return a, n, err
}

// RecordDelivery records how and when the reply was delivered.
func (s *Service) RecordDelivery(ctx context.Context, actor account.Actor, id int64, d Delivery) (*Application, error) {
	d.Note = strings.TrimSpace(d.Note)
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyDeliver, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		if c.Answered.IsZero() {
			return nil, "", apperr.Invalidf("on", "请先作出答复")
		}
		inv := &apperr.Invalid{}
		if !validWay(d.Way) {
			inv.Add("way", "请选择送达方式")
		}
		checkDay(inv, "on", d.On, today, "送达日期")
		if !d.On.IsZero() && d.On.Before(c.Answered) {
			inv.Add("on", "送达日期不能早于答复日期")
		}
		noteLen(inv, "note", d.Note, 500)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		d.ApplicationID, d.ActorName = a.ID, actor.Name
		if err := tx.AddDelivery(ctx, &d); err != nil {
			return nil, "", err
		}
		return &Event{Kind: EvDelivered, On: d.On, Note: d.Way.Label()}, "送达（" + d.Way.Label() + "）", nil
	})
}

// AddAttachment files a document with the application: a released
// document (screened by the caller before it leaves) or other material.
func (s *Service) AddAttachment(ctx context.Context, actor account.Actor, id int64, at *Attachment) (*Application, error) {
	return s.step(ctx, actor, id, handlerRoles, audit.ActApplyAttach, func(tx Tx, a *Application, c Clock, today workday.Date) (*Event, string, error) {
		at.ApplicationID = a.ID
		if err := tx.AddApplyAttachment(ctx, at); err != nil {
			return nil, "", err
		}
		return nil, "附件：" + at.Kind.Label(), nil
	})
}

// SaveCase records or updates a reconsideration or lawsuit that followed
// application c.ApplicationID (REGULATIONS.md §2.4). The actor needs the
// handler or leader role.
func (s *Service) SaveCase(ctx context.Context, actor account.Actor, c *Case) error {
	c.Body, c.Note = strings.TrimSpace(c.Body), strings.TrimSpace(c.Note)
	_, err := s.step(ctx, actor, c.ApplicationID, []account.Role{account.RoleHandler, account.RoleLeader}, audit.ActApplyCase, func(tx Tx, a *Application, _ Clock, today workday.Date) (*Event, string, error) {
		if c.ID != 0 {
			old, err := tx.ApplyCase(ctx, c.ID)
			if err != nil {
				return nil, "", err
			}
			if old.ApplicationID != a.ID {
				return nil, "", fmt.Errorf("case %d: %w", c.ID, apperr.ErrNotFound)
			}
		}
		inv := &apperr.Invalid{}
		for f, m := range c.validate() {
			inv.Add(f, m)
		}
		if c.FiledOn.After(today) {
			inv.Add("filed_on", "日期不能晚于今天")
		}
		noteLen(inv, "note", c.Note, 2000)
		noteLen(inv, "body", c.Body, 100)
		if err := inv.Err(); err != nil {
			return nil, "", err
		}
		c.OrgID = a.OrgID
		if err := tx.SaveApplyCase(ctx, c); err != nil {
			return nil, "", err
		}
		return nil, c.Kind.Label() + "：" + c.Result.Label(), nil
	})
	return err
}

// SaveNoticeTemplate replaces org's reply notice template for category c.
// The actor needs the handler or admin role in the org.
func (s *Service) SaveNoticeTemplate(ctx context.Context, actor account.Actor, orgID int64, c Category, body string) error {
	if !c.Valid() {
		return apperr.Invalidf("category", "请选择处理结果")
	}
	if err := CheckTemplate(body); err != nil {
		return err
	}
	return s.store.UpdateApply(ctx, func(tx Tx) error {
		path, err := tx.OrgPath(ctx, orgID)
		if err != nil {
			return err
		}
		if err := actor.Require(path, account.RoleHandler, account.RoleAdmin); err != nil {
			return err
		}
		if err := tx.SaveNoticeTemplate(ctx, orgID, c, body); err != nil {
			return err
		}
		r := record(actor, orgID, audit.ActApplyTemplate, 0, "修改告知书模板："+c.Label())
		r.ObjectType = "notice_template"
		return tx.AppendAudit(ctx, r)
	})
}

// Track returns the application with trackingNo when code is its query
// code. A wrong code and an unknown number both give an error wrapping
// apperr.ErrNotFound, so the answer tells nothing about which it was.
func (s *Service) Track(ctx context.Context, trackingNo, code string) (*Application, Clock, error) {
	trackingNo = strings.ToUpper(strings.TrimSpace(trackingNo))
	var a *Application
	var c Clock
	err := s.store.ViewApply(ctx, func(tx Tx) error {
		var err error
		a, err = tx.ApplicationByTracking(ctx, trackingNo)
		want := HashCode(trackingNo, code)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !equalHex(a.CodeHash, want) {
			return apperr.ErrNotFound
		}
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		// The public explanation names no staff.
		evs := slices.Clone(a.Events)
		for i := range evs {
			evs[i].ActorName = ""
		}
		c = s.cfg.Rules.Compute(cal, a.Channel, evs, Today(s.cfg.Now()))
		return nil
	})
	if err != nil {
		return nil, Clock{}, err
	}
	return a, c, nil
}

// equalHex compares two hex digests in constant time for equal lengths.
func equalHex(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
