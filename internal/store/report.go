package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"gongkai/internal/apply"
	"gongkai/internal/report"
)

// chinaTime is the zone of the calendar year a report covers.
var chinaTime = time.FixedZone("CST", 8*3600)

// UpdateReport runs fn in one write transaction.
func (db *DB) UpdateReport(ctx context.Context, fn func(report.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// yearBounds returns the first and last day of year as stored days, and
// the instants the year starts and ends in China.
func yearBounds(year int) (first, last string, start, end time.Time) {
	start = time.Date(year, 1, 1, 0, 0, 0, 0, chinaTime)
	end = time.Date(year+1, 1, 1, 0, 0, 0, 0, chinaTime)
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year), start, end
}

// ReportInput computes the data of the annual report tables of org for
// year (REGULATIONS.md §2.2–2.4):
//
//   - table 二, 第二十条第（一）项: items whose live version has genre 规章
//     or 规范性文件 (行政规范性文件): issued = first published in the year;
//     repealed = marked 废止 with a date in the year; valid = published by
//     the end of the year and not expired or repealed by then. Withdrawn
//     items are left out.
//   - table 三: applications by applicant column; new = received in the
//     year; carried over from last year = received before the year and not
//     answered before it; outcomes = answered in the year, by category and
//     sub-reason; carried over to next year = received by the end of the
//     year and not answered by then. Applications not yet received (online
//     submissions awaiting confirmation) are not counted.
//   - table 四: cases filed in the year, by kind, with their result as of
//     the end of the year (undecided then = 尚未审结).
func (db *DB) ReportInput(ctx context.Context, orgID int64, year int) (report.Input, error) {
	in := report.Input{Year: year}
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.reportDocs(ctx, orgID, year, &in); err != nil {
			return err
		}
		if err := tx.reportRequests(ctx, orgID, year, &in); err != nil {
			return err
		}
		return tx.reportCases(ctx, orgID, year, &in)
	})
	return in, err
}

