package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/job"
	"gongkai/internal/org"
	"gongkai/internal/screening"
	"gongkai/internal/translog"
)

// Tx is what a publishing step may read and write inside one transaction.
// internal/store implements it.
type Tx interface {
	Now() time.Time
	Orgs(ctx context.Context) ([]org.Org, error)
	Column(ctx context.Context, id int64) (*org.Column, error)
	Topics(ctx context.Context) ([]string, error)
	AddTopic(ctx context.Context, name string, sort int) error
	RemoveTopic(ctx context.Context, name string) error
	Item(ctx context.Context, id int64) (*Item, error)
	CreateItem(ctx context.Context, it *Item) error
	SaveItem(ctx context.Context, it *Item) error
	Version(ctx context.Context, itemID int64, number int) (*Version, error)
	AddVersion(ctx context.Context, v *Version) error
	// SaveVersion stores v if its stored rev is still wantRev, and wraps
	// apperr.ErrConflict otherwise.
	SaveVersion(ctx context.Context, v *Version, wantRev int) error
	Attachments(ctx context.Context, itemID int64, version int) ([]Attachment, error)
	AddAttachment(ctx context.Context, a *Attachment) error
	RemoveAttachment(ctx context.Context, itemID int64, version int, id int64) error
	CopyAttachments(ctx context.Context, itemID int64, from, to int) error
	SetItemColumns(ctx context.Context, itemID int64, columns []int64) error
	// NextIndexSerial returns the next unused serial of an org's index
	// numbers for year, starting at 1; a serial is never returned twice.
	NextIndexSerial(ctx context.Context, orgID int64, year int) (int, error)
	AppendAudit(ctx context.Context, r audit.Record) error
	// AppendLeaf appends l to the publication log and returns its index.
	AppendLeaf(ctx context.Context, l translog.Leaf) (int64, error)
	Enqueue(ctx context.Context, j job.Job) error
	ScreenTx
}

// Store opens publishing transactions.
type Store interface {
	UpdatePublish(ctx context.Context, fn func(Tx) error) error
}

// ScreenInput is what a Screener checks before a version is published.
type ScreenInput struct {
	Item        *Item
	Version     *Version
	Text        string // title, subtitle, summary and body as plain text
	Attachments []Attachment
}

// Screener checks a version's text and attachments before publication
// (personal data, classification markings, …; internal/screening). It runs
// outside the publishing transaction and may read attachment files.
// Findings of blocking severity stop the publication.
type Screener interface {
	Screen(ctx context.Context, in ScreenInput) ([]screening.Finding, error)
}

// BlockedError reports that screening found something that must be
// resolved before the version may be published.
type BlockedError struct {
	Findings []screening.Finding
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("publish: %d blocking screening findings", len(e.Findings))
}

// Unwrap makes a BlockedError an *apperr.Invalid for the web layer.
func (e *BlockedError) Unwrap() error {
	return apperr.Invalidf("", "自动检查发现%d处须处理的问题（如个人信息、密级标志），处理后才能发布", len(e.Findings))
}

// ErrStale reports that a draft was saved by someone else since the form
// was opened. It wraps apperr.ErrConflict.
var ErrStale = fmt.Errorf("publish: draft changed since it was opened: %w", apperr.ErrConflict)

// Options configure a Service.
type Options struct {
	// Screener, when not nil, checks every version before it is published.
	Screener Screener
	// Screen, when its Extractor is set, scans every submitted version
	// and every added attachment and stores the findings (screen.go).
	Screen ScreenConfig
}

// Service runs the publishing workflow. Each method checks the actor's role
// in the item's org, validates its input, and writes the item, the version,
// the audit record, the publication-log leaf and any follow-up job in one
// transaction, or nothing.
type Service struct {
	store    Store
	screener Screener
	screen   ScreenConfig
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) *Service {
	return &Service{store: store, screener: opts.Screener, screen: opts.Screen}
}

// JobScheduled is the job kind that publishes an item at its scheduled time.
const JobScheduled = "publish.scheduled"

