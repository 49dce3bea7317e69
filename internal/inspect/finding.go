package inspect

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
)

// Source says where a security finding (安全隐患) came from.
type Source string

const (
	SourceAssessment Source = "assessment" // a security assessment report (测评报告)
	SourceSelfCheck  Source = "self_check" // the bureau's own check (自查)
	SourceInspection Source = "inspection" // a site inspection run
	SourceScan       Source = "scan"       // a vulnerability scan
	SourceMapCheck   Source = "map_check"  // the map self-check
)

// Sources lists the sources in the order the form offers them.
func Sources() []Source {
	return []Source{SourceAssessment, SourceSelfCheck, SourceInspection, SourceScan, SourceMapCheck}
}

// Label is the source's name in Chinese.
func (s Source) Label() string {
	switch s {
	case SourceAssessment:
		return "安全测评报告"
	case SourceSelfCheck:
		return "自查"
	case SourceInspection:
		return "网站检查"
	case SourceScan:
		return "漏洞扫描"
	case SourceMapCheck:
		return "地图自查"
	}
	return string(s)
}

// Severity is how serious a finding is.
type Severity string

const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
)

// Severities lists the severities, most serious first.
func Severities() []Severity { return []Severity{SeverityHigh, SeverityMedium, SeverityLow} }

// Label is the severity's name in Chinese.
func (s Severity) Label() string {
	switch s {
	case SeverityHigh:
		return "高危"
	case SeverityMedium:
		return "中危"
	case SeverityLow:
		return "低危"
	}
	return string(s)
}

// FindingState is where a finding is on its way to closure.
type FindingState string

const (
	FindingOpen       FindingState = "open"       // found, not yet remediated
	FindingRemediated FindingState = "remediated" // remediated, awaiting closure by a second person
	FindingClosed     FindingState = "closed"     // closed (销号)
)

// Label is the state's name in Chinese.
func (s FindingState) Label() string {
	switch s {
	case FindingOpen:
		return "待整改"
	case FindingRemediated:
		return "已整改待销号"
	case FindingClosed:
		return "已销号"
	}
	return string(s)
}

