package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"gongkai/internal/syndicate"
)

// UpdateSubmissions runs fn in one write transaction.
func (db *DB) UpdateSubmissions(ctx context.Context, fn func(syndicate.SubmissionTx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

const submissionCols = `id, org_id, item_id, title, body, recipient, section, officer_id, officer_name, submitted_on,
	adopted, adopted_on, adopted_where, created_at, updated_at`

func scanSubmission(sc interface{ Scan(...any) error }, s *syndicate.Submission) error {
	var sub, adopted string
	err := sc.Scan(&s.ID, &s.OrgID, &s.ItemID, &s.Title, &s.Body, &s.Recipient, &s.Section, &s.OfficerID, &s.OfficerName, &sub,
		&s.Adopted, &adopted, &s.AdoptedWhere, timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt})
	s.SubmittedOn, s.AdoptedOn = parseDay(sub), parseDay(adopted)
	return err
}

// Submission returns one submission by ID.
func (tx *Tx) Submission(ctx context.Context, id int64) (*syndicate.Submission, error) {
	var s syndicate.Submission
	err := scanSubmission(tx.queryRow(ctx, `SELECT `+submissionCols+` FROM submissions WHERE id = ?`, id), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("submission", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select submission %d: %w", id, err)
	}
	return &s, nil
}

// CreateSubmission inserts s and sets its ID and timestamps.
func (tx *Tx) CreateSubmission(ctx context.Context, s *syndicate.Submission) error {
	s.CreatedAt, s.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO submissions (org_id, item_id, title, body, recipient, section, officer_id, officer_name,
			submitted_on, adopted, adopted_on, adopted_where, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.OrgID, s.ItemID, s.Title, s.Body, s.Recipient, s.Section, s.OfficerID, s.OfficerName,
		dayText(s.SubmittedOn), s.Adopted, dayText(s.AdoptedOn), s.AdoptedWhere, tx.t(s.CreatedAt), tx.t(s.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert submission: %w", err)
	}
	s.ID = id
	return nil
}

// SaveSubmission updates s.
func (tx *Tx) SaveSubmission(ctx context.Context, s *syndicate.Submission) error {
	s.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE submissions SET item_id = ?, title = ?, body = ?, recipient = ?, section = ?, submitted_on = ?,
		adopted = ?, adopted_on = ?, adopted_where = ?, updated_at = ? WHERE id = ?`,
		s.ItemID, s.Title, s.Body, s.Recipient, s.Section, dayText(s.SubmittedOn), s.Adopted, dayText(s.AdoptedOn), s.AdoptedWhere,
		tx.t(s.UpdatedAt), s.ID)
	if err != nil {
		return fmt.Errorf("update submission %d: %w", s.ID, err)
	}
	return nil
}

// Submission returns one submission by ID.
func (db *DB) Submission(ctx context.Context, id int64) (out *syndicate.Submission, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Submission(ctx, id); return err })
	return out, err
}

// Submissions returns the submissions of orgIDs submitted in year, newest
// first.
func (db *DB) Submissions(ctx context.Context, orgIDs []int64, year int) (out []syndicate.Submission, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := append(int64Args(orgIDs), strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31")
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+submissionCols+` FROM submissions WHERE org_id IN (`+placeholders(len(orgIDs))+`)
			AND submitted_on >= ? AND submitted_on <= ? ORDER BY submitted_on DESC, id DESC`, args...)
		if err != nil {
			return fmt.Errorf("select submissions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s syndicate.Submission
			if err := scanSubmission(rows, &s); err != nil {
				return fmt.Errorf("scan submission: %w", err)
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}