func (tx *Tx) reportDocs(ctx context.Context, orgID int64, year int, in *report.Input) error {
	first, last, start, end := yearBounds(year)
	rows, err := tx.query(ctx, `SELECT v.genre,
		COALESCE(SUM(CASE WHEN i.first_published_at >= ? AND i.first_published_at < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN i.validity = 'repealed' AND i.validity_date >= ? AND i.validity_date <= ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN i.first_published_at < ? AND (i.validity = 'valid' OR i.validity_date > ?) THEN 1 ELSE 0 END), 0)
		FROM item_versions v JOIN items i ON i.id = v.item_id AND i.live_version = v.number
		WHERE v.genre IN ('规章', '规范性文件', '行政规范性文件') AND i.org_id = ? AND i.live_version > 0 AND i.state <> 'withdrawn'
		GROUP BY v.genre`,
		tx.t(start), tx.t(end), first, last, tx.t(end), last, orgID)
	if err != nil {
		return fmt.Errorf("count regulatory documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var genre string
		var c report.DocCounts
		if err := rows.Scan(&genre, &c.Issued, &c.Repealed, &c.Valid); err != nil {
			return fmt.Errorf("scan document counts: %w", err)
		}
		dst := &in.Normative
		if genre == "规章" {
			dst = &in.Rules
		}
		dst.Issued += c.Issued
		dst.Repealed += c.Repealed
		dst.Valid += c.Valid
	}
	return rows.Err()
}

func (tx *Tx) reportRequests(ctx context.Context, orgID int64, year int, in *report.Input) error {
	first, last, _, _ := yearBounds(year)
	// One pass over the org's applications that were open at some point
	// of the year, grouped by applicant and outcome; the covering index
	// report_apply_cover (migration 0007) serves it without touching the
	// table on SQLite.
	rows, err := tx.query(ctx, `SELECT applicant_kind, org_type, outcome, outcome_reason,
		COALESCE(SUM(CASE WHEN received_on >= ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN received_on < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN answered_on >= ? AND answered_on <= ? AND outcome <> '' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN answered_on = '' OR answered_on > ? THEN 1 ELSE 0 END), 0)
		FROM apply_applications
		WHERE org_id = ? AND received_on <> '' AND received_on <= ? AND (answered_on = '' OR answered_on >= ?)
		GROUP BY applicant_kind, org_type, outcome, outcome_reason`,
		first, first, first, last, last, orgID, last, first)
	if err != nil {
		return fmt.Errorf("count applications: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind apply.ApplicantKind
		var typ apply.OrgType
		var cat apply.Category
		var reason apply.Reason
		var n, carriedIn, handled, carriedOut int64
		if err := rows.Scan(&kind, &typ, &cat, &reason, &n, &carriedIn, &handled, &carriedOut); err != nil {
			return fmt.Errorf("scan application counts: %w", err)
		}
		a := report.ApplicantOf(kind, typ)
		in.Add(report.RowNew, a, n)
		in.Add(report.RowCarriedIn, a, carriedIn)
		in.Add(report.RowCarriedOut, a, carriedOut)
		if handled == 0 {
			continue
		}
		row, ok := report.OutcomeRow(cat, reason)
		if !ok {
			// An outcome the template has no row for stays uncounted;
			// the balance check then shows the gap.
			continue
		}
		in.Add(row, a, handled)
	}
	return rows.Err()
}

func (tx *Tx) reportCases(ctx context.Context, orgID int64, year int, in *report.Input) error {
	first, last, _, _ := yearBounds(year)
	rows, err := tx.query(ctx, `SELECT kind, res, COUNT(*) FROM (
		SELECT kind, CASE WHEN decided_on = '' OR decided_on > ? THEN 'pending' ELSE result END AS res
		FROM apply_cases WHERE org_id = ? AND filed_on >= ? AND filed_on <= ?) c
		GROUP BY kind, res`, last, orgID, first, last)
	if err != nil {
		return fmt.Errorf("count cases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, result string
		var n int64
		if err := rows.Scan(&kind, &result, &n); err != nil {
			return fmt.Errorf("scan case counts: %w", err)
		}
		k, ok1 := report.CaseKindOf(kind)
		r, ok2 := report.CaseResultOf(result)
		if ok1 && ok2 {
			in.Cases[k][r] += n
		}
	}
	return rows.Err()
}

// ReportFacts gathers the figures the draft of 一、总体情况 is written from.
func (db *DB) ReportFacts(ctx context.Context, orgID int64, year int) (report.Facts, error) {
	f := report.Facts{Year: year}
	first, last, start, end := yearBounds(year)
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, orgID).Scan(&f.OrgName); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("org", orgID)
			}
			return fmt.Errorf("select org: %w", err)
		}
		rows, err := tx.query(ctx, `SELECT c.name, COUNT(*) FROM items i JOIN site_columns c ON c.id = i.column_id
			WHERE i.org_id = ? AND i.first_published_at >= ? AND i.first_published_at < ? AND i.state <> 'withdrawn'
			GROUP BY c.name`, orgID, tx.t(start), tx.t(end))
		if err != nil {
			return fmt.Errorf("count items per column: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c report.ColumnCount
			if err := rows.Scan(&c.Name, &c.Count); err != nil {
				return err
			}
			f.Published += c.Count
			f.ByColumn = append(f.ByColumn, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		sort.SliceStable(f.ByColumn, func(i, j int) bool {
			if f.ByColumn[i].Count != f.ByColumn[j].Count {
				return f.ByColumn[i].Count > f.ByColumn[j].Count
			}
			return f.ByColumn[i].Name < f.ByColumn[j].Name
		})
		// Pushes to an upper org's site (issue 9, migration 0010).
		f.HasPortal = true
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END), 0)
			FROM pushes WHERE from_org_id = ? AND pushed_at >= ? AND pushed_at < ?`, orgID, tx.t(start), tx.t(end)).
			Scan(&f.Pushed, &f.PushAccepted); err != nil {
			return fmt.Errorf("count pushes: %w", err)
		}
		// Security findings of the year (issue 10's register).
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), 0)
			FROM security_findings WHERE org_id = ? AND found_on >= ? AND found_on <= ?`, orgID, first, last).
			Scan(&f.SecurityFound, &f.SecurityClosed); err != nil {
			return fmt.Errorf("count security findings: %w", err)
		}
		// Submissions to upper bodies (信息报送, issue 9).
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN adopted THEN 1 ELSE 0 END), 0)
			FROM submissions WHERE org_id = ? AND submitted_on >= ? AND submitted_on <= ?`, orgID, first, last).
			Scan(&f.Submitted, &f.SubmitAdopted); err != nil {
			return fmt.Errorf("count submissions: %w", err)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM site_columns WHERE org_id = ? AND kind = 'topic' AND created_at >= ? AND created_at < ?`,
			orgID, tx.t(start), tx.t(end)).Scan(&f.Topics); err != nil {
			return fmt.Errorf("count topics: %w", err)
		}
		if err := tx.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN received_on >= ? AND received_on <= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN answered_on >= ? AND answered_on <= ? AND outcome <> '' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN answered_on >= ? AND answered_on <= ? AND outcome <> '' AND NOT late THEN 1 ELSE 0 END), 0)
			FROM apply_applications WHERE org_id = ?`, first, last, first, last, first, last, orgID).
			Scan(&f.Received, &f.Answered, &f.AnsweredOnTime); err != nil {
			return fmt.Errorf("count applications: %w", err)
		}
		if err := tx.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN received_on >= ? AND received_on <= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'answered' AND answered_on >= ? AND answered_on <= ? THEN 1 ELSE 0 END), 0)
			FROM interact_messages WHERE org_id = ?`, first, last, first, last, orgID).
			Scan(&f.MessagesReceived, &f.MessagesAnswered); err != nil {
			return fmt.Errorf("count messages: %w", err)
		}
		work, err := tx.reportWork(ctx, orgID, year)
		if err != nil {
			return err
		}
		for _, w := range work {
			switch w.Kind {
			case report.WorkTeam:
				f.Team = append(f.Team, report.Member{Name: w.Title, Duty: w.Detail})
			case report.WorkTraining:
				f.Trainings = append(f.Trainings, report.Training{Day: w.Day, Title: w.Title, Attendees: w.Attendees})
			case report.WorkFunding:
				f.Funding = append(f.Funding, report.Funding{Amount: w.Amount, Note: w.Title})
			}
		}
		return nil
	})
	return f, err
}

