package store

import (
	"context"

	"gongkai/internal/account"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

// The methods below read in a transaction of their own, for pages and
// commands that only list or show.

// Orgs returns every org.
func (db *DB) Orgs(ctx context.Context) (out []org.Org, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Orgs(ctx); return err })
	return out, err
}

// Org returns the org with id.
func (db *DB) Org(ctx context.Context, id int64) (out *org.Org, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Org(ctx, id); return err })
	return out, err
}

// OrgByCode returns the org with code.
func (db *DB) OrgByCode(ctx context.Context, code string) (out *org.Org, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.OrgByCode(ctx, code); return err })
	return out, err
}

// Columns returns the org's columns.
func (db *DB) Columns(ctx context.Context, orgID int64) (out []org.Column, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Columns(ctx, orgID); return err })
	return out, err
}

// Column returns the column with id.
func (db *DB) Column(ctx context.Context, id int64) (out *org.Column, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Column(ctx, id); return err })
	return out, err
}

// ColumnBySlug returns the org's column with slug.
func (db *DB) ColumnBySlug(ctx context.Context, orgID int64, slug string) (out *org.Column, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.ColumnBySlug(ctx, orgID, slug); return err })
	return out, err
}

// Users returns every user.
func (db *DB) Users(ctx context.Context) (out []account.User, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Users(ctx); return err })
	return out, err
}

// User returns the user with id.
func (db *DB) User(ctx context.Context, id int64) (out *account.User, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.User(ctx, id); return err })
	return out, err
}

// AuditRecords returns audit records matching f, newest first.
func (db *DB) AuditRecords(ctx context.Context, f audit.Filter) (out []audit.Record, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.AuditRecords(ctx, f); return err })
	return out, err
}

// UserByName returns the user with the (lower-case) user name.
func (db *DB) UserByName(ctx context.Context, name string) (out *account.User, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.UserByName(ctx, name); return err })
	return out, err
}
