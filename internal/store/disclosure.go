package store

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/syndicate"
	"gongkai/internal/workday"
)

// UpdateDisclosures runs fn in one write transaction.
func (db *DB) UpdateDisclosures(ctx context.Context, fn func(syndicate.DisclosureTx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// SaveDisclosure stores what an org entered for one required disclosure,
// replacing what was there.
func (tx *Tx) SaveDisclosure(ctx context.Context, r *syndicate.Record) error {
	r.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO disclosure_approvals (org_id, year, kind, approved_on, item_id, entered_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, year, kind) DO UPDATE SET approved_on = excluded.approved_on, item_id = excluded.item_id,
			entered_by = excluded.entered_by, updated_at = excluded.updated_at`,
		r.OrgID, r.Year, r.Kind, dayText(r.ApprovedOn), r.ItemID, r.EnteredBy, tx.t(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save disclosure: %w", err)
	}
	return nil
}

// DisclosureRecords returns what every org entered for year, with the
// first publication date of each linked item that is public (of the same
// org).
func (tx *Tx) DisclosureRecords(ctx context.Context, year int) ([]syndicate.Record, error) {
	rows, err := tx.query(ctx, `SELECT d.org_id, d.year, d.kind, d.approved_on, d.item_id, d.entered_by, d.updated_at, i.first_published_at
		FROM disclosure_approvals d
		LEFT JOIN items i ON i.id = d.item_id AND i.org_id = d.org_id AND i.live_version > 0 AND i.state <> 'withdrawn'
		WHERE d.year = ? ORDER BY d.org_id, d.kind`, year)
	if err != nil {
		return nil, fmt.Errorf("select disclosures: %w", err)
	}
	defer rows.Close()
	var out []syndicate.Record
	for rows.Next() {
		var r syndicate.Record
		var approved string
		var pub time.Time
		if err := rows.Scan(&r.OrgID, &r.Year, &r.Kind, &approved, &r.ItemID, &r.EnteredBy, timeCol{&r.UpdatedAt}, timeCol{&pub}); err != nil {
			return nil, fmt.Errorf("scan disclosure: %w", err)
		}
		r.ApprovedOn = parseDay(approved)
		if !pub.IsZero() {
			r.PublishedOn = workday.DateOf(pub.In(chinaTime))
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReminder records r unless the same stage was recorded before.
func (tx *Tx) AddReminder(ctx context.Context, r *syndicate.Reminder) (bool, error) {
	r.SentAt = tx.now
	res, err := tx.exec(ctx, `INSERT INTO disclosure_reminders (org_id, year, kind, stage, sent_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id, year, kind, stage) DO NOTHING`, r.OrgID, r.Year, r.Kind, r.Stage, tx.t(r.SentAt))
	if err != nil {
		return false, fmt.Errorf("insert reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SetBoardPublic sets whether orgID's board is on its public site.
func (tx *Tx) SetBoardPublic(ctx context.Context, orgID int64, public bool) error {
	_, err := tx.exec(ctx, `INSERT INTO disclosure_boards (org_id, public) VALUES (?, ?)
		ON CONFLICT (org_id) DO UPDATE SET public = excluded.public`, orgID, public)
	if err != nil {
		return fmt.Errorf("save board setting: %w", err)
	}
	return nil
}

// DisclosureRecords returns what every org entered for year.
func (db *DB) DisclosureRecords(ctx context.Context, year int) (out []syndicate.Record, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.DisclosureRecords(ctx, year); return err })
	return out, err
}

// Reminders returns the reminders recorded for orgIDs, newest first.
func (db *DB) Reminders(ctx context.Context, orgIDs []int64) (out []syndicate.Reminder, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT org_id, year, kind, stage, sent_at FROM disclosure_reminders
			WHERE org_id IN (`+placeholders(len(orgIDs))+`) ORDER BY sent_at DESC, org_id LIMIT 200`, int64Args(orgIDs)...)
		if err != nil {
			return fmt.Errorf("select reminders: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r syndicate.Reminder
			if err := rows.Scan(&r.OrgID, &r.Year, &r.Kind, &r.Stage, timeCol{&r.SentAt}); err != nil {
				return fmt.Errorf("scan reminder: %w", err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// BoardPublic reports whether orgID shows its board on its public site.
func (db *DB) BoardPublic(ctx context.Context, orgID int64) (public bool, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT public FROM disclosure_boards WHERE org_id = ?`, orgID)
		if err != nil {
			return fmt.Errorf("select board setting: %w", err)
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&public); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return public, err
}
