package report

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

// Status is where a report draft is.
type Status string

const (
	StatusDraft Status = "draft" // being written
	StatusFinal Status = "final" // figures and text settled; read-only until reopened
)

// Label is the status's name in the staff UI.
func (s Status) Label() string {
	if s == StatusFinal {
		return "已定稿"
	}
	return "编写中"
}

// Draft is what staff keep for one org's report of one year: the narrative,
// the figures they entered or overrode, and the status.
type Draft struct {
	OrgID     int64
	Year      int
	Narrative Narrative
	Status    Status
	ItemID    int64 // the item in the 政府信息公开年报 column, once created; 0 before
	Manual    map[string]Manual
	UpdatedBy string
	UpdatedAt time.Time // zero when nothing was saved yet
}

// WorkKind is the kind of a work record.
type WorkKind string

const (
	WorkTeam     WorkKind = "team"     // a member of the disclosure team and their duty
	WorkTraining WorkKind = "training" // a training session held
	WorkFunding  WorkKind = "funding"  // special funding
)

// Label is the kind's name in the staff UI.
func (k WorkKind) Label() string {
	switch k {
	case WorkTeam:
		return "工作人员"
	case WorkTraining:
		return "培训"
	case WorkFunding:
		return "专项经费"
	}
	return string(k)
}

// Work is a work record the report asks about that the system does not
// otherwise know: Title is the person's name, the training's subject or
// the funding's purpose; Detail the duty or a note; Day the training day;
// Attendees the number trained; Amount the funding in 万元.
type Work struct {
	ID        int64
	OrgID     int64
	Year      int
	Kind      WorkKind
	Day       string
	Title     string
	Detail    string
	Amount    string
	Attendees int64
	CreatedAt time.Time
}

// Tx is what a report step reads and writes in one transaction.
// internal/store implements it.
type Tx interface {
	OrgPath(ctx context.Context, orgID int64) ([]int64, error)
	// ReportDraft returns the draft of org and year, or a new empty draft
	// (status draft, zero UpdatedAt) when none was saved.
	ReportDraft(ctx context.Context, orgID int64, year int) (*Draft, error)
	// SaveReportDraft writes the narrative, status and item of d.
	SaveReportDraft(ctx context.Context, d *Draft) error
	// SetReportFigure stores (or, with an empty value, removes) a figure.
	SetReportFigure(ctx context.Context, orgID int64, year int, cell string, m Manual, by string) error
	AddReportWork(ctx context.Context, w *Work) error
	// DeleteReportWork removes record id of org; ErrNotFound if there is none.
	DeleteReportWork(ctx context.Context, orgID, id int64) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// Store opens report transactions.
type Store interface {
	UpdateReport(ctx context.Context, fn func(Tx) error) error
}

// Service changes report drafts and work records, checking permissions and
// writing the audit record in the same transaction.
type Service struct {
	store Store
}

// NewService returns a Service over st.
func NewService(st Store) *Service { return &Service{store: st} }

// EditRoles may write an org's report: the office that compiles it and
// administrators.
var EditRoles = []account.Role{account.RolePublisher, account.RoleAdmin}

// ViewRoles may read an org's report drafts and statistics.
var ViewRoles = []account.Role{account.RoleOfficer, account.RoleSection, account.RoleReviewer, account.RolePublisher,
	account.RoleHandler, account.RoleLeader, account.RoleAdmin}

// MinYear is the first year the 2021 template applies to
// (国办公开办函〔2021〕30号, first used for the 2021 reports; REGULATIONS.md §2).
const MinYear = 2021

// CheckYear validates a report year.
func CheckYear(year int, now time.Time) error {
	if year < MinYear || year > now.Year() {
		return apperr.Invalidf("year", "年度应在 %d 至 %d 之间（2021 年起适用新版年报格式）", MinYear, now.Year())
	}
	return nil
}

const maxText = 20000

func (s *Service) edit(ctx context.Context, actor account.Actor, orgID int64, year int, act audit.Action, detail string,
	fn func(tx Tx, d *Draft) error) error {
	return s.store.UpdateReport(ctx, func(tx Tx) error {
		path, err := tx.OrgPath(ctx, orgID)
		if err != nil {
			return err
		}
		if err := actor.Require(path, EditRoles...); err != nil {
			return err
		}
		d, err := tx.ReportDraft(ctx, orgID, year)
		if err != nil {
			return err
		}
		if err := fn(tx, d); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
			ObjectType: "annual_report", ObjectID: int64(year), Detail: detail, IP: actor.IP})
	})
}

func errFinal() error {
	return apperr.Invalidf("status", "年报已定稿，请先撤销定稿再修改")
}

// SaveNarrative stores the three narrative parts. A final report cannot be
// changed.
func (s *Service) SaveNarrative(ctx context.Context, actor account.Actor, orgID int64, year int, n Narrative) error {
	n.Overview, n.Problems, n.Other = strings.TrimSpace(n.Overview), strings.TrimSpace(n.Problems), strings.TrimSpace(n.Other)
	inv := &apperr.Invalid{}
	for field, v := range map[string]string{"overview": n.Overview, "problems": n.Problems, "other": n.Other} {
		if utf8.RuneCountInString(v) > maxText {
			inv.Add(field, fmt.Sprintf("不超过 %d 字", maxText))
		}
	}
	if len(inv.Fields) > 0 {
		return inv
	}
	return s.edit(ctx, actor, orgID, year, audit.ActReportNarrative, fmt.Sprintf("%d年度报告", year), func(tx Tx, d *Draft) error {
		if d.Status == StatusFinal {
			return errFinal()
		}
		d.Narrative, d.UpdatedBy = n, actor.Name
		return tx.SaveReportDraft(ctx, d)
	})
}

