package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongkai/internal/account"
)

const userCols = `u.id, u.username, u.display_name, u.org_id, u.password_hash, u.must_change_password, u.disabled, u.totp_secret, u.totp_last_step,
	u.created_at, u.updated_at, u.password_at, u.last_login_at, t.locked_until`

// userFrom joins the account's throttle counter so lists can show locks.
const userFrom = ` FROM users u LEFT JOIN login_throttle t ON t.key = 'user:' || u.username`

func scanUser(sc interface{ Scan(...any) error }, u *account.User) error {
	return sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.OrgID, &u.PasswordHash, &u.MustChangePassword, &u.Disabled,
		&u.TOTPSecret, &u.TOTPLastStep, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}, timeCol{&u.PasswordAt},
		timeCol{&u.LastLoginAt}, timeCol{&u.LockedUntil})
}

// User returns the user with id and its grants.
func (tx *Tx) User(ctx context.Context, id int64) (*account.User, error) {
	return tx.userWhere(ctx, `u.id = ?`, id)
}

// UserByName returns the user with the (lower-case) user name.
func (tx *Tx) UserByName(ctx context.Context, username string) (*account.User, error) {
	return tx.userWhere(ctx, `u.username = ?`, username)
}

func (tx *Tx) userWhere(ctx context.Context, where string, arg any) (*account.User, error) {
	var u account.User
	err := scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE `+where, arg), &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", arg)
	}
	if err != nil {
		return nil, fmt.Errorf("select user: %w", err)
	}
	grants, err := tx.grants(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	u.Grants = grants
	return &u, nil
}

func (tx *Tx) grants(ctx context.Context, userID int64) ([]account.Grant, error) {
	rows, err := tx.query(ctx, `SELECT org_id, role FROM user_roles WHERE user_id = ? ORDER BY org_id, role`, userID)
	if err != nil {
		return nil, fmt.Errorf("select roles of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []account.Grant
	for rows.Next() {
		var g account.Grant
		if err := rows.Scan(&g.OrgID, &g.Role); err != nil {
			return nil, fmt.Errorf("scan role: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Users returns every user with grants, ordered by user name.
func (tx *Tx) Users(ctx context.Context) ([]account.User, error) {
	rows, err := tx.query(ctx, `SELECT `+userCols+userFrom+` ORDER BY u.username`)
	if err != nil {
		return nil, fmt.Errorf("select users: %w", err)
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		var u account.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	all, err := tx.query(ctx, `SELECT user_id, org_id, role FROM user_roles ORDER BY user_id, org_id, role`)
	if err != nil {
		return nil, fmt.Errorf("select roles: %w", err)
	}
	defer all.Close()
	byUser := map[int64][]account.Grant{}
	for all.Next() {
		var uid int64
		var g account.Grant
		if err := all.Scan(&uid, &g.OrgID, &g.Role); err != nil {
			return nil, fmt.Errorf("scan role: %w", err)
		}
		byUser[uid] = append(byUser[uid], g)
	}
	if err := all.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Grants = byUser[out[i].ID]
	}
	return out, nil
}

// CreateUser inserts u with its grants and sets ID and timestamps. A
// duplicate user name wraps apperr.ErrConflict.
func (tx *Tx) CreateUser(ctx context.Context, u *account.User) error {
	u.CreatedAt, u.UpdatedAt, u.PasswordAt = tx.now, tx.now, tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO users (username, display_name, org_id, password_hash, must_change_password, disabled, totp_secret, totp_last_step, created_at, updated_at, password_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, u.OrgID, u.PasswordHash, u.MustChangePassword, u.Disabled, u.TOTPSecret, u.TOTPLastStep,
		tx.t(u.CreatedAt), tx.t(u.UpdatedAt), tx.t(u.PasswordAt))
	if err != nil {
		return fmt.Errorf("insert user %s: %w", u.Username, err)
	}
	u.ID = id
	return tx.setGrants(ctx, u.ID, u.Grants)
}

// UpdateUser stores u's name, org, flags and grants (not its password or
// second factor, which have their own methods).
func (tx *Tx) UpdateUser(ctx context.Context, u *account.User) error {
	u.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE users SET display_name = ?, org_id = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		u.DisplayName, u.OrgID, u.Disabled, tx.t(u.UpdatedAt), u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("user", u.ID)
	}
	if _, err := tx.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, u.ID); err != nil {
		return fmt.Errorf("clear roles of user %d: %w", u.ID, err)
	}
	return tx.setGrants(ctx, u.ID, u.Grants)
}

func (tx *Tx) setGrants(ctx context.Context, userID int64, grants []account.Grant) error {
	for _, g := range grants {
		if _, err := tx.exec(ctx, `INSERT INTO user_roles (user_id, org_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, userID, g.OrgID, g.Role); err != nil {
			return fmt.Errorf("insert role %s of user %d: %w", g.Role, userID, err)
		}
	}
	return nil
}

// SetPassword replaces the user's password hash.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error {
	_, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, password_at = ?, updated_at = ? WHERE id = ?`,
		hash, mustChange, tx.t(tx.now), tx.t(tx.now), userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return nil
}

// SetTOTP stores the user's second-factor secret ("" removes it) and the
// last accepted time step.
func (tx *Tx) SetTOTP(ctx context.Context, userID int64, secret string, lastStep int64) error {
	_, err := tx.exec(ctx, `UPDATE users SET totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?`,
		secret, lastStep, tx.t(tx.now), userID)
	if err != nil {
		return fmt.Errorf("set totp of user %d: %w", userID, err)
	}
	return nil
}

// SetTOTPStep records the last accepted time step, so a code cannot be
// replayed. It refuses to move backwards: two requests racing with the same
// code cannot both win, the second returns ok=false.
func (tx *Tx) SetTOTPStep(ctx context.Context, userID, step int64) (ok bool, err error) {
	res, err := tx.exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return false, fmt.Errorf("set totp step of user %d: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SetLastLogin records a successful sign-in.
func (tx *Tx) SetLastLogin(ctx context.Context, userID int64, at time.Time) error {
	if _, err := tx.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, tx.t(at), userID); err != nil {
		return fmt.Errorf("set last login of user %d: %w", userID, err)
	}
	return nil
}

// Counter returns the throttle counter for key; an unknown key is a zero
// counter.
func (tx *Tx) Counter(ctx context.Context, key string) (account.Counter, error) {
	var c account.Counter
	err := tx.queryRow(ctx, `SELECT failures, window_start, locked_until FROM login_throttle WHERE key = ?`, key).
		Scan(&c.Failures, timeCol{&c.WindowStart}, timeCol{&c.LockedUntil})
	if errors.Is(err, sql.ErrNoRows) {
		return account.Counter{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("select throttle counter: %w", err)
	}
	return c, nil
}

// SaveCounter stores the throttle counter for key.
func (tx *Tx) SaveCounter(ctx context.Context, key string, c account.Counter) error {
	_, err := tx.exec(ctx, `
		INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
		key, c.Failures, tx.nt(c.WindowStart), tx.nt(c.LockedUntil))
	if err != nil {
		return fmt.Errorf("save throttle counter: %w", err)
	}
	return nil
}

// ClearCounter forgets the throttle counter for key.
func (tx *Tx) ClearCounter(ctx context.Context, key string) error {
	if _, err := tx.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, key); err != nil {
		return fmt.Errorf("clear throttle counter: %w", err)
	}
	return nil
}
