package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/job"
)

const jobCols = `id, kind, payload, state, run_at, attempts, max_attempts, unique_key, last_error, created_at, updated_at`

func scanJob(sc interface{ Scan(...any) error }, j *job.Job) error {
	var payload string
	err := sc.Scan(&j.ID, &j.Kind, &payload, &j.State, timeCol{&j.RunAt}, &j.Attempts, &j.MaxAttempts, strCol{&j.UniqueKey},
		&j.LastError, timeCol{&j.CreatedAt}, timeCol{&j.UpdatedAt})
	j.Payload = []byte(payload)
	return err
}

// Enqueue adds j inside the transaction. A job whose UniqueKey matches a
// pending or running job is silently dropped: the work is already queued.
func (tx *Tx) Enqueue(ctx context.Context, j job.Job) error {
	if j.Kind == "" {
		return fmt.Errorf("enqueue: job without kind")
	}
	if len(j.Payload) == 0 {
		j.Payload = []byte("{}")
	}
	if j.RunAt.IsZero() {
		j.RunAt = tx.now
	}
	args := []any{j.Kind, string(j.Payload), tx.t(j.RunAt), j.MaxAttempts, nullStr(j.UniqueKey), tx.t(tx.now), tx.t(tx.now)}
	// SQLite needs a WHERE in an INSERT … SELECT with an upsert clause.
	once := ` WHERE true`
	if j.Once && j.UniqueKey != "" {
		once = ` WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE unique_key = ?)`
		args = append(args, j.UniqueKey)
	}
	_, err := tx.exec(ctx, `
		INSERT INTO jobs (kind, payload, state, run_at, max_attempts, unique_key, created_at, updated_at)
		SELECT ?, ?, 'pending', ?, ?, ?, ?, ?`+once+`
		ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state IN ('pending', 'running') DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	return nil
}

// EnqueueJob adds j in a transaction of its own.
func (db *DB) EnqueueJob(ctx context.Context, j job.Job) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, j) })
}

// Claim implements job.Queue. On PostgreSQL, FOR UPDATE SKIP LOCKED lets
// several nodes claim side by side; on SQLite the single writer serialises.
func (db *DB) Claim(ctx context.Context, kinds []string, now time.Time, lease time.Duration, limit int) ([]job.Job, error) {
	var out []job.Job
	err := db.Update(ctx, func(tx *Tx) error {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")
		lock := ""
		if tx.dialect == Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		args := []any{}
		for _, k := range kinds {
			args = append(args, k)
		}
		args = append(args, tx.t(now), tx.t(now), limit)
		rows, err := tx.query(ctx, `
			SELECT id FROM jobs
			WHERE kind IN (`+ph+`)
				AND ((state = 'pending' AND run_at <= ?) OR (state = 'running' AND locked_until < ?))
			ORDER BY run_at, id
			LIMIT ?`+lock, args...)
		if err != nil {
			return fmt.Errorf("select due jobs: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			var j job.Job
			err := scanJob(tx.queryRow(ctx, `
				UPDATE jobs SET state = 'running', locked_until = ?, attempts = attempts + 1, updated_at = ?
				WHERE id = ?
				RETURNING `+jobCols, tx.t(now.Add(lease)), tx.t(now), id), &j)
			if err != nil {
				return fmt.Errorf("claim job %d: %w", id, err)
			}
			out = append(out, j)
		}
		return nil
	})
	return out, err
}

// Finish implements job.Queue.
func (db *DB) Finish(ctx context.Context, id int64, errText string, retryAt time.Time, final bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		var err error
		switch {
		case errText == "":
			_, err = tx.exec(ctx, `UPDATE jobs SET state = 'done', locked_until = NULL, last_error = '', updated_at = ? WHERE id = ?`, tx.t(tx.now), id)
		case final:
			_, err = tx.exec(ctx, `UPDATE jobs SET state = 'failed', locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ?`, errText, tx.t(tx.now), id)
		default:
			_, err = tx.exec(ctx, `UPDATE jobs SET state = 'pending', locked_until = NULL, last_error = ?, run_at = ?, updated_at = ? WHERE id = ?`, errText, tx.t(retryAt), tx.t(tx.now), id)
		}
		if err != nil {
			return fmt.Errorf("finish job %d: %w", id, err)
		}
		return nil
	})
}

// Jobs lists jobs in state (all when empty), newest first, for operators.
func (db *DB) Jobs(ctx context.Context, state job.State, limit int) ([]job.Job, error) {
	var out []job.Job
	err := db.View(ctx, func(tx *Tx) error {
		q := `SELECT ` + jobCols + ` FROM jobs`
		args := []any{}
		if state != "" {
			q += ` WHERE state = ?`
			args = append(args, state)
		}
		q += ` ORDER BY id DESC LIMIT ?`
		args = append(args, limit)
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("select jobs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var j job.Job
			if err := scanJob(rows, &j); err != nil {
				return err
			}
			out = append(out, j)
		}
		return rows.Err()
	})
	return out, err
}

// SigningKey returns the signing key pair stored under name, creating it
// with create on first use. Nodes racing to create it agree on the first
// one stored.
func (db *DB) SigningKey(ctx context.Context, name string, create func() (skey, vkey string, err error)) (skey, vkey string, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT skey, vkey FROM signing_keys WHERE name = ?`, name).Scan(&skey, &vkey)
		if err == nil {
			return nil
		}
		s, v, cerr := create()
		if cerr != nil {
			return cerr
		}
		if _, err := tx.exec(ctx, `INSERT INTO signing_keys (name, skey, vkey, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, name, s, v, tx.t(tx.now)); err != nil {
			return fmt.Errorf("store signing key: %w", err)
		}
		return tx.queryRow(ctx, `SELECT skey, vkey FROM signing_keys WHERE name = ?`, name).Scan(&skey, &vkey)
	})
	return skey, vkey, err
}

// RetryJob makes a failed or cancelled job pending again, due now, with a
// fresh count of attempts. Other states wrap apperr.ErrConflict.
func (db *DB) RetryJob(ctx context.Context, id int64) error {
	return db.setJobState(ctx, id, `state = 'pending', attempts = 0, run_at = ?, last_error = ''`, []string{"failed", "cancelled"}, true)
}

// CancelJob stops a pending job from running. Other states wrap
// apperr.ErrConflict.
func (db *DB) CancelJob(ctx context.Context, id int64) error {
	return db.setJobState(ctx, id, `state = 'cancelled'`, []string{"pending"}, false)
}

func (db *DB) setJobState(ctx context.Context, id int64, set string, from []string, withNow bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		var state string
		if err := tx.queryRow(ctx, `SELECT state FROM jobs WHERE id = ?`, id).Scan(&state); err != nil {
			return notFound("job", id)
		}
		ok := false
		for _, f := range from {
			ok = ok || state == f
		}
		if !ok {
			return fmt.Errorf("job %d is %s: %w", id, state, apperr.ErrConflict)
		}
		args := []any{}
		if withNow {
			args = append(args, tx.t(tx.now))
		}
		args = append(args, tx.t(tx.now), id)
		_, err := tx.exec(ctx, `UPDATE jobs SET `+set+`, updated_at = ? WHERE id = ?`, args...)
		return err
	})
}
