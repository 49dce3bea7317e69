package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongkai/internal/catalog"
)

// china is China Standard Time, for calendar years of publication.
var china = time.FixedZone("CST", 8*3600)

const catalogFrom = `
	FROM items i
	JOIN item_versions v ON v.item_id = i.id AND v.number = i.live_version
	WHERE i.live_version > 0 AND i.state <> 'withdrawn' AND i.org_id = ?`

// Catalog lists the org's published items for the disclosure catalog,
// newest first, with the total for paging.
func (db *DB) Catalog(ctx context.Context, f catalog.Filter) ([]catalog.Row, int, error) {
	if f.Limit <= 0 {
		f.Limit = 20
	}
	if f.Limit > 10000 {
		f.Limit = 10000
	}
	var out []catalog.Row
	total := 0
	err := db.View(ctx, func(tx *Tx) error {
		where := []string{}
		args := []any{f.OrgID}
		from := catalogFrom
		if f.OrgIDs != nil {
			if len(f.OrgIDs) == 0 {
				return nil
			}
			from = strings.Replace(catalogFrom, `i.org_id = ?`, `i.org_id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(f.OrgIDs)), ", ")+`)`, 1)
			args = args[:0]
			for _, id := range f.OrgIDs {
				args = append(args, id)
			}
		}
		for _, c := range [][2]string{{"v.topic", f.Topic}, {"v.genre", f.Genre}, {"v.issuer", f.Issuer}, {"i.validity", f.Validity}} {
			if c[1] != "" {
				where = append(where, c[0]+` = ?`)
				args = append(args, c[1])
			}
		}
		if f.Year != 0 {
			where = append(where, `i.first_published_at >= ? AND i.first_published_at < ?`)
			args = append(args, tx.t(time.Date(f.Year, 1, 1, 0, 0, 0, 0, china)), tx.t(time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, china)))
		}
		for _, w := range where {
			from += ` AND ` + w
		}
		ids, err := db.catalogOrder(ctx, tx, from, args)
		if err != nil {
			return err
		}
		total = len(ids)
		if f.Offset >= total {
			return nil
		}
		page := ids[f.Offset:min(f.Offset+f.Limit, total)]
		q := `SELECT i.id, i.org_id, COALESCE(i.index_no, ''), v.title, v.summary, v.issuer, v.topic, v.genre, v.doc_no, v.written_date,
				i.first_published_at, i.validity FROM items i JOIN item_versions v ON v.item_id = i.id AND v.number = i.live_version
			WHERE i.id IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(page)), ", ") + `) ORDER BY i.first_published_at DESC, i.id DESC`
		pageArgs := make([]any, len(page))
		for i, id := range page {
			pageArgs[i] = id
		}
		rows, err := tx.query(ctx, q, pageArgs...)
		if err != nil {
			return fmt.Errorf("select catalog: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r catalog.Row
			if err := rows.Scan(&r.ItemID, &r.OrgID, &r.IndexNo, &r.Title, &r.Summary, &r.Issuer, &r.Topic, &r.Genre, &r.DocNo, &r.WrittenDate,
				timeCol{&r.PublishedAt}, &r.Validity); err != nil {
				return fmt.Errorf("scan catalog row: %w", err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, total, err
}

// catalogOrder returns the ids of the catalog rows that from and args
// select, newest first, kept per cache generation (genIDs): every page of
// a long catalog is a slice of one list, so a static export of every page
// is not quadratic. Callers must not change it.
func (db *DB) catalogOrder(ctx context.Context, tx *Tx, from string, args []any) ([]int64, error) {
	gen := db.CacheGen()
	key := from + fmt.Sprintf("%#v", args) // quoted: ("ab", "c") is not ("a", "bc")
	if ids, ok := db.catalogs.get(gen, key); ok {
		return ids, nil
	}
	ids, err := tx.queryIDs(ctx, `SELECT i.id`+from+` ORDER BY i.first_published_at DESC, i.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog order: %w", err)
	}
	db.catalogs.put(gen, key, ids)
	return ids, nil
}

// CatalogFacets returns the values the catalog's filters offer for an org.
func (db *DB) CatalogFacets(ctx context.Context, orgID int64) (catalog.Facets, error) {
	var fc catalog.Facets
	err := db.View(ctx, func(tx *Tx) error {
		for _, x := range []struct {
			col string
			dst *[]string
		}{{"v.topic", &fc.Topics}, {"v.genre", &fc.Genres}, {"v.issuer", &fc.Issuers}} {
			rows, err := tx.query(ctx, `SELECT DISTINCT `+x.col+catalogFrom+` AND `+x.col+` <> '' ORDER BY `+x.col, orgID)
			if err != nil {
				return fmt.Errorf("select catalog facet: %w", err)
			}
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					rows.Close()
					return err
				}
				*x.dst = append(*x.dst, s)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		var first, last time.Time
		if err := tx.queryRow(ctx, `SELECT MIN(i.first_published_at), MAX(i.first_published_at)`+catalogFrom, orgID).
			Scan(timeCol{&first}, timeCol{&last}); err != nil {
			return fmt.Errorf("select catalog years: %w", err)
		}
		if !first.IsZero() {
			for y := last.In(china).Year(); y >= first.In(china).Year(); y-- {
				fc.Years = append(fc.Years, y)
			}
		}
		return nil
	})
	return fc, err
}

// SitemapItems returns the org's public items with their last change, the
// newest limit of them, for sitemap.xml.
func (db *DB) SitemapItems(ctx context.Context, orgID int64, limit int) ([]catalog.Row, error) {
	var out []catalog.Row
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT i.id, i.last_published_at`+catalogFrom+` ORDER BY i.last_published_at DESC LIMIT ?`, orgID, limit)
		if err != nil {
			return fmt.Errorf("select sitemap items: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r catalog.Row
			if err := rows.Scan(&r.ItemID, timeCol{&r.PublishedAt}); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
