package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/internal/account"
)

// CreateSession stores s.
func (tx *Tx) CreateSession(ctx context.Context, s *account.Session) error {
	_, err := tx.exec(ctx, `
		INSERT INTO sessions (id, user_id, created_at, seen_at, expires_at, mfa_ok, pending_totp, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, tx.t(s.CreatedAt), tx.t(s.SeenAt), tx.t(s.ExpiresAt), s.MFAOK, s.PendingTOTP, s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// Session returns the session stored under id.
func (tx *Tx) Session(ctx context.Context, id string) (*account.Session, error) {
	var s account.Session
	err := tx.queryRow(ctx, `
		SELECT id, user_id, created_at, seen_at, expires_at, mfa_ok, pending_totp, ip, user_agent
		FROM sessions WHERE id = ?`, id).
		Scan(&s.ID, &s.UserID, timeCol{&s.CreatedAt}, timeCol{&s.SeenAt}, timeCol{&s.ExpiresAt}, &s.MFAOK, &s.PendingTOTP, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("session", "")
	}
	if err != nil {
		return nil, fmt.Errorf("select session: %w", err)
	}
	return &s, nil
}

// UpdateSession stores the session's seen time, second-factor state and
// pending enrolment secret.
func (tx *Tx) UpdateSession(ctx context.Context, s *account.Session) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET seen_at = ?, mfa_ok = ?, pending_totp = ? WHERE id = ?`,
		tx.t(s.SeenAt), s.MFAOK, s.PendingTOTP, s.ID)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	return nil
}

// DeleteSession removes the session stored under id.
func (tx *Tx) DeleteSession(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions signs the user out everywhere, except the session
// keepID ("" keeps none).
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64, keepID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle
// for longer than account.SessionIdle, in a transaction of its own.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (n int64, err error) {
	err = db.Update(ctx, func(tx *Tx) error { n, err = tx.DeleteExpiredSessions(ctx); return err })
	return n, err
}

// DeleteExpiredSessions removes expired sessions inside tx.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ? OR seen_at < ?`, tx.t(tx.now), tx.t(tx.now.Add(-account.SessionIdle)))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
