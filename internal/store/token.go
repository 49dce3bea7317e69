package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/internal/publish"
)

// UpdateTokens runs fn in one write transaction.
func (db *DB) UpdateTokens(ctx context.Context, fn func(publish.TokenTx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

const tokenCols = `id, org_id, role, name, token_hash, created_by, created_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }, t *publish.Token) error {
	return sc.Scan(&t.ID, &t.OrgID, &t.Role, &t.Name, &t.Hash, &t.CreatedBy, timeCol{&t.CreatedAt}, timeCol{&t.LastUsedAt}, timeCol{&t.RevokedAt})
}

// CreateAPIToken inserts t and sets its ID and creation time.
func (tx *Tx) CreateAPIToken(ctx context.Context, t *publish.Token) error {
	t.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO api_tokens (org_id, role, name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.OrgID, t.Role, t.Name, t.Hash, t.CreatedBy, tx.t(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert api token: %w", err)
	}
	t.ID = id
	return nil
}

// APIToken returns the token with id.
func (tx *Tx) APIToken(ctx context.Context, id int64) (*publish.Token, error) {
	var t publish.Token
	err := scanToken(tx.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("api token", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select api token %d: %w", id, err)
	}
	return &t, nil
}

// APITokenByHash returns the token whose secret hashes to hash.
func (tx *Tx) APITokenByHash(ctx context.Context, hash string) (*publish.Token, error) {
	var t publish.Token
	err := scanToken(tx.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = ?`, hash), &t)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("api token", "by hash")
	}
	if err != nil {
		return nil, fmt.Errorf("select api token: %w", err)
	}
	return &t, nil
}

// SaveAPIToken stores a token's use and revocation times.
func (tx *Tx) SaveAPIToken(ctx context.Context, t *publish.Token) error {
	_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ?, revoked_at = ? WHERE id = ?`, tx.nt(t.LastUsedAt), tx.nt(t.RevokedAt), t.ID)
	if err != nil {
		return fmt.Errorf("update api token %d: %w", t.ID, err)
	}
	return nil
}

// APITokens lists the tokens of the given orgs, newest first.
func (db *DB) APITokens(ctx context.Context, orgIDs []int64) ([]publish.Token, error) {
	var out []publish.Token
	if len(orgIDs) == 0 {
		return nil, nil
	}
	err := db.View(ctx, func(tx *Tx) error {
		args := make([]any, len(orgIDs))
		for i, id := range orgIDs {
			args[i] = id
		}
		rows, err := tx.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE org_id IN (`+placeholders(len(orgIDs))+`) ORDER BY id DESC`, args...)
		if err != nil {
			return fmt.Errorf("select api tokens: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t publish.Token
			if err := scanToken(rows, &t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}