// ReportDraft returns the draft of org and year with its figures, or an
// empty draft when none was saved.
func (tx *Tx) ReportDraft(ctx context.Context, orgID int64, year int) (*report.Draft, error) {
	d := &report.Draft{OrgID: orgID, Year: year, Status: report.StatusDraft, Manual: map[string]report.Manual{}}
	err := tx.queryRow(ctx, `SELECT overview, problems, other, status, item_id, updated_by, updated_at
		FROM report_drafts WHERE org_id = ? AND year = ?`, orgID, year).
		Scan(&d.Narrative.Overview, &d.Narrative.Problems, &d.Narrative.Other, &d.Status, idCol{&d.ItemID}, &d.UpdatedBy, timeCol{&d.UpdatedAt})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("select report draft: %w", err)
	}
	rows, err := tx.query(ctx, `SELECT cell, value, source FROM report_figures WHERE org_id = ? AND year = ?`, orgID, year)
	if err != nil {
		return nil, fmt.Errorf("select report figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cell string
		var m report.Manual
		if err := rows.Scan(&cell, &m.Value, &m.Source); err != nil {
			return nil, fmt.Errorf("scan report figure: %w", err)
		}
		d.Manual[cell] = m
	}
	return d, rows.Err()
}

// SaveReportDraft writes the narrative, status and item of d.
func (tx *Tx) SaveReportDraft(ctx context.Context, d *report.Draft) error {
	d.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO report_drafts (org_id, year, overview, problems, other, status, item_id, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, year) DO UPDATE SET overview = excluded.overview, problems = excluded.problems, other = excluded.other,
		status = excluded.status, item_id = excluded.item_id, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		d.OrgID, d.Year, d.Narrative.Overview, d.Narrative.Problems, d.Narrative.Other, d.Status, nullID(d.ItemID), d.UpdatedBy, tx.t(d.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save report draft: %w", err)
	}
	return nil
}

