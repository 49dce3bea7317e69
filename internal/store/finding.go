package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gongkai/internal/inspect"
)

// UpdateFindings runs fn in one write transaction of the security
// findings register.
func (db *DB) UpdateFindings(ctx context.Context, fn func(inspect.FindingTx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

const secFindingCols = `id, org_id, source, source_ref, severity, title, description, location, found_on, deadline, owner_id, owner_name, state,
	remediation, remediated_by, remediated_by_name, remediated_at, evidence_sha256, evidence_name, evidence_type,
	closed_by, closed_by_name, closed_at, close_note, created_by, created_at, updated_at`

func scanSecFinding(sc interface{ Scan(...any) error }) (inspect.Finding, error) {
	var f inspect.Finding
	err := sc.Scan(&f.ID, &f.OrgID, &f.Source, &f.SourceRef, &f.Severity, &f.Title, &f.Description, &f.Location, &f.FoundOn, &f.Deadline,
		&f.OwnerID, &f.OwnerName, &f.State, &f.Remediation, &f.RemediatedBy, &f.RemediatedByName, timeCol{&f.RemediatedAt},
		&f.Evidence.SHA256, &f.Evidence.Name, &f.Evidence.ContentType, &f.ClosedBy, &f.ClosedByName, timeCol{&f.ClosedAt}, &f.CloseNote,
		&f.CreatedBy, timeCol{&f.CreatedAt}, timeCol{&f.UpdatedAt})
	return f, err
}

// SecurityFinding returns one security finding.
func (tx *Tx) SecurityFinding(ctx context.Context, id int64) (*inspect.Finding, error) {
	f, err := scanSecFinding(tx.queryRow(ctx, `SELECT `+secFindingCols+` FROM security_findings WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("finding", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select finding %d: %w", id, err)
	}
	return &f, nil
}

// InsertSecurityFinding stores a new finding; a second finding with the same
// source reference in the org is a conflict.
func (tx *Tx) InsertSecurityFinding(ctx context.Context, f *inspect.Finding) (int64, error) {
	id, err := tx.insert(ctx, `INSERT INTO security_findings (org_id, source, source_ref, severity, title, description, location, found_on, deadline,
		owner_id, owner_name, state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.OrgID, f.Source, f.SourceRef, f.Severity, f.Title, f.Description, f.Location, f.FoundOn, f.Deadline,
		f.OwnerID, f.OwnerName, f.State, f.CreatedBy, tx.t(tx.now), tx.t(tx.now))
	if err != nil {
		return 0, fmt.Errorf("insert finding: %w", mapErr(tx.dialect, err))
	}
	return id, nil
}

// SaveSecurityFinding stores a finding's remediation and closure.
func (tx *Tx) SaveSecurityFinding(ctx context.Context, f *inspect.Finding) error {
	_, err := tx.exec(ctx, `UPDATE security_findings SET state = ?, remediation = ?, remediated_by = ?, remediated_by_name = ?, remediated_at = ?,
		evidence_sha256 = ?, evidence_name = ?, evidence_type = ?, closed_by = ?, closed_by_name = ?, closed_at = ?, close_note = ?, updated_at = ?
		WHERE id = ?`,
		f.State, f.Remediation, f.RemediatedBy, f.RemediatedByName, tx.nt(f.RemediatedAt), f.Evidence.SHA256, f.Evidence.Name, f.Evidence.ContentType,
		f.ClosedBy, f.ClosedByName, tx.nt(f.ClosedAt), f.CloseNote, tx.t(tx.now), f.ID)
	if err != nil {
		return fmt.Errorf("update finding %d: %w", f.ID, err)
	}
	return nil
}

// SecurityFinding returns one security finding.
func (db *DB) SecurityFinding(ctx context.Context, id int64) (out *inspect.Finding, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.SecurityFinding(ctx, id); return err })
	return out, err
}

// SecurityFindings lists the security findings of the given orgs: open ones first, by
// deadline, then closed ones.
func (db *DB) SecurityFindings(ctx context.Context, orgIDs []int64) (out []inspect.Finding, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(orgIDs)), ", ")
	args := make([]any, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
	}
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+secFindingCols+` FROM security_findings WHERE org_id IN (`+ph+`)
			ORDER BY CASE WHEN state = 'closed' THEN 1 ELSE 0 END, deadline, id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanSecFinding(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	return out, nil
}
