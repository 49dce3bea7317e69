package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongkai/internal/apply"
	"gongkai/internal/report"
)

// inInts returns "?, ?, ?" for n placeholders and the ids as arguments.
func inInts(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// ReportStats computes the dashboard figures of the orgs orgIDs together
// for year, as of today (YYYY-MM-DD): items per month and per column,
// application outcomes, handling days, late and overdue applications. An
// empty orgIDs gives empty figures.
func (db *DB) ReportStats(ctx context.Context, orgIDs []int64, year int, today string) (report.Stats, error) {
	s := report.Stats{Year: year}
	if len(orgIDs) == 0 {
		return s, nil
	}
	in, ids := inInts(orgIDs)
	first, last, start, end := yearBounds(year)
	err := db.View(ctx, func(tx *Tx) error {
		// Items per month: one pass with a sum per month.
		var cols []string
		var args []any
		for m := range 12 {
			from := time.Date(year, time.Month(m+1), 1, 0, 0, 0, 0, chinaTime)
			to := from.AddDate(0, 1, 0)
			cols = append(cols, "COALESCE(SUM(CASE WHEN first_published_at >= ? AND first_published_at < ? THEN 1 ELSE 0 END), 0)")
			args = append(args, tx.t(from), tx.t(to))
		}
		args = append(args, ids...)
		args = append(args, tx.t(start), tx.t(end))
		row := tx.queryRow(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM items
			WHERE org_id IN (`+in+`) AND state <> 'withdrawn' AND first_published_at >= ? AND first_published_at < ?`, args...)
		dst := make([]any, 12)
		for i := range dst {
			dst[i] = &s.ItemsByMonth[i]
		}
		if err := row.Scan(dst...); err != nil {
			return fmt.Errorf("count items per month: %w", err)
		}

		rows, err := tx.query(ctx, `SELECT c.name, COUNT(*) FROM items i JOIN site_columns c ON c.id = i.column_id
			WHERE i.org_id IN (`+in+`) AND i.state <> 'withdrawn' AND i.first_published_at >= ? AND i.first_published_at < ?
			GROUP BY c.name`, append(append([]any{}, ids...), tx.t(start), tx.t(end))...)
		if err != nil {
			return fmt.Errorf("count items per column: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c report.ColumnCount
			if err := rows.Scan(&c.Name, &c.Count); err != nil {
				return err
			}
			s.ItemsByColumn = append(s.ItemsByColumn, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		sort.SliceStable(s.ItemsByColumn, func(i, j int) bool {
			if s.ItemsByColumn[i].Count != s.ItemsByColumn[j].Count {
				return s.ItemsByColumn[i].Count > s.ItemsByColumn[j].Count
			}
			return s.ItemsByColumn[i].Name < s.ItemsByColumn[j].Name
		})

		rows, err = tx.query(ctx, `SELECT received_on, answered_on, outcome, late, due_on FROM apply_applications
			WHERE org_id IN (`+in+`) AND received_on <> '' AND (received_on >= ? AND received_on <= ? OR answered_on >= ? AND answered_on <= ? OR answered_on = '')`,
			append(append([]any{}, ids...), first, last, first, last)...)
		if err != nil {
			return fmt.Errorf("select applications: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var received, answered, due string
			var cat apply.Category
			var late bool
			if err := rows.Scan(&received, &answered, &cat, &late, &due); err != nil {
				return fmt.Errorf("scan application: %w", err)
			}
			if received >= first && received <= last {
				s.Received++
			}
			switch {
			case answered >= first && answered <= last && cat != "":
				s.Answered++
				if late {
					s.Late++
				}
				if i, ok := report.CategoryIndex(cat); ok {
					s.Outcomes[i]++
				}
				s.Handled = append(s.Handled, report.Handled{Received: received, Answered: answered})
			case answered == "" && received <= today:
				s.Open++
				if due != "" && due < today {
					s.Overdue++
				}
			}
		}
		return rows.Err()
	})
	return s, err
}