// SetReportFigure stores a figure, or removes it when m.Value is empty.
func (tx *Tx) SetReportFigure(ctx context.Context, orgID int64, year int, cell string, m report.Manual, by string) error {
	if m.Value == "" {
		_, err := tx.exec(ctx, `DELETE FROM report_figures WHERE org_id = ? AND year = ? AND cell = ?`, orgID, year, cell)
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO report_figures (org_id, year, cell, value, source, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, year, cell) DO UPDATE SET value = excluded.value, source = excluded.source,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		orgID, year, cell, m.Value, m.Source, by, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("save report figure: %w", err)
	}
	return nil
}

// AddReportWork inserts w and sets its ID.
func (tx *Tx) AddReportWork(ctx context.Context, w *report.Work) error {
	w.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO report_work (org_id, year, kind, on_day, title, detail, amount, attendees, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.OrgID, w.Year, w.Kind, w.Day, w.Title, w.Detail, w.Amount, w.Attendees, tx.t(w.CreatedAt), tx.t(w.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert report work: %w", err)
	}
	w.ID = id
	return nil
}

// DeleteReportWork removes record id of org.
func (tx *Tx) DeleteReportWork(ctx context.Context, orgID, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM report_work WHERE id = ? AND org_id = ?`, id, orgID)
	if err != nil {
		return fmt.Errorf("delete report work: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return notFound("report work", id)
	}
	return nil
}

func (tx *Tx) reportWork(ctx context.Context, orgID int64, year int) ([]report.Work, error) {
	rows, err := tx.query(ctx, `SELECT id, org_id, year, kind, on_day, title, detail, amount, attendees, created_at
		FROM report_work WHERE org_id = ? AND year = ? ORDER BY kind, on_day, id`, orgID, year)
	if err != nil {
		return nil, fmt.Errorf("select report work: %w", err)
	}
	defer rows.Close()
	var out []report.Work
	for rows.Next() {
		var w report.Work
		if err := rows.Scan(&w.ID, &w.OrgID, &w.Year, &w.Kind, &w.Day, &w.Title, &w.Detail, &w.Amount, &w.Attendees, timeCol{&w.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan report work: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ReportDraft returns the draft of org and year (see Tx.ReportDraft).
func (db *DB) ReportDraft(ctx context.Context, orgID int64, year int) (d *report.Draft, err error) {
	err = db.View(ctx, func(tx *Tx) error { d, err = tx.ReportDraft(ctx, orgID, year); return err })
	return d, err
}

// ReportWork lists the work records of org and year.
func (db *DB) ReportWork(ctx context.Context, orgID int64, year int) (out []report.Work, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.reportWork(ctx, orgID, year); return err })
	return out, err
}

// AnnualReport builds the tables of org and year from the data and the
// figures staff entered, with the draft they come from.
func (db *DB) AnnualReport(ctx context.Context, orgID int64, year int) (*report.Report, *report.Draft, error) {
	in, err := db.ReportInput(ctx, orgID, year)
	if err != nil {
		return nil, nil, err
	}
	d, err := db.ReportDraft(ctx, orgID, year)
	if err != nil {
		return nil, nil, err
	}
	return report.Build(in, d.Manual), d, nil
}
