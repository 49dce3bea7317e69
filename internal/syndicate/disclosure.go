package syndicate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/workday"
)

// Kind is a disclosure the law requires of an org every year.
type Kind string

const (
	// KindBudget is the department or unit budget with its tables and the
	// "三公" expenditure (部门预算及"三公"经费预算).
	KindBudget Kind = "budget"
	// KindFinal is the final accounts with the "三公" expenditure
	// (部门决算及"三公"经费决算).
	KindFinal Kind = "final"
	// KindAnnualReport is the annual report on open government
	// information (政府信息公开工作年度报告).
	KindAnnualReport Kind = "annual_report"
)

// Label is the kind's name on the board.
func (k Kind) Label() string {
	switch k {
	case KindBudget:
		return "部门预算（含“三公”经费）"
	case KindFinal:
		return "部门决算（含“三公”经费）"
	case KindAnnualReport:
		return "政府信息公开工作年度报告"
	}
	return string(k)
}

// NeedsApproval reports whether the deadline runs from an approval date
// the org enters (批复日期).
func (k Kind) NeedsApproval() bool { return k == KindBudget || k == KindFinal }

// Kinds lists the kinds in board order.
func Kinds() []Kind { return []Kind{KindBudget, KindFinal, KindAnnualReport} }

// ApprovalDays is how long after approval a budget or final accounts must
// be public. Budget Law (2018) art. 14 para. 2: "经本级政府财政部门批复的
// 部门预算、决算及报表，应当在批复后二十日内由各部门向社会公开"; Budget Law
// Implementing Regulations (2020) art. 6: "各部门所属单位的预算、决算及报表，
// 应当在部门批复后20日内由单位向社会公开". 二十日 are calendar days.
const ApprovalDays = 20

// Required returns what an org at depth (0 the government at the root, 1
// a department, 2 and below its units) must publish every year.
func Required(depth int) []Kind {
	switch {
	case depth == 0:
		// Regulations on Open Government Information (2019) art. 49
		// para. 2: the government's own report by 31 March; its budget is
		// published by the finance department, not tracked here.
		return []Kind{KindAnnualReport}
	case depth == 1:
		return []Kind{KindBudget, KindFinal, KindAnnualReport}
	}
	// Units publish their budgets and final accounts (实施条例 art. 6);
	// art. 49's annual report is a duty of departments, not of units.
	return []Kind{KindBudget, KindFinal}
}

// Depth returns how far below the root orgID is, or -1 when unknown.
func Depth(orgs []org.Org, orgID int64) int { return len(org.Path(orgs, orgID)) - 1 }

// Due returns the deadline of kind for year at depth: approval plus 20
// calendar days for budgets and final accounts (zero while the approval
// date is not entered); for the annual report on year, 31 January of the
// next year for departments and 31 March for the government (条例 art. 49).
func Due(kind Kind, depth, year int, approved workday.Date) workday.Date {
	if kind.NeedsApproval() {
		if approved.IsZero() {
			return workday.Date{}
		}
		return workday.DateOf(approved.Time().AddDate(0, 0, ApprovalDays))
	}
	if depth == 0 {
		return workday.NewDate(year+1, time.March, 31)
	}
	return workday.NewDate(year+1, time.January, 31)
}

// Status is where a required disclosure stands.
type Status string

const (
	StatusPublished Status = "published" // public, on time
	StatusLate      Status = "late"      // public, after the deadline
	StatusDue       Status = "due"       // not yet public, deadline ahead
	StatusOverdue   Status = "overdue"   // not public, deadline passed
	StatusAwaiting  Status = "awaiting"  // approval date not entered yet
)

// Label is the status's name on the board.
func (s Status) Label() string {
	switch s {
	case StatusPublished:
		return "已公开"
	case StatusLate:
		return "已公开（逾期）"
	case StatusDue:
		return "待公开"
	case StatusOverdue:
		return "已逾期"
	case StatusAwaiting:
		return "待录入批复日期"
	}
	return string(s)
}

