package syndicate

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/workday"
)

// Submission is a piece of information submitted to an upper body
// (信息报送: 省民政厅, 市委办, 市政府办…), and whether and where that body
// adopted it (采用). It refers to an item or carries its own text.
type Submission struct {
	ID           int64
	OrgID        int64
	ItemID       int64 // 0 when the submission is a text of its own
	Title        string
	Body         string
	Recipient    string // the body it was sent to
	Section      string // the section (科室) that wrote it
	OfficerID    int64
	OfficerName  string
	SubmittedOn  workday.Date
	Adopted      bool
	AdoptedOn    workday.Date
	AdoptedWhere string // where it was adopted, e.g. 《湖北民政信息》第5期
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Recipients are the bodies offered on the form; any other name may be
// typed.
var Recipients = []string{"省民政厅", "市委办", "市政府办", "市委宣传部", "市政务公开办"}

// Normalize trims the text fields.
func (s *Submission) Normalize() {
	for _, p := range []*string{&s.Title, &s.Body, &s.Recipient, &s.Section, &s.AdoptedWhere} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate checks a submission as of today (China time); it returns an
// *apperr.Invalid with a message per field.
func (s *Submission) Validate(today workday.Date) error {
	inv := &apperr.Invalid{}
	if s.Title == "" {
		inv.Add("title", "请填写标题")
	} else if len([]rune(s.Title)) > 200 {
		inv.Add("title", "标题不能超过200字")
	}
	if s.Recipient == "" {
		inv.Add("recipient", "请填写报送单位")
	} else if len([]rune(s.Recipient)) > 100 {
		inv.Add("recipient", "报送单位不能超过100字")
	}
	if len([]rune(s.Section)) > 100 {
		inv.Add("section", "科室不能超过100字")
	}
	if len([]rune(s.Body)) > 20000 {
		inv.Add("body", "内容不能超过20000字")
	}
	switch {
	case s.SubmittedOn.IsZero():
		inv.Add("submitted_on", "请填写报送日期，格式如 2026-03-02")
	case today.Time().Before(s.SubmittedOn.Time()):
		inv.Add("submitted_on", "报送日期不能晚于今天")
	}
	if s.Adopted {
		if s.AdoptedWhere == "" {
			inv.Add("adopted_where", "请填写采用情况，如刊物名称和期数")
		}
		if s.AdoptedOn.IsZero() {
			inv.Add("adopted_on", "请填写采用日期，格式如 2026-03-02")
		} else if !s.SubmittedOn.IsZero() && s.AdoptedOn.Time().Before(s.SubmittedOn.Time()) {
			inv.Add("adopted_on", "采用日期不能早于报送日期")
		}
	} else {
		s.AdoptedOn, s.AdoptedWhere = workday.Date{}, ""
	}
	return inv.Err()
}

// Tally is a count of submissions and adoptions under one name.
type Tally struct {
	Name      string
	Submitted int
	Adopted   int
}

// Tallies counts submissions per officer, per section and per org (named
// by orgName), largest first: the annual report's "向省民政厅、市委、市政府等
// 单位积极报送政务信息".
func Tallies(subs []Submission, orgName func(int64) string) (byOfficer, bySection, byOrg []Tally) {
	count := func(key func(Submission) string) []Tally {
		m := map[string]*Tally{}
		var out []Tally
		for _, s := range subs {
			k := key(s)
			if k == "" {
				k = "（未填）"
			}
			t, ok := m[k]
			if !ok {
				t = &Tally{Name: k}
				m[k] = t
			}
			t.Submitted++
			if s.Adopted {
				t.Adopted++
			}
		}
		for _, t := range m {
			out = append(out, *t)
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Submitted != out[j].Submitted {
				return out[i].Submitted > out[j].Submitted
			}
			return out[i].Name < out[j].Name
		})
		return out
	}
	return count(func(s Submission) string { return s.OfficerName }),
		count(func(s Submission) string { return s.Section }),
		count(func(s Submission) string { return orgName(s.OrgID) })
}

// submissionRoles may record and update submissions of their org.
var submissionRoles = []account.Role{account.RoleOfficer, account.RoleSection, account.RolePublisher}

// SubmissionTx is what recording a submission reads and writes in one
// transaction. internal/store implements it.
type SubmissionTx interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	Submission(ctx context.Context, id int64) (*Submission, error)
	CreateSubmission(ctx context.Context, s *Submission) error
	SaveSubmission(ctx context.Context, s *Submission) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// SubmissionStore opens submission transactions.
type SubmissionStore interface {
	UpdateSubmissions(ctx context.Context, fn func(SubmissionTx) error) error
}

// Submissions records submissions to upper bodies.
type Submissions struct {
	store SubmissionStore
	now   func() time.Time
}

// NewSubmissions returns the submission service; now gives today's date.
func NewSubmissions(store SubmissionStore, now func() time.Time) *Submissions {
	return &Submissions{store: store, now: now}
}

func (s *Submissions) today() workday.Date {
	return workday.DateOf(s.now().In(time.FixedZone("CST", 8*3600)))
}

// Record adds sub for its org, the actor being its officer. The actor must
// be an officer, section head or publisher of the org. Errors:
// apperr.ErrForbidden, *apperr.Invalid.
func (s *Submissions) Record(ctx context.Context, actor account.Actor, sub *Submission) error {
	sub.Normalize()
	return s.store.UpdateSubmissions(ctx, func(tx SubmissionTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		path := org.Path(orgs, sub.OrgID)
		if path == nil {
			return apperr.Invalidf("org_id", "请选择单位")
		}
		if err := actor.Require(path, submissionRoles...); err != nil {
			return err
		}
		if err := sub.Validate(s.today()); err != nil {
			return err
		}
		sub.OfficerID, sub.OfficerName = actor.UserID, actor.Name
		if err := tx.CreateSubmission(ctx, sub); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: sub.OrgID, Action: audit.ActSubmissionRecord,
			ObjectType: "submission", ObjectID: sub.ID, Detail: fmt.Sprintf("报送%s：%s", sub.Recipient, sub.Title), IP: actor.IP})
	})
}

// Update changes a recorded submission, typically to note its adoption.
// The org and officer stay as recorded.
func (s *Submissions) Update(ctx context.Context, actor account.Actor, sub *Submission) error {
	sub.Normalize()
	return s.store.UpdateSubmissions(ctx, func(tx SubmissionTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		old, err := tx.Submission(ctx, sub.ID)
		if err != nil {
			return err
		}
		if err := actor.Require(org.Path(orgs, old.OrgID), submissionRoles...); err != nil {
			return err
		}
		sub.OrgID, sub.OfficerID, sub.OfficerName, sub.CreatedAt = old.OrgID, old.OfficerID, old.OfficerName, old.CreatedAt
		if err := sub.Validate(s.today()); err != nil {
			return err
		}
		if err := tx.SaveSubmission(ctx, sub); err != nil {
			return err
		}
		detail := "修改报送：" + sub.Title
		if sub.Adopted {
			detail = fmt.Sprintf("%s采用：%s", sub.AdoptedWhere, sub.Title)
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: sub.OrgID, Action: audit.ActSubmissionUpdate,
			ObjectType: "submission", ObjectID: sub.ID, Detail: detail, IP: actor.IP})
	})
}
