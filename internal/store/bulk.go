package store

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/demo"
)

// BulkItems inserts n published items into the given columns of an org,
// spread over the years before now, directly in SQL and in batches: for
// load tests and benchmarks only (`gongkai demo --items N`). The items get
// index numbers from the org's counters, but no audit records and no
// publication-log leaves, which the publishing service writes for real
// items.
func (db *DB) BulkItems(ctx context.Context, orgID int64, orgCode string, columns []int64, n int, now time.Time, progress func(done int)) error {
	if len(columns) == 0 {
		return fmt.Errorf("bulk items: no columns")
	}
	const batch = 2000
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		err := db.Update(ctx, func(tx *Tx) error {
			for i := start; i < end; i++ {
				g := demo.GenerateItem(i)
				// Later items are newer, as ids grow with publication.
				published := now.Add(-time.Duration(n-1-i) * 37 * time.Minute)
				year := published.In(china).Year()
				serial, err := tx.NextIndexSerial(ctx, orgID, year)
				if err != nil {
					return err
				}
				col := columns[i%len(columns)]
				id, err := tx.insert(ctx, `
					INSERT INTO items (org_id, state, current_version, live_version, index_no, column_id, title, validity, first_published_at, last_published_at, created_at, updated_at)
					VALUES (?, 'published', 1, 1, ?, ?, ?, 'valid', ?, ?, ?, ?)`,
					orgID, fmt.Sprintf("%s/%d-%05d", orgCode, year, serial), col, g.Title, tx.t(published), tx.t(published), tx.t(published), tx.t(published))
				if err != nil {
					return fmt.Errorf("insert bulk item: %w", err)
				}
				if _, err := tx.exec(ctx, `
					INSERT INTO item_versions (item_id, number, title, summary, body, column_id, doc_no, issuer, topic, genre, written_date, formed_date, disclosure, created_at, updated_at, published_at)
					VALUES (?, 1, ?, ?, ?, ?, ?, '随州市民政局', '民政、扶贫、救灾', ?, ?, ?, 'proactive', ?, ?, ?)`,
					id, g.Title, g.Summary, g.Body, col, g.DocNo, g.Genre, published.In(china).Format("2006-01-02"), published.In(china).Format("2006-01-02"),
					tx.t(published), tx.t(published), tx.t(published)); err != nil {
					return fmt.Errorf("insert bulk version: %w", err)
				}
				if _, err := tx.exec(ctx, `INSERT INTO item_columns (item_id, column_id) VALUES (?, ?)`, id, col); err != nil {
					return fmt.Errorf("insert bulk item column: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return nil
}
