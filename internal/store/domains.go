package store

import (
	"context"

	"gongkai/internal/account"
	"gongkai/internal/org"
)

// UpdateOrgs runs fn in one write transaction.
func (db *DB) UpdateOrgs(ctx context.Context, fn func(org.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// UpdateAccounts runs fn in one write transaction.
func (db *DB) UpdateAccounts(ctx context.Context, fn func(account.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// OrgPath returns the IDs from the root down to orgID.
func (tx *Tx) OrgPath(ctx context.Context, orgID int64) ([]int64, error) {
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	p := org.Path(orgs, orgID)
	if p == nil {
		return nil, notFound("org", orgID)
	}
	return p, nil
}