// SetFigure enters or overrides the figure of cell with its source; an
// empty value removes it, so the computed figure (or 0) applies again.
func (s *Service) SetFigure(ctx context.Context, actor account.Actor, orgID int64, year int, cell string, m Manual) error {
	if !ValidKey(cell) {
		return apperr.Invalidf("cell", "请选择表格中的单元格")
	}
	m.Value, m.Source = strings.TrimSpace(m.Value), strings.TrimSpace(m.Source)
	if m.Value != "" {
		v, msg := ParseManual(cell, m.Value)
		inv := &apperr.Invalid{}
		if msg != "" {
			inv.Add("value", msg)
		}
		if m.Source == "" {
			inv.Add("source", "请注明数据来源（如取自哪个系统或台账）")
		} else if utf8.RuneCountInString(m.Source) > 200 {
			inv.Add("source", "不超过 200 字")
		}
		if len(inv.Fields) > 0 {
			return inv
		}
		m.Value = v
	}
	detail := fmt.Sprintf("%d年度 %s = %s", year, CellName(cell), m.Value)
	if m.Value == "" {
		detail = fmt.Sprintf("%d年度 %s 恢复为系统统计", year, CellName(cell))
	}
	return s.edit(ctx, actor, orgID, year, audit.ActReportFigure, detail, func(tx Tx, d *Draft) error {
		if d.Status == StatusFinal {
			return errFinal()
		}
		if d.UpdatedAt.IsZero() {
			d.UpdatedBy = actor.Name
			if err := tx.SaveReportDraft(ctx, d); err != nil {
				return err
			}
		}
		return tx.SetReportFigure(ctx, orgID, year, cell, m, actor.Name)
	})
}

// SetStatus marks the report final or reopens it.
func (s *Service) SetStatus(ctx context.Context, actor account.Actor, orgID int64, year int, st Status) error {
	if st != StatusDraft && st != StatusFinal {
		return apperr.Invalidf("status", "状态无效")
	}
	return s.edit(ctx, actor, orgID, year, audit.ActReportStatus, fmt.Sprintf("%d年度报告：%s", year, st.Label()), func(tx Tx, d *Draft) error {
		d.Status, d.UpdatedBy = st, actor.Name
		return tx.SaveReportDraft(ctx, d)
	})
}

// AddWork records a work record after checking it.
func (s *Service) AddWork(ctx context.Context, actor account.Actor, w *Work) error {
	w.Title, w.Detail, w.Day, w.Amount = strings.TrimSpace(w.Title), strings.TrimSpace(w.Detail), strings.TrimSpace(w.Day), strings.TrimSpace(w.Amount)
	inv := &apperr.Invalid{}
	switch w.Kind {
	case WorkTeam:
		if w.Title == "" {
			inv.Add("title", "请填写姓名")
		}
		if w.Detail == "" {
			inv.Add("detail", "请填写承担的工作")
		}
		w.Day, w.Amount, w.Attendees = "", "", 0
	case WorkTraining:
		if w.Title == "" {
			inv.Add("title", "请填写培训主题")
		}
		if t, err := time.Parse("2006-01-02", w.Day); err != nil || t.Year() != w.Year {
			inv.Add("day", fmt.Sprintf("请填写 %d 年内的日期，格式如 %d-03-02", w.Year, w.Year))
		}
		if w.Attendees < 0 || w.Attendees > 100000 {
			inv.Add("attendees", "请填写参训人数")
		}
		w.Amount = ""
	case WorkFunding:
		if w.Title == "" {
			inv.Add("title", "请填写经费用途")
		}
		if !feesRe.MatchString(w.Amount) {
			inv.Add("amount", "请填写金额（万元），最多四位小数")
		}
		w.Day, w.Attendees = "", 0
	default:
		inv.Add("kind", "请选择记录类型")
	}
	if utf8.RuneCountInString(w.Title) > 200 {
		inv.Add("title", "不超过 200 字")
	}
	if utf8.RuneCountInString(w.Detail) > 1000 {
		inv.Add("detail", "不超过 1000 字")
	}
	if len(inv.Fields) > 0 {
		return inv
	}
	return s.edit(ctx, actor, w.OrgID, w.Year, audit.ActReportWork, fmt.Sprintf("%d年度 %s：%s", w.Year, w.Kind.Label(), w.Title), func(tx Tx, d *Draft) error {
		return tx.AddReportWork(ctx, w)
	})
}

// DeleteWork removes a work record of org.
func (s *Service) DeleteWork(ctx context.Context, actor account.Actor, orgID int64, year int, id int64) error {
	return s.edit(ctx, actor, orgID, year, audit.ActReportWork, fmt.Sprintf("%d年度 删除工作记录 %d", year, id), func(tx Tx, d *Draft) error {
		return tx.DeleteReportWork(ctx, orgID, id)
	})
}

// LinkItem records the item that publishes the final report of org and
// year through the publishing workflow (the item is created and submitted
// by the caller with publish.Service; its review and publication follow
// the normal workflow).
func (s *Service) LinkItem(ctx context.Context, actor account.Actor, orgID int64, year int, itemID int64) error {
	return s.edit(ctx, actor, orgID, year, audit.ActReportStatus, fmt.Sprintf("%d年度报告生成信息 %d", year, itemID), func(tx Tx, d *Draft) error {
		if d.Status != StatusFinal {
			return apperr.Invalidf("status", "请先定稿，再生成年报信息")
		}
		d.ItemID = itemID
		return tx.SaveReportDraft(ctx, d)
	})
}

// ColumnName is the name of the column annual reports are published in
// (政府信息公开年报, 条例 art. 49).
const ColumnName = "政府信息公开年报"