// scheduledPayload is the input of a JobScheduled job.
type scheduledPayload struct {
	ItemID  int64     `json:"item_id"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
}

// state is one loaded item with what the rules need.
type state struct {
	it   *Item
	cur  *Version
	path []int64
}

func (s *Service) load(ctx context.Context, tx Tx, id int64) (*state, error) {
	it, err := tx.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	v, err := tx.Version(ctx, id, it.Current)
	if err != nil {
		return nil, err
	}
	return &state{it: it, cur: v, path: org.Path(orgs, it.OrgID)}, nil
}

func record(actor account.Actor, it *Item, act audit.Action, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: it.OrgID, Action: act,
		ObjectType: "item", ObjectID: it.ID, Detail: detail, IP: actor.IP}
}

func detail(it *Item, v *Version, extra string) string {
	d := fmt.Sprintf("《%s》第%d版", truncate(v.Title, 60), v.Number)
	if it.IndexNo != "" {
		d = it.IndexNo + " " + d
	}
	if extra != "" {
		d += "：" + extra
	}
	return d
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// checkColumns reports columns that do not belong to the org or cannot
// hold items.
func checkColumns(ctx context.Context, tx Tx, orgID int64, v *Version) error {
	for i, id := range append([]int64{v.ColumnID}, v.Columns...) {
		c, err := tx.Column(ctx, id)
		field := "column_id"
		if i > 0 {
			field = "columns"
		}
		if err != nil || c.OrgID != orgID {
			return apperr.Invalidf(field, "栏目不存在或不属于本机构")
		}
		if c.Kind != org.ColumnList && c.Kind != org.ColumnTopic {
			return apperr.Invalidf(field, "“%s”不是列表栏目或专题专栏，不能发布信息", c.Name)
		}
	}
	return nil
}

// CanView reports whether actor may see the items of the org at orgPath
// in the staff UI: any staff role in the org or above it.
func CanView(actor account.Actor, orgPath []int64) bool {
	return actor.HasAny(orgPath, account.RoleOfficer, account.RoleSection, account.RoleReviewer, account.RolePublisher,
		account.RoleLeader, account.RoleAdmin)
}

// Create adds a new item in the draft state with d as its first version.
// It needs an editor role in the org.
func (s *Service) Create(ctx context.Context, actor account.Actor, orgID int64, d Draft) (*Item, error) {
	var it *Item
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		path := org.Path(orgs, orgID)
		if path == nil {
			return apperr.Invalidf("org_id", "机构不存在")
		}
		if err := actor.Require(path, EditorRoles...); err != nil {
			return err
		}
		topics, err := tx.Topics(ctx)
		if err != nil {
			return err
		}
		v := &Version{Number: 1, Rev: 1, AuthorID: actor.UserID, AuthorName: actor.Name, Editors: []int64{actor.UserID}}
		if err := d.Apply(v, topics, false); err != nil {
			return err
		}
		if err := checkColumns(ctx, tx, orgID, v); err != nil {
			return err
		}
		it = &Item{OrgID: orgID, State: StateDraft, Current: 1, ColumnID: v.ColumnID, Validity: ValidityValid,
			CreatedBy: actor.UserID, Title: v.Title}
		if err := tx.CreateItem(ctx, it); err != nil {
			return err
		}
		v.ItemID = it.ID
		if err := tx.AddVersion(ctx, v); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, it, audit.ActItemCreate, detail(it, v, "")))
	})
	return it, err
}

// Save stores d as the item's draft. rev is the draft revision the editor
// started from; if someone saved in between, it returns ErrStale and
// stores nothing.
func (s *Service) Save(ctx context.Context, actor account.Actor, id int64, rev int, d Draft) error {
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := Transition(st.it, st.cur, st.path, actor, ActSave); err != nil {
			return err
		}
		v := st.cur
		if v.Rev != rev {
			return ErrStale
		}
		topics, err := tx.Topics(ctx)
		if err != nil {
			return err
		}
		if err := d.Apply(v, topics, st.it.Live > 0); err != nil {
			return err
		}
		if err := checkColumns(ctx, tx, st.it.OrgID, v); err != nil {
			return err
		}
		if !slices.Contains(v.Editors, actor.UserID) {
			v.Editors = append(v.Editors, actor.UserID)
		}
		v.Rev = rev + 1
		if err := tx.SaveVersion(ctx, v, rev); err != nil {
			return err
		}
		st.it.Title = v.Title
		if st.it.Live == 0 {
			st.it.ColumnID = v.ColumnID
		}
		if err := tx.SaveItem(ctx, st.it); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, st.it, audit.ActItemSave, detail(st.it, v, "")))
	})
}

// step runs one workflow action: load, check the transition, let fn change
// the item and version, store both and record the audit entry.
func (s *Service) step(ctx context.Context, actor account.Actor, id int64, act Action, auditAct audit.Action, note string,
	fn func(tx Tx, st *state) error) error {
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		to, err := Transition(st.it, st.cur, st.path, actor, act)
		if err != nil {
			return err
		}
		st.it.State = to
		if fn != nil {
			if err := fn(tx, st); err != nil {
				return err
			}
		}
		if err := tx.SaveItem(ctx, st.it); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, st.it, auditAct, detail(st.it, st.cur, note)))
	})
}

// Submit sends the draft to section review. The version is immutable from
// now on.
func (s *Service) Submit(ctx context.Context, actor account.Actor, id int64) error {
	sc, err := s.scanForSubmit(ctx, actor, id)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, id, ActSubmit, audit.ActItemSubmit, "", func(tx Tx, st *state) error {
		if err := s.storeScan(ctx, tx, st, sc); err != nil {
			return err
		}
		st.cur.SubmittedAt = tx.Now()
		st.it.Reason = ""
		return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
	})
}

// SectionApprove passes the version on to confidentiality review; it needs
// the section head role.
func (s *Service) SectionApprove(ctx context.Context, actor account.Actor, id int64) error {
	return s.step(ctx, actor, id, ActSectionApprove, audit.ActItemSectionApprove, "", func(tx Tx, st *state) error {
		st.cur.SectionBy, st.cur.SectionAt = actor.Name, tx.Now()
		return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
	})
}

// Approve records the confidentiality review: the version may be
// published. The reviewer may not have written or edited it.
func (s *Service) Approve(ctx context.Context, actor account.Actor, id int64) error {
	return s.step(ctx, actor, id, ActApprove, audit.ActItemApprove, "", func(tx Tx, st *state) error {
		if err := checkFindings(ctx, tx, st); err != nil {
			return err
		}
		st.cur.ReviewBy, st.cur.ReviewAt = actor.Name, tx.Now()
		return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
	})
}

// Reject returns the item to its author with a written reason. The
// rejected version stays as it was submitted; the author continues on a
// new version that starts as a copy of it.
func (s *Service) Reject(ctx context.Context, actor account.Actor, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Invalidf("reason", "请填写退回理由，作者将看到它")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return apperr.Invalidf("reason", "退回理由不能超过1000个字")
	}
	return s.step(ctx, actor, id, ActReject, audit.ActItemReject, reason, func(tx Tx, st *state) error {
		st.it.Reason = reason
		st.it.ScheduledAt = time.Time{}
		return s.newVersion(ctx, tx, st, st.cur, st.cur.AuthorID, st.cur.AuthorName, st.cur.Editors)
	})
}

// newVersion makes a draft copy of from as the item's next version.
func (s *Service) newVersion(ctx context.Context, tx Tx, st *state, from *Version, authorID int64, authorName string, editors []int64) error {
	v := *from
	v.Number = st.it.Current + 1
	v.Rev = 1
	v.AuthorID, v.AuthorName, v.Editors = authorID, authorName, slices.Clone(editors)
	v.SubmittedAt, v.SectionAt, v.ReviewAt, v.PublishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	v.SectionBy, v.ReviewBy = "", ""
	v.Columns = slices.Clone(from.Columns)
	if err := tx.AddVersion(ctx, &v); err != nil {
		return err
	}
	if err := tx.CopyAttachments(ctx, st.it.ID, from.Number, v.Number); err != nil {
		return err
	}
	st.it.Current = v.Number
	st.cur = &v
	return nil
}

// StartUpdate begins a new version of a published item, copied from the
// live one, which stays online until the new version is published.
func (s *Service) StartUpdate(ctx context.Context, actor account.Actor, id int64) error {
	return s.step(ctx, actor, id, ActUpdate, audit.ActItemUpdate, "", func(tx Tx, st *state) error {
		live, err := tx.Version(ctx, id, st.it.Live)
		if err != nil {
			return err
		}
		if err := s.newVersion(ctx, tx, st, live, actor.UserID, actor.Name, []int64{actor.UserID}); err != nil {
			return err
		}
		st.cur.ChangeNote = ""
		st.it.Reason = ""
		return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
	})
}

// Publish makes the approved version public now. It needs the publisher
// role; the screener, if any, must find nothing blocking.
func (s *Service) Publish(ctx context.Context, actor account.Actor, id int64) error {
	return s.publish(ctx, actor, id, nil)
}

func (s *Service) publish(ctx context.Context, actor account.Actor, id int64, due *scheduledPayload) error {
	var checked int
	if s.screener != nil {
		var in ScreenInput
		err := s.store.UpdatePublish(ctx, func(tx Tx) error {
			st, err := s.load(ctx, tx, id)
			if err != nil {
				return err
			}
			atts, err := tx.Attachments(ctx, id, st.cur.Number)
			if err != nil {
				return err
			}
			in = ScreenInput{Item: st.it, Version: st.cur, Attachments: atts,
				Text: strings.Join([]string{st.cur.Title, st.cur.Subtitle, st.cur.Summary, PlainText(st.cur.Body)}, "\n")}
			return nil
		})
		if err != nil {
			return err
		}
		findings, err := s.screener.Screen(ctx, in)
		if err != nil {
			return fmt.Errorf("screen item %d: %w", id, err)
		}
		var blocking []screening.Finding
		for _, f := range findings {
			if f.Severity == screening.SeverityBlocking {
				blocking = append(blocking, f)
			}
		}
		if len(blocking) > 0 {
			return &BlockedError{Findings: blocking}
		}
		checked = in.Version.Number
	}
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if due != nil && (st.it.State != StateApproved || st.it.Current != due.Version || !st.it.ScheduledAt.Equal(due.At)) {
			return nil // the schedule was changed or the item moved on: nothing to do
		}
		if s.screener != nil && checked != st.cur.Number {
			return fmt.Errorf("publish item %d: version changed while screening: %w", id, apperr.ErrConflict)
		}
		to, err := Transition(st.it, st.cur, st.path, actor, ActPublish)
		if err != nil {
			return err
		}
		if err := checkProactive(st.cur); err != nil {
			return err
		}
		if err := checkFindings(ctx, tx, st); err != nil {
			return err
		}
		return s.publishLocked(ctx, tx, actor, st, to)
	})
}

// checkProactive refuses to put on the site a version whose disclosure
// mode is not proactive: information disclosed on application (条例 Art.
// 27 ff.) or withheld (Art. 14–16) is catalogued but not published, which
// only proactive disclosure (Art. 19–20) is.
func checkProactive(v *Version) error {
	if v.Disclosure != DiscloseProactive {
		return apperr.Invalidf("disclosure", "公开方式为“%s”的信息不能在网站上发布；如需主动公开，请退回修改公开方式", v.Disclosure.Label())
	}
	return nil
}

// publishLocked makes st.cur the live version inside tx.
func (s *Service) publishLocked(ctx context.Context, tx Tx, actor account.Actor, st *state, to State) error {
	it, v, now := st.it, st.cur, tx.Now()
	logAct, auditAct := translog.ActionPublish, audit.ActItemPublish
	if it.Live > 0 {
		logAct, auditAct = translog.ActionUpdate, audit.ActItemPublishUpdate
	}
	if it.IndexNo == "" {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		code := ""
		for _, o := range orgs {
			if o.ID == it.OrgID {
				code = o.Code
			}
		}
		year := Today(now).Year()
		n, err := tx.NextIndexSerial(ctx, it.OrgID, year)
		if err != nil {
			return err
		}
		it.IndexNo = FormatIndexNo(code, year, n)
	}
	if it.FirstPublishedAt.IsZero() {
		it.FirstPublishedAt = now
	}
	it.State, it.Live, it.LastPublishedAt, it.ScheduledAt, it.Reason = to, v.Number, now, time.Time{}, ""
	it.ColumnID, it.Title = v.ColumnID, v.Title
	v.PublishedAt = now
	if err := tx.SaveVersion(ctx, v, v.Rev); err != nil {
		return err
	}
	if err := tx.SetItemColumns(ctx, it.ID, append([]int64{v.ColumnID}, v.Columns...)); err != nil {
		return err
	}
	if err := s.appendLeaf(ctx, tx, it, v, logAct); err != nil {
		return err
	}
	if err := tx.SaveItem(ctx, it); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, record(actor, it, auditAct, detail(it, v, "")))
}

// appendLeaf records action on version v in the publication log.
func (s *Service) appendLeaf(ctx context.Context, tx Tx, it *Item, v *Version, act translog.Action) error {
	atts, err := tx.Attachments(ctx, it.ID, v.Number)
	if err != nil {
		return err
	}
	c, err := PublicContent(it, v, atts)
	if err != nil {
		return err
	}
	h, err := translog.ContentHash(c)
	if err != nil {
		return err
	}
	if _, err = tx.AppendLeaf(ctx, translog.Leaf{OrgID: it.OrgID, OrgCode: it.OrgCode, ItemID: it.ID, Version: v.Number,
		Action: act, Time: tx.Now(), ContentHash: h}); err != nil {
		return err
	}
	// The search entry follows in the same transaction's outbox: the
	// index job is committed with the leaf or not at all.
	j, err := job.New("search.index", map[string]int64{"item_id": it.ID}, tx.Now())
	if err != nil {
		return err
	}
	j.UniqueKey = fmt.Sprintf("search.index:%d", it.ID)
	return tx.Enqueue(ctx, j)
}

// Schedule sets the approved version to be published at at, by a durable
// background job. at must be in the future.
func (s *Service) Schedule(ctx context.Context, actor account.Actor, id int64, at time.Time) error {
	return s.step(ctx, actor, id, ActSchedule, audit.ActItemSchedule, "定于"+at.In(chinaZone).Format("2006-01-02 15:04"), func(tx Tx, st *state) error {
		if err := checkProactive(st.cur); err != nil {
			return err
		}
		if !at.After(tx.Now()) {
			return apperr.Invalidf("publish_at", "定时发布的时间须晚于现在")
		}
		if at.After(tx.Now().AddDate(1, 0, 0)) {
			return apperr.Invalidf("publish_at", "定时发布的时间不能超过一年")
		}
		at = at.UTC().Truncate(time.Second)
		st.it.ScheduledAt = at
		j, err := job.New(JobScheduled, scheduledPayload{ItemID: id, Version: st.cur.Number, At: at}, at)
		if err != nil {
			return err
		}
		j.UniqueKey = fmt.Sprintf("%s:%d:%d:%d", JobScheduled, id, st.cur.Number, at.Unix())
		return tx.Enqueue(ctx, j)
	})
}

// RunScheduled is the JobScheduled handler: it publishes the item as the
// system if it is still approved with the same version and time; otherwise
// it does nothing, so a job left over from a changed schedule is harmless.
func (s *Service) RunScheduled(ctx context.Context, j job.Job) error {
	var p scheduledPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("decode %s payload: %v: %w", JobScheduled, err, job.ErrPermanent)
	}
	err := s.publish(ctx, account.System("scheduler"), p.ItemID, &p)
	if _, blocked := err.(*BlockedError); blocked {
		return fmt.Errorf("scheduled publish of item %d: %v: %w", p.ItemID, err, job.ErrPermanent)
	}
	return err
}

// SetValidity marks the live version expired (ActExpire) or repealed
// (ActRepeal) as of date (YYYY-MM-DD). The item stays on the site with a
// banner; the change is a leaf of the publication log.
func (s *Service) SetValidity(ctx context.Context, actor account.Actor, id int64, act Action, date string) error {
	if act != ActExpire && act != ActRepeal {
		return apperr.Invalidf("validity", "请选择失效或废止")
	}
	d, ok := parseDate(date)
	if !ok || d.IsZero() {
		return apperr.Invalidf("validity_date", "请填写日期，格式如 2026-03-02")
	}
	auditAct, validity := audit.ActItemExpire, ValidityExpired
	if act == ActRepeal {
		auditAct, validity = audit.ActItemRepeal, ValidityRepealed
	}
	return s.step(ctx, actor, id, act, auditAct, d.String(), func(tx Tx, st *state) error {
		st.it.Validity, st.it.ValidityDate = validity, d
		live, err := tx.Version(ctx, id, st.it.Live)
		if err != nil {
			return err
		}
		return s.appendLeaf(ctx, tx, st.it, live, translog.ActionValidity)
	})
}

// Withdraw takes the item off the public site; the reason is kept on
// record and the withdrawal is a leaf of the publication log.
func (s *Service) Withdraw(ctx context.Context, actor account.Actor, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Invalidf("reason", "请填写撤回理由")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return apperr.Invalidf("reason", "撤回理由不能超过1000个字")
	}
	return s.step(ctx, actor, id, ActWithdraw, audit.ActItemWithdraw, reason, func(tx Tx, st *state) error {
		st.it.Reason = reason
		st.it.ScheduledAt = time.Time{}
		live, err := tx.Version(ctx, id, st.it.Live)
		if err != nil {
			return err
		}
		if err := tx.SetItemColumns(ctx, id, nil); err != nil {
			return err
		}
		return s.appendLeaf(ctx, tx, st.it, live, translog.ActionWithdraw)
	})
}

// AllowedTypes are the attachment types accepted, by detected content
// type, with the label the site shows.
var AllowedTypes = map[string]string{
	"application/pdf": "PDF",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "Word",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "Excel",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
	"application/zip": "ZIP",
	"image/png":       "PNG",
	"image/jpeg":      "JPEG",
	"image/gif":       "GIF",
	"image/webp":      "WebP",
	"text/plain":      "TXT",
}

// MaxAttachment is the largest attachment accepted, in bytes.
const MaxAttachment = 20 << 20

// AddAttachment attaches a stored file to the item's draft. The caller has
// stored the bytes and detected the type from the content.
func (s *Service) AddAttachment(ctx context.Context, actor account.Actor, id int64, a *Attachment) error {
	a.Name = strings.TrimSpace(a.Name)
	switch {
	case a.Name == "" || utf8.RuneCountInString(a.Name) > 200 || strings.ContainsAny(a.Name, "/\\\x00"):
		return apperr.Invalidf("file", "文件名为空、过长或含有非法字符")
	case utf8.RuneCountInString(a.Caption) > 300:
		return apperr.Invalidf("caption", "图片说明不能超过300个字")
	case a.Size <= 0:
		return apperr.Invalidf("file", "请选择要上传的文件")
	case a.Size > MaxAttachment:
		return apperr.Invalidf("file", "文件不能超过%d MB", MaxAttachment>>20)
	case AllowedTypes[a.ContentType] == "":
		return apperr.Invalidf("file", "不支持此类文件（按内容识别为 %s）：可上传 PDF、Word、Excel、PowerPoint、ZIP、图片和纯文本", a.ContentType)
	case len(a.SHA256) != 64:
		return fmt.Errorf("attachment without sha256")
	}
	found, err := s.scanAttachment(ctx, actor, id, a)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, id, ActSave, audit.ActAttachmentAdd, a.Name, func(tx Tx, st *state) error {
		a.ItemID, a.Version = id, st.cur.Number
		if err := tx.AddAttachment(ctx, a); err != nil {
			return err
		}
		if found != nil {
			if err := refresh(ctx, tx, id, a.Version, a.ID, found, nil); err != nil {
				return err
			}
		}
		if !slices.Contains(st.cur.Editors, actor.UserID) {
			st.cur.Editors = append(st.cur.Editors, actor.UserID)
			return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
		}
		return nil
	})
}

// RemoveAttachment removes an attachment from the item's draft.
func (s *Service) RemoveAttachment(ctx context.Context, actor account.Actor, id, attID int64) error {
	return s.step(ctx, actor, id, ActSave, audit.ActAttachmentRemove, strconv.FormatInt(attID, 10), func(tx Tx, st *state) error {
		if err := tx.RemoveAttachment(ctx, id, st.cur.Number, attID); err != nil {
			return err
		}
		if err := tx.DeleteOpenFindings(ctx, id, st.cur.Number, attID); err != nil {
			return err
		}
		if !slices.Contains(st.cur.Editors, actor.UserID) {
			st.cur.Editors = append(st.cur.Editors, actor.UserID)
			return tx.SaveVersion(ctx, st.cur, st.cur.Rev)
		}
		return nil
	})
}

// TypeLabel is the short name of an attachment's type, for the site.
func TypeLabel(contentType string) string {
	if l := AllowedTypes[contentType]; l != "" {
		return l
	}
	return "文件"
}