// Finding is one entry of the security findings register (安全隐患整改台账):
// what was found, where, by when it must be fixed and by whom, how it was
// fixed with evidence, and who closed it.
type Finding struct {
	ID          int64
	OrgID       int64
	Source      Source
	SourceRef   string // what found it (e.g. "run 3 /mzj/x"); unique per org when set
	Severity    Severity
	Title       string
	Description string
	Location    string
	FoundOn     string // YYYY-MM-DD
	Deadline    string // YYYY-MM-DD
	OwnerID     int64
	OwnerName   string
	State       FindingState

	Remediation      string
	RemediatedBy     int64
	RemediatedByName string
	RemediatedAt     time.Time
	Evidence         Evidence

	ClosedBy     int64
	ClosedByName string
	ClosedAt     time.Time
	CloseNote    string

	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Evidence is a file proving the remediation, stored by content hash.
type Evidence struct {
	SHA256, Name, ContentType string
}

// Overdue reports whether the finding is still open past its deadline as
// of today (YYYY-MM-DD).
func (f Finding) Overdue(today string) bool {
	return f.State != FindingClosed && today > f.Deadline
}

// FindingRoles may keep the register: the site's administrators.
var FindingRoles = []account.Role{account.RoleAdmin}

const dateLayout = "2006-01-02"

// Validate checks a new finding and returns an *apperr.Invalid with a
// Chinese message per field.
func (f *Finding) Validate() error {
	inv := &apperr.Invalid{Fields: map[string]string{}}
	f.Title, f.Description, f.Location = strings.TrimSpace(f.Title), strings.TrimSpace(f.Description), strings.TrimSpace(f.Location)
	switch n := utf8.RuneCountInString(f.Title); {
	case n == 0:
		inv.Fields["title"] = "请填写隐患名称"
	case n > 200:
		inv.Fields["title"] = "隐患名称不能超过200字"
	}
	if utf8.RuneCountInString(f.Description) > 5000 {
		inv.Fields["description"] = "隐患描述不能超过5000字"
	}
	if utf8.RuneCountInString(f.Location) > 500 {
		inv.Fields["location"] = "位置不能超过500字"
	}
	okSource := false
	for _, s := range Sources() {
		okSource = okSource || s == f.Source
	}
	if !okSource {
		inv.Fields["source"] = "请选择隐患来源"
	}
	if f.Severity != SeverityHigh && f.Severity != SeverityMedium && f.Severity != SeverityLow {
		inv.Fields["severity"] = "请选择危险等级"
	}
	found, err1 := time.Parse(dateLayout, f.FoundOn)
	if err1 != nil {
		inv.Fields["found_on"] = "请填写发现日期，格式如 2026-03-02"
	}
	due, err2 := time.Parse(dateLayout, f.Deadline)
	if err2 != nil {
		inv.Fields["deadline"] = "请填写整改期限，格式如 2026-03-31"
	} else if err1 == nil && due.Before(found) {
		inv.Fields["deadline"] = "整改期限不能早于发现日期"
	}
	if f.OwnerID == 0 {
		inv.Fields["owner_id"] = "请选择整改责任人"
	}
	if len(inv.Fields) > 0 {
		return inv
	}
	return nil
}

// FindingTx is what a register step reads and writes in one transaction.
// internal/store implements it.
type FindingTx interface {
	SecurityFinding(ctx context.Context, id int64) (*Finding, error)
	InsertSecurityFinding(ctx context.Context, f *Finding) (int64, error)
	SaveSecurityFinding(ctx context.Context, f *Finding) error
	AppendAudit(ctx context.Context, r audit.Record) error
	OrgPath(ctx context.Context, orgID int64) ([]int64, error)
}

// allowed reports whether actor is an administrator of the org (or of one
// above it).
func allowed(ctx context.Context, tx FindingTx, actor account.Actor, orgID int64) (bool, error) {
	path, err := tx.OrgPath(ctx, orgID)
	if err != nil {
		return false, err
	}
	return actor.Has(account.RoleAdmin, path), nil
}

// FindingStore opens register transactions.
type FindingStore interface {
	UpdateFindings(ctx context.Context, fn func(FindingTx) error) error
}

// Findings keeps the security findings register. Every step checks that
// the actor is an administrator of the finding's org (a grant on an org
// covers its units) and is audited in the same transaction.
type Findings struct {
	store FindingStore
	now   func() time.Time
}

// NewFindings returns the register over st; now is the clock.
func NewFindings(st FindingStore, now func() time.Time) *Findings {
	if now == nil {
		now = time.Now
	}
	return &Findings{store: st, now: now}
}

func record(actor account.Actor, orgID int64, act audit.Action, id int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: "finding", ObjectID: id, Detail: detail, IP: actor.IP}
}

// Create registers a finding in state open. The owner's name is taken as
// given by the caller (the UI looks it up).
func (s *Findings) Create(ctx context.Context, actor account.Actor, f *Finding) error {
	if err := f.Validate(); err != nil {
		return err
	}
	f.State = FindingOpen
	f.CreatedBy = actor.UserID
	return s.store.UpdateFindings(ctx, func(tx FindingTx) error {
		if ok, err := allowed(ctx, tx, actor, f.OrgID); err != nil || !ok {
			if err == nil {
				err = apperr.ErrForbidden
			}
			return fmt.Errorf("create finding: %w", err)
		}
		id, err := tx.InsertSecurityFinding(ctx, f)
		if err != nil {
			return err
		}
		f.ID = id
		return tx.AppendAudit(ctx, record(actor, f.OrgID, audit.ActFindingCreate, id, f.Severity.Label()+"："+f.Title))
	})
}