// Record is what an org entered for one required disclosure of a year:
// the approval date and the published item.
type Record struct {
	OrgID      int64
	Year       int
	Kind       Kind
	ApprovedOn workday.Date
	ItemID     int64 // the published item; 0 before it is linked
	EnteredBy  string
	UpdatedAt  time.Time
	// Filled on read from the linked item: its first publication (China
	// date), zero when it is not public.
	PublishedOn workday.Date
}

// Cell is one org × kind × year of the board.
type Cell struct {
	Kind        Kind
	Status      Status
	Due         workday.Date
	DaysLeft    int // days until Due (negative when overdue); only with a Due
	ItemID      int64
	PublishedOn workday.Date
	ApprovedOn  workday.Date
}

// Evaluate gives the cell of kind for an org at depth and year, from what
// was entered (rec may be zero) and today's date.
func Evaluate(kind Kind, depth, year int, rec Record, today workday.Date) Cell {
	c := Cell{Kind: kind, ApprovedOn: rec.ApprovedOn, Due: Due(kind, depth, year, rec.ApprovedOn)}
	if !rec.PublishedOn.IsZero() {
		c.ItemID, c.PublishedOn, c.Status = rec.ItemID, rec.PublishedOn, StatusPublished
		if !c.Due.IsZero() && c.Due.Time().Before(rec.PublishedOn.Time()) {
			c.Status = StatusLate
		}
		return c
	}
	if c.Due.IsZero() {
		c.Status = StatusAwaiting
		return c
	}
	c.DaysLeft = int(c.Due.Time().Sub(today.Time()).Hours() / 24)
	c.Status = StatusDue
	if c.DaysLeft < 0 {
		c.Status = StatusOverdue
	}
	return c
}

// BoardRow is one org's line of the board.
type BoardRow struct {
	Org   org.Org
	Cells []Cell // one per kind of Kinds(); Status "" where not required
}

