package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gongkai/internal/audit"
)

// AppendAudit seals r to the last record of the trail and inserts it. On
// PostgreSQL a transaction-scoped advisory lock serialises appenders across
// nodes, so two records never chain to the same predecessor; on SQLite the
// single write connection already does.
func (tx *Tx) AppendAudit(ctx context.Context, r audit.Record) error {
	if tx.dialect == Postgres {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('gongkai.audit_log'))`); err != nil {
			return fmt.Errorf("lock audit trail: %w", err)
		}
	}
	var prev string
	err := tx.queryRow(ctx, `SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("select audit head: %w", err)
	}
	if r.At.IsZero() {
		r.At = tx.now
	}
	r.Seal(prev)
	_, err = tx.exec(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_name, org_id, action, object_type, object_id, detail, ip, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.t(r.At), r.ActorID, r.ActorName, r.OrgID, r.Action, r.ObjectType, r.ObjectID, r.Detail, r.IP, r.PrevHash, r.Hash)
	if err != nil {
		return fmt.Errorf("insert audit record: %w", err)
	}
	return nil
}

const auditCols = `id, at, actor_id, actor_name, org_id, action, object_type, object_id, detail, ip, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }, r *audit.Record) error {
	return sc.Scan(&r.ID, timeCol{&r.At}, &r.ActorID, &r.ActorName, &r.OrgID, &r.Action, &r.ObjectType, &r.ObjectID, &r.Detail, &r.IP, &r.PrevHash, &r.Hash)
}

// AuditRecords returns records matching f, newest first.
func (tx *Tx) AuditRecords(ctx context.Context, f audit.Filter) ([]audit.Record, error) {
	var where []string
	var args []any
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return nil, nil
		}
		where = append(where, `org_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(f.OrgIDs)), ", ")+`)`)
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	if f.Action != "" {
		where = append(where, `action = ?`)
		args = append(args, f.Action)
	}
	if f.Actor != "" {
		where = append(where, `actor_name = ?`)
		args = append(args, f.Actor)
	}
	if !f.From.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, tx.t(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, `at < ?`)
		args = append(args, tx.t(f.To))
	}
	if f.BeforeID > 0 {
		where = append(where, `id < ?`)
		args = append(args, f.BeforeID)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT ` + auditCols + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select audit records: %w", err)
	}
	defer rows.Close()
	var out []audit.Record
	for rows.Next() {
		var r audit.Record
		if err := scanAudit(rows, &r); err != nil {
			return nil, fmt.Errorf("scan audit record: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole trail in order and returns how many records
// it checked; the error is an *audit.BrokenError at the first bad record.
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	var v audit.Verifier
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY id`)
		if err != nil {
			return fmt.Errorf("select audit records: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r audit.Record
			if err := scanAudit(rows, &r); err != nil {
				return fmt.Errorf("scan audit record: %w", err)
			}
			if err := v.Next(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return v.Count(), err
}

// ExecForTest runs a raw statement outside any domain rule. Tests use it to
// tamper with stored data and prove that the checks notice.
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, rebind(db.dialect, q), args...)
	db.RefreshCacheGen(ctx)
	return err
}
