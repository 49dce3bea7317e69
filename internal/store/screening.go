package store

import (
	"context"
	"fmt"

	"gongkai/internal/publish"
	"gongkai/internal/screening"
)

// Screening findings and the sensitive-word list (issue 4, migration 0005).

const findingCols = `id, item_id, version, attachment_id, kind, severity, confidence, location, field, file, part, sheet, cell,
	page, paragraph, table_no, row_no, col_no, line_no, entry, span_offset, span_length, excerpt, message, status,
	override_reason, override_by, override_by_name, override_at, created_at`

func scanFinding(sc interface{ Scan(...any) error }, f *publish.Finding) error {
	p := &f.Place
	return sc.Scan(&f.ID, &f.ItemID, &f.Version, &f.AttachmentID, &f.Kind, &f.Severity, &f.Confidence, &f.Location,
		&p.Field, &p.File, &p.Part, &p.Sheet, &p.Cell, &p.Page, &p.Paragraph, &p.Table, &p.Row, &p.Column, &p.Line, &p.Entry,
		&f.Offset, &f.Length, &f.Excerpt, &f.Message, &f.Status, &f.OverrideReason, &f.OverrideBy, &f.OverrideByName,
		timeCol{&f.OverrideAt}, timeCol{&f.CreatedAt})
}

// Findings returns the findings of one version of an item, in the order
// they were stored.
func (tx *Tx) Findings(ctx context.Context, itemID int64, version int) ([]publish.Finding, error) {
	rows, err := tx.query(ctx, `SELECT `+findingCols+` FROM screening_findings WHERE item_id = ? AND version = ? ORDER BY id`, itemID, version)
	if err != nil {
		return nil, fmt.Errorf("select findings of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []publish.Finding
	for rows.Next() {
		var f publish.Finding
		if err := scanFinding(rows, &f); err != nil {
			return nil, fmt.Errorf("scan finding: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// AddFinding inserts f and sets its ID and time.
func (tx *Tx) AddFinding(ctx context.Context, f *publish.Finding) error {
	f.CreatedAt = tx.now
	p := f.Place
	id, err := tx.insert(ctx, `
		INSERT INTO screening_findings (item_id, version, attachment_id, kind, severity, confidence, location, field, file, part,
			sheet, cell, page, paragraph, table_no, row_no, col_no, line_no, entry, span_offset, span_length, excerpt, message,
			status, override_reason, override_by, override_by_name, override_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ItemID, f.Version, f.AttachmentID, f.Kind, f.Severity, f.Confidence, f.Location, p.Field, p.File, p.Part,
		p.Sheet, p.Cell, p.Page, p.Paragraph, p.Table, p.Row, p.Column, p.Line, p.Entry, f.Offset, f.Length, f.Excerpt, f.Message,
		f.Status, f.OverrideReason, f.OverrideBy, f.OverrideByName, tx.nt(f.OverrideAt), tx.t(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert finding: %w", err)
	}
	f.ID = id
	return nil
}

// SaveFinding stores f's span, status and override fields.
func (tx *Tx) SaveFinding(ctx context.Context, f *publish.Finding) error {
	res, err := tx.exec(ctx, `
		UPDATE screening_findings SET span_offset = ?, span_length = ?, status = ?, override_reason = ?, override_by = ?,
			override_by_name = ?, override_at = ?
		WHERE id = ?`, f.Offset, f.Length, f.Status, f.OverrideReason, f.OverrideBy, f.OverrideByName, tx.nt(f.OverrideAt), f.ID)
	if err != nil {
		return fmt.Errorf("update finding %d: %w", f.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("finding", f.ID)
	}
	return nil
}

// DeleteFinding removes one finding.
func (tx *Tx) DeleteFinding(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM screening_findings WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete finding %d: %w", id, err)
	}
	return nil
}

// DeleteOpenFindings removes the open findings of one version and
// attachment (0: the item's fields).
func (tx *Tx) DeleteOpenFindings(ctx context.Context, itemID int64, version int, attachmentID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM screening_findings WHERE item_id = ? AND version = ? AND attachment_id = ? AND status = 'open'`,
		itemID, version, attachmentID)
	if err != nil {
		return fmt.Errorf("delete findings of item %d: %w", itemID, err)
	}
	return nil
}

// MoveFindings re-files the findings of attachment from under to.
func (tx *Tx) MoveFindings(ctx context.Context, from, to int64) error {
	if _, err := tx.exec(ctx, `UPDATE screening_findings SET attachment_id = ? WHERE attachment_id = ?`, to, from); err != nil {
		return fmt.Errorf("move findings of attachment %d: %w", from, err)
	}
	return nil
}

// ReplaceAttachment puts a in the place (item, version, position) of
// attachment oldID and deletes oldID; it sets a's ID, item, version, sort
// and time.
func (tx *Tx) ReplaceAttachment(ctx context.Context, oldID int64, a *publish.Attachment) error {
	old, err := tx.AttachmentByID(ctx, oldID)
	if err != nil {
		return err
	}
	a.ItemID, a.Version, a.Sort, a.CreatedAt = old.ItemID, old.Version, old.Sort, tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO attachments (item_id, version, name, content_type, size, sha256, sort, created_at, caption, is_map)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ItemID, a.Version, a.Name, a.ContentType, a.Size, a.SHA256, a.Sort, tx.t(a.CreatedAt), a.Caption, a.IsMap)
	if err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	a.ID = id
	if _, err := tx.exec(ctx, `DELETE FROM attachments WHERE id = ?`, oldID); err != nil {
		return fmt.Errorf("delete attachment %d: %w", oldID, err)
	}
	return nil
}

// ScreeningWords returns the sensitive-word list of the site group whose
// root org is rootID, in text order.
func (tx *Tx) ScreeningWords(ctx context.Context, rootID int64) ([]screening.Word, error) {
	rows, err := tx.query(ctx, `SELECT text, severity FROM screening_words WHERE org_id = ? ORDER BY text`, rootID)
	if err != nil {
		return nil, fmt.Errorf("select words: %w", err)
	}
	defer rows.Close()
	var out []screening.Word
	for rows.Next() {
		var w screening.Word
		if err := rows.Scan(&w.Text, &w.Severity); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetScreeningWords replaces the word list of a site group. Duplicates
// keep the more severe entry, as screening.NewWordList does.
func (tx *Tx) SetScreeningWords(ctx context.Context, rootID int64, words []screening.Word) error {
	if _, err := tx.exec(ctx, `DELETE FROM screening_words WHERE org_id = ?`, rootID); err != nil {
		return fmt.Errorf("clear words: %w", err)
	}
	for _, w := range words {
		sev := w.Severity
		if sev == "" {
			sev = screening.SeverityWarning
		}
		_, err := tx.exec(ctx, `
			INSERT INTO screening_words (org_id, text, severity) VALUES (?, ?, ?)
			ON CONFLICT (org_id, text) DO UPDATE SET severity = CASE WHEN excluded.severity = 'blocking' THEN 'blocking' ELSE screening_words.severity END`,
			rootID, w.Text, sev)
		if err != nil {
			return fmt.Errorf("insert word: %w", err)
		}
	}
	return nil
}

// ItemFindings returns the findings of one version of an item.
func (db *DB) ItemFindings(ctx context.Context, itemID int64, version int) (out []publish.Finding, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Findings(ctx, itemID, version); return err })
	return out, err
}

// ScreeningWords returns the sensitive-word list of a site group.
func (db *DB) ScreeningWords(ctx context.Context, rootID int64) (out []screening.Word, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.ScreeningWords(ctx, rootID); return err })
	return out, err
}