// ownFinding loads finding id for an action by actor, who must hold a
// role over its org; another org's finding is as good as missing.
func ownFinding(ctx context.Context, tx FindingTx, actor account.Actor, id int64, action string) (*Finding, error) {
	f, err := tx.SecurityFinding(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := allowed(ctx, tx, actor, f.OrgID); err != nil || !ok {
		if err == nil {
			err = apperr.ErrNotFound
		}
		return nil, fmt.Errorf("%s finding %d: %w", action, id, err)
	}
	return f, nil
}

// Remediate records how a finding was fixed, with optional evidence, and
// moves it to remediated. A remediated finding may be remediated again
// (better notes, more evidence) until it is closed.
func (s *Findings) Remediate(ctx context.Context, actor account.Actor, id int64, notes string, ev Evidence) error {
	notes = strings.TrimSpace(notes)
	return s.store.UpdateFindings(ctx, func(tx FindingTx) error {
		f, err := ownFinding(ctx, tx, actor, id, "remediate")
		if err != nil {
			return err
		}
		if f.State == FindingClosed {
			return fmt.Errorf("finding %d is closed: %w", id, apperr.ErrConflict)
		}
		switch n := utf8.RuneCountInString(notes); {
		case n == 0:
			return apperr.Invalidf("remediation", "请填写整改情况")
		case n > 5000:
			return apperr.Invalidf("remediation", "整改情况不能超过5000字")
		}
		f.Remediation, f.RemediatedBy, f.RemediatedByName, f.RemediatedAt = notes, actor.UserID, actor.Name, s.now().UTC()
		if ev.SHA256 != "" {
			f.Evidence = ev
		}
		f.State = FindingRemediated
		if err := tx.SaveSecurityFinding(ctx, f); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, f.OrgID, audit.ActFindingRemediate, id, f.Title))
	})
}

// Close closes (销号) a remediated finding. The person who closes it must
// not be the one who remediated it: closure is the second person's check.
func (s *Findings) Close(ctx context.Context, actor account.Actor, id int64, note string) error {
	note = strings.TrimSpace(note)
	return s.store.UpdateFindings(ctx, func(tx FindingTx) error {
		f, err := ownFinding(ctx, tx, actor, id, "close")
		if err != nil {
			return err
		}
		switch {
		case f.State == FindingOpen:
			return apperr.Invalidf("close_note", "隐患尚未整改，不能销号")
		case f.State == FindingClosed:
			return fmt.Errorf("finding %d is closed: %w", id, apperr.ErrConflict)
		case f.RemediatedBy == actor.UserID:
			return apperr.Invalidf("close_note", "销号须由整改人以外的人员确认")
		case utf8.RuneCountInString(note) > 2000:
			return apperr.Invalidf("close_note", "销号意见不能超过2000字")
		}
		f.State, f.ClosedBy, f.ClosedByName, f.ClosedAt, f.CloseNote = FindingClosed, actor.UserID, actor.Name, s.now().UTC(), note
		if err := tx.SaveSecurityFinding(ctx, f); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, f.OrgID, audit.ActFindingClose, id, f.Title))
	})
}

// YearSummary is the register's figures for a year, for the annual report.
type YearSummary struct {
	Year       int
	Found      int // found in the year
	Closed     int // of those, closed
	Open       int // of those, not closed
	Overdue    int // of those, not closed past the deadline as of the day of the summary
	High       int // found in the year and high, medium, low
	Medium     int
	Low        int
	BySeverity map[Severity]int // found in the year, per severity
	BySource   map[Source]int   // found in the year, per source
}

// Summarize counts the findings found in year as of today (YYYY-MM-DD).
func Summarize(fs []Finding, year int, today string) YearSummary {
	s := YearSummary{Year: year, BySeverity: map[Severity]int{}, BySource: map[Source]int{}}
	prefix := fmt.Sprintf("%04d-", year)
	for i := range fs {
		f := &fs[i]
		if !strings.HasPrefix(f.FoundOn, prefix) {
			continue
		}
		s.Found++
		s.BySeverity[f.Severity]++
		switch f.Severity {
		case SeverityHigh:
			s.High++
		case SeverityMedium:
			s.Medium++
		case SeverityLow:
			s.Low++
		}
		s.BySource[f.Source]++
		if f.State == FindingClosed {
			s.Closed++
		} else {
			s.Open++
		}
		if f.Overdue(today) {
			s.Overdue++
		}
	}
	return s
}