// Board builds the board of every org below parentID (and parentID itself
// first) for year, from the records entered.
func Board(orgs []org.Org, parentID int64, year int, recs []Record, today workday.Date) []BoardRow {
	byKey := map[string]Record{}
	for _, r := range recs {
		byKey[fmt.Sprintf("%d/%s", r.OrgID, r.Kind)] = r
	}
	var out []BoardRow
	for _, id := range org.Subtree(orgs, []int64{parentID}) {
		var o org.Org
		for _, x := range orgs {
			if x.ID == id {
				o = x
			}
		}
		depth := Depth(orgs, id)
		row := BoardRow{Org: o}
		req := Required(depth)
		for _, k := range Kinds() {
			c := Cell{Kind: k}
			for _, rk := range req {
				if rk == k {
					c = Evaluate(k, depth, year, byKey[fmt.Sprintf("%d/%s", id, k)], today)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		out = append(out, row)
	}
	return out
}

// Reminder is a note that a required disclosure is near its deadline or
// past it, recorded once per stage by the daily job.
type Reminder struct {
	OrgID  int64
	Year   int
	Kind   Kind
	Stage  string // "due_soon" or "overdue"
	SentAt time.Time
}

// RemindDays is how many days before the deadline the first reminder
// is recorded.
const RemindDays = 5

// Stage tells which reminder a cell calls for: "due_soon" within
// RemindDays of the deadline, "overdue" after it, "" otherwise.
func Stage(c Cell) string {
	switch {
	case c.Status == StatusOverdue:
		return "overdue"
	case c.Status == StatusDue && c.DaysLeft <= RemindDays:
		return "due_soon"
	}
	return ""
}

// DisclosureTx is what entering an approval date reads and writes in one
// transaction. internal/store implements it.
type DisclosureTx interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	SaveDisclosure(ctx context.Context, r *Record) error
	DisclosureRecords(ctx context.Context, year int) ([]Record, error)
	// AddReminder records r unless its stage was recorded before, and
	// reports whether it was new.
	AddReminder(ctx context.Context, r *Reminder) (bool, error)
	SetBoardPublic(ctx context.Context, orgID int64, public bool) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// DisclosureStore opens disclosure transactions.
type DisclosureStore interface {
	UpdateDisclosures(ctx context.Context, fn func(DisclosureTx) error) error
}

// Disclosures keeps what orgs enter for their required disclosures.
type Disclosures struct {
	store DisclosureStore
}

// NewDisclosures returns the service.
func NewDisclosures(store DisclosureStore) *Disclosures { return &Disclosures{store: store} }

// Enter stores the approval date and published item of one required
// disclosure. The actor must be an officer, section head, publisher or
// administrator of the org (its own staff or those above).
func (d *Disclosures) Enter(ctx context.Context, actor account.Actor, r *Record) error {
	return d.store.UpdateDisclosures(ctx, func(tx DisclosureTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		path := org.Path(orgs, r.OrgID)
		if path == nil {
			return fmt.Errorf("org %d: %w", r.OrgID, apperr.ErrNotFound)
		}
		if err := actor.Require(path, account.RoleOfficer, account.RoleSection, account.RolePublisher, account.RoleAdmin); err != nil {
			return err
		}
		required := false
		for _, k := range Required(len(path) - 1) {
			required = required || k == r.Kind
		}
		inv := &apperr.Invalid{}
		if !required {
			inv.Add("kind", "本单位无须公开此项")
		}
		if r.Year < 2000 || r.Year > 2100 {
			inv.Add("year", "请选择年度")
		}
		if !r.Kind.NeedsApproval() {
			r.ApprovedOn = workday.Date{}
		}
		if err := inv.Err(); err != nil {
			return err
		}
		r.EnteredBy = actor.Name
		if err := tx.SaveDisclosure(ctx, r); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d年%s", r.Year, r.Kind.Label())
		if !r.ApprovedOn.IsZero() {
			detail += "，批复日期 " + r.ApprovedOn.String()
		}
		if r.ItemID != 0 {
			detail += fmt.Sprintf("，公开信息 %d", r.ItemID)
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: r.OrgID, Action: audit.ActDisclosureApproval,
			ObjectType: "disclosure", ObjectID: int64(r.Year), Detail: strings.TrimSpace(detail), IP: actor.IP})
	})
}

// Remind records, once per stage, a reminder for every required
// disclosure of year that is within RemindDays of its deadline or past it,
// each with an audit record; the daily job calls it for this year and the
// last. It returns how many reminders were new.
func (d *Disclosures) Remind(ctx context.Context, year int, today workday.Date) (int, error) {
	n := 0
	err := d.store.UpdateDisclosures(ctx, func(tx DisclosureTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		recs, err := tx.DisclosureRecords(ctx, year)
		if err != nil {
			return err
		}
		sys := account.System("disclosure")
		for _, o := range orgs {
			if o.ParentID != 0 {
				continue
			}
			for _, row := range Board(orgs, o.ID, year, recs, today) {
				for _, c := range row.Cells {
					stage := Stage(c)
					if c.Status == "" || stage == "" {
						continue
					}
					rem := &Reminder{OrgID: row.Org.ID, Year: year, Kind: c.Kind, Stage: stage}
					added, err := tx.AddReminder(ctx, rem)
					if err != nil {
						return err
					}
					if !added {
						continue
					}
					n++
					what := fmt.Sprintf("%d年%s应于 %s 前公开", year, c.Kind.Label(), c.Due)
					if stage == "overdue" {
						what = fmt.Sprintf("%d年%s已逾期（应于 %s 前公开）", year, c.Kind.Label(), c.Due)
					}
					if err := tx.AppendAudit(ctx, audit.Record{ActorName: sys.Name, OrgID: row.Org.ID, Action: audit.ActDisclosureRemind,
						ObjectType: "disclosure", ObjectID: int64(year), Detail: what}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return n, err
}

// SetBoardPublic shows or hides the board of orgID's units on its public
// site. The actor must be an administrator of the org.
func (d *Disclosures) SetBoardPublic(ctx context.Context, actor account.Actor, orgID int64, public bool) error {
	return d.store.UpdateDisclosures(ctx, func(tx DisclosureTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if err := actor.Require(org.Path(orgs, orgID), account.RoleAdmin); err != nil {
			return err
		}
		if err := tx.SetBoardPublic(ctx, orgID, public); err != nil {
			return err
		}
		detail := "不在网站公开应公开事项看板"
		if public {
			detail = "在网站公开应公开事项看板"
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: audit.ActDisclosureApproval,
			ObjectType: "disclosure_board", ObjectID: orgID, Detail: detail, IP: actor.IP})
	})
}
