package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/internal/org"
)

const orgCols = `id, parent_id, code, name, short_name, sort, site_name, site_code, icp, psb, address, phone, host, path_prefix, is_default, theme, created_at, updated_at`

func scanOrg(sc interface{ Scan(...any) error }, o *org.Org) error {
	return sc.Scan(&o.ID, idCol{&o.ParentID}, &o.Code, &o.Name, &o.ShortName, &o.Sort,
		&o.Site.Name, &o.Site.SiteCode, &o.Site.ICP, &o.Site.PSB, &o.Site.Address, &o.Site.Phone,
		strCol{&o.Site.Host}, &o.Site.PathPrefix, &o.Site.IsDefault, &o.Site.Theme, timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt})
}

// Org returns the org with id, or an error wrapping apperr.ErrNotFound.
func (tx *Tx) Org(ctx context.Context, id int64) (*org.Org, error) {
	var o org.Org
	err := scanOrg(tx.queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE id = ?`, id), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("org", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select org %d: %w", id, err)
	}
	return &o, nil
}

// OrgByCode returns the org with code, or an error wrapping apperr.ErrNotFound.
func (tx *Tx) OrgByCode(ctx context.Context, code string) (*org.Org, error) {
	var o org.Org
	err := scanOrg(tx.queryRow(ctx, `SELECT `+orgCols+` FROM orgs WHERE code = ?`, code), &o)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("org", code)
	}
	if err != nil {
		return nil, fmt.Errorf("select org %s: %w", code, err)
	}
	return &o, nil
}

// Orgs returns every org ordered by sort order and id.
func (tx *Tx) Orgs(ctx context.Context) ([]org.Org, error) {
	rows, err := tx.query(ctx, `SELECT `+orgCols+` FROM orgs ORDER BY sort, id`)
	if err != nil {
		return nil, fmt.Errorf("select orgs: %w", err)
	}
	defer rows.Close()
	var out []org.Org
	for rows.Next() {
		var o org.Org
		if err := scanOrg(rows, &o); err != nil {
			return nil, fmt.Errorf("scan org: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CreateOrg inserts o and sets its ID and timestamps. A duplicate code,
// host or path prefix wraps apperr.ErrConflict.
func (tx *Tx) CreateOrg(ctx context.Context, o *org.Org) error {
	o.CreatedAt, o.UpdatedAt = tx.now, tx.now
	if o.Site.IsDefault {
		if err := tx.clearDefaultOrg(ctx); err != nil {
			return err
		}
	}
	id, err := tx.insert(ctx, `
		INSERT INTO orgs (parent_id, code, name, short_name, sort, site_name, site_code, icp, psb, address, phone, host, path_prefix, is_default, theme, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(o.ParentID), o.Code, o.Name, o.ShortName, o.Sort, o.Site.Name, o.Site.SiteCode, o.Site.ICP, o.Site.PSB,
		o.Site.Address, o.Site.Phone, nullStr(o.Site.Host), o.Site.PathPrefix, o.Site.IsDefault, o.Site.Theme, tx.t(o.CreatedAt), tx.t(o.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert org %s: %w", o.Code, err)
	}
	o.ID = id
	return nil
}

// UpdateOrg stores every field of o except its creation time.
func (tx *Tx) UpdateOrg(ctx context.Context, o *org.Org) error {
	o.UpdatedAt = tx.now
	if o.Site.IsDefault {
		if err := tx.clearDefaultOrg(ctx); err != nil {
			return err
		}
	}
	res, err := tx.exec(ctx, `
		UPDATE orgs SET parent_id = ?, code = ?, name = ?, short_name = ?, sort = ?, site_name = ?, site_code = ?,
			icp = ?, psb = ?, address = ?, phone = ?, host = ?, path_prefix = ?, is_default = ?, theme = ?, updated_at = ?
		WHERE id = ?`,
		nullID(o.ParentID), o.Code, o.Name, o.ShortName, o.Sort, o.Site.Name, o.Site.SiteCode, o.Site.ICP, o.Site.PSB,
		o.Site.Address, o.Site.Phone, nullStr(o.Site.Host), o.Site.PathPrefix, o.Site.IsDefault, o.Site.Theme, tx.t(o.UpdatedAt), o.ID)
	if err != nil {
		return fmt.Errorf("update org %d: %w", o.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("org", o.ID)
	}
	return nil
}

func (tx *Tx) clearDefaultOrg(ctx context.Context) error {
	if _, err := tx.exec(ctx, `UPDATE orgs SET is_default = ? WHERE is_default = ?`, false, true); err != nil {
		return fmt.Errorf("clear default org: %w", err)
	}
	return nil
}

const columnCols = `id, org_id, parent_id, kind, slug, name, sort, visible, update_days, link_url, body, created_at, updated_at`

func scanColumn(sc interface{ Scan(...any) error }, c *org.Column) error {
	return sc.Scan(&c.ID, &c.OrgID, idCol{&c.ParentID}, &c.Kind, &c.Slug, &c.Name, &c.Sort, &c.Visible,
		&c.UpdateDays, &c.LinkURL, &c.Body, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
}

// Column returns the column with id, or an error wrapping apperr.ErrNotFound.
func (tx *Tx) Column(ctx context.Context, id int64) (*org.Column, error) {
	var c org.Column
	err := scanColumn(tx.queryRow(ctx, `SELECT `+columnCols+` FROM site_columns WHERE id = ?`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("column", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select column %d: %w", id, err)
	}
	return &c, nil
}

// ColumnBySlug returns the org's column with slug.
func (tx *Tx) ColumnBySlug(ctx context.Context, orgID int64, slug string) (*org.Column, error) {
	var c org.Column
	err := scanColumn(tx.queryRow(ctx, `SELECT `+columnCols+` FROM site_columns WHERE org_id = ? AND slug = ?`, orgID, slug), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("column", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("select column %s: %w", slug, err)
	}
	return &c, nil
}

// Columns returns every column of the org, ordered by sort order and id.
func (tx *Tx) Columns(ctx context.Context, orgID int64) ([]org.Column, error) {
	rows, err := tx.query(ctx, `SELECT `+columnCols+` FROM site_columns WHERE org_id = ? ORDER BY sort, id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("select columns of org %d: %w", orgID, err)
	}
	defer rows.Close()
	var out []org.Column
	for rows.Next() {
		var c org.Column
		if err := scanColumn(rows, &c); err != nil {
			return nil, fmt.Errorf("scan column: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateColumn inserts c and sets its ID and timestamps. A duplicate slug in
// the org wraps apperr.ErrConflict.
func (tx *Tx) CreateColumn(ctx context.Context, c *org.Column) error {
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO site_columns (org_id, parent_id, kind, slug, name, sort, visible, update_days, link_url, body, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.OrgID, nullID(c.ParentID), c.Kind, c.Slug, c.Name, c.Sort, c.Visible, c.UpdateDays, c.LinkURL, c.Body, tx.t(c.CreatedAt), tx.t(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert column %s: %w", c.Slug, err)
	}
	c.ID = id
	return nil
}

// UpdateColumn stores every field of c except its org and creation time.
func (tx *Tx) UpdateColumn(ctx context.Context, c *org.Column) error {
	c.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `
		UPDATE site_columns SET parent_id = ?, kind = ?, slug = ?, name = ?, sort = ?, visible = ?, update_days = ?, link_url = ?, body = ?, updated_at = ?
		WHERE id = ?`,
		nullID(c.ParentID), c.Kind, c.Slug, c.Name, c.Sort, c.Visible, c.UpdateDays, c.LinkURL, c.Body, tx.t(c.UpdatedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update column %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("column", c.ID)
	}
	return nil
}
