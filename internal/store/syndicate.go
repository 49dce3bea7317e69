package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"gongkai/internal/publish"
	"gongkai/internal/syndicate"
)

// UpdateSyndicate runs fn in one write transaction.
func (db *DB) UpdateSyndicate(ctx context.Context, fn func(syndicate.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

const pushCols = `p.id, p.item_id, p.from_org_id, p.to_org_id, p.column_id, p.state, p.note, p.reason, p.pushed_by, p.pushed_by_name,
	p.pushed_at, p.decided_by, p.decided_by_name, p.decided_at, COALESCE(i.title, p.remote_title),
	p.sender, p.remote_id, p.remote_url, p.remote_org, p.remote_body, p.remote_date, p.remote_withdrawn, p.remote_validity`

const pushFrom = ` FROM pushes p LEFT JOIN items i ON i.id = p.item_id`

func scanPush(sc interface{ Scan(...any) error }, p *syndicate.Push) error {
	var date string
	err := sc.Scan(&p.ID, &p.ItemID, &p.FromOrgID, &p.ToOrgID, &p.ColumnID, &p.State, &p.Note, &p.Reason, &p.PushedBy, &p.PushedByName,
		timeCol{&p.PushedAt}, &p.DecidedBy, &p.DecidedByName, timeCol{&p.DecidedAt}, &p.Title,
		&p.Sender, &p.RemoteID, &p.RemoteURL, &p.RemoteOrg, &p.RemoteBody, &date, &p.RemoteWithdrawn, &p.RemoteValidity)
	if err == nil && date != "" {
		err = timeCol{&p.RemoteDate}.parse(date)
	}
	return err
}

// Push returns one push by ID.
func (tx *Tx) Push(ctx context.Context, id int64) (*syndicate.Push, error) {
	var p syndicate.Push
	err := scanPush(tx.queryRow(ctx, `SELECT `+pushCols+pushFrom+` WHERE p.id = ?`, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("push", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select push %d: %w", id, err)
	}
	return &p, nil
}

func (tx *Tx) pushes(ctx context.Context, where string, args ...any) ([]syndicate.Push, error) {
	rows, err := tx.query(ctx, `SELECT `+pushCols+pushFrom+` WHERE `+where+` ORDER BY p.pushed_at DESC, p.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("select pushes: %w", err)
	}
	defer rows.Close()
	var out []syndicate.Push
	for rows.Next() {
		var p syndicate.Push
		if err := scanPush(rows, &p); err != nil {
			return nil, fmt.Errorf("scan push: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ItemPushes returns the pushes of one item, newest first.
func (tx *Tx) ItemPushes(ctx context.Context, itemID int64) ([]syndicate.Push, error) {
	return tx.pushes(ctx, `p.item_id = ?`, itemID)
}

// CreatePush inserts p and sets its ID and time. A second waiting or
// accepted push of the same item to the same org fails with
// apperr.ErrConflict.
func (tx *Tx) CreatePush(ctx context.Context, p *syndicate.Push) error {
	p.PushedAt = tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO pushes (item_id, from_org_id, to_org_id, column_id, state, note, pushed_by, pushed_by_name, pushed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ItemID, p.FromOrgID, p.ToOrgID, p.ColumnID, p.State, p.Note, p.PushedBy, p.PushedByName, tx.t(p.PushedAt))
	if err != nil {
		return fmt.Errorf("insert push: %w", err)
	}
	p.ID = id
	return nil
}

// SavePush stores a decision on p and sets its decision time.
func (tx *Tx) SavePush(ctx context.Context, p *syndicate.Push) error {
	p.DecidedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE pushes SET state = ?, column_id = ?, reason = ?, decided_by = ?, decided_by_name = ?, decided_at = ? WHERE id = ?`,
		p.State, p.ColumnID, p.Reason, p.DecidedBy, p.DecidedByName, tx.t(p.DecidedAt), p.ID)
	if err != nil {
		return fmt.Errorf("update push %d: %w", p.ID, err)
	}
	return nil
}

// PushesTo returns the pushes to the given orgs (the upper orgs' inbox),
// waiting ones first, then the newest.
func (db *DB) PushesTo(ctx context.Context, orgIDs []int64) (out []syndicate.Push, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	err = db.View(ctx, func(tx *Tx) error {
		out, err = tx.pushes(ctx, `p.to_org_id IN (`+placeholders(len(orgIDs))+`)`, int64Args(orgIDs)...)
		return err
	})
	waitingFirst(out)
	return out, err
}

// PushesFrom returns the pushes sent by the given orgs, newest first.
func (db *DB) PushesFrom(ctx context.Context, orgIDs []int64) (out []syndicate.Push, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	err = db.View(ctx, func(tx *Tx) error {
		out, err = tx.pushes(ctx, `p.from_org_id IN (`+placeholders(len(orgIDs))+`)`, int64Args(orgIDs)...)
		return err
	})
	return out, err
}

// Push returns one push by ID.
func (db *DB) Push(ctx context.Context, id int64) (out *syndicate.Push, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Push(ctx, id); return err })
	return out, err
}

// ItemPushes returns the pushes of one item, newest first.
func (db *DB) ItemPushes(ctx context.Context, itemID int64) (out []syndicate.Push, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.ItemPushes(ctx, itemID); return err })
	return out, err
}

func waitingFirst(ps []syndicate.Push) {
	var w, rest []syndicate.Push
	for _, p := range ps {
		if p.State == syndicate.StatePushed {
			w = append(w, p)
		} else {
			rest = append(rest, p)
		}
	}
	copy(ps, append(w, rest...))
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// AcceptedPush returns the accepted push of item itemID to org toOrgID,
// and false when there is none: what lets the upper site show the item.
func (db *DB) AcceptedPush(ctx context.Context, toOrgID, itemID int64) (out syndicate.Push, ok bool, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		ps, err := tx.pushes(ctx, `p.to_org_id = ? AND p.item_id = ? AND p.state = 'accepted'`, toOrgID, itemID)
		if err != nil || len(ps) == 0 {
			return err
		}
		out, ok = ps[0], true
		return nil
	})
	return out, ok, err
}

// ColumnListing lists the public items of a column of org orgID, newest
// first: the org's own items in the column and items of other orgs whose
// push into the column was accepted. Withdrawn originals are left out.
func (db *DB) ColumnListing(ctx context.Context, orgID, columnID int64, limit, offset int) (out []publish.Listed, total int, err error) {
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	err = db.View(ctx, func(tx *Tx) error {
		remote, err := tx.remoteListed(ctx, orgID, columnID)
		if err != nil {
			return err
		}
		// Without pushes from other installations the page is read
		// directly; with them (they are few) both sources are read from
		// the start, merged, and the page is cut.
		lim, off := limit, offset
		if len(remote) > 0 {
			lim, off = offset+limit, 0
		}
		ids, err := db.columnOrder(ctx, tx, orgID, columnID)
		if err != nil {
			return err
		}
		total = len(ids)
		if off < len(ids) {
			out, err = tx.listedRows(ctx, ids[off:min(off+lim, len(ids))], `v.number = i.live_version`, ` ORDER BY i.first_published_at DESC, i.id DESC`)
			if err != nil {
				return fmt.Errorf("column listing: %w", err)
			}
		}
		if len(remote) == 0 {
			return nil
		}
		total += len(remote)
		out = append(out, remote...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Item.FirstPublishedAt.After(out[j].Item.FirstPublishedAt) })
		out = out[min(offset, len(out)):min(offset+limit, len(out))]
		return nil
	})
	return out, total, err
}

// remoteListed returns the accepted pushes from other installations into
// a column whose original is not withdrawn, as listing rows: the item ID
// is the push's ID negated (see syndicate.RemoteItemID), the org 0 and the
// version's Source the sender org's name.
func (tx *Tx) remoteListed(ctx context.Context, orgID, columnID int64) ([]publish.Listed, error) {
	ps, err := tx.pushes(ctx, `p.to_org_id = ? AND p.column_id = ? AND p.state = 'accepted' AND p.item_id = 0 AND p.remote_withdrawn = ?`,
		orgID, columnID, false)
	if err != nil {
		return nil, err
	}
	var out []publish.Listed
	for _, p := range ps {
		var l publish.Listed
		l.Item = publish.Item{ID: -p.ID, State: publish.StatePublished, Live: 1, Title: p.Title, Validity: publish.ValidityValid,
			FirstPublishedAt: p.RemoteDate, LastPublishedAt: p.RemoteDate}
		l.Version = publish.Version{Number: 1, Title: p.Title, Source: p.RemoteOrg}
		out = append(out, l)
	}
	return out, nil
}

// AcceptedRemotePush returns an accepted push from another installation
// to org toOrgID whose original is not withdrawn, and false otherwise.
func (db *DB) AcceptedRemotePush(ctx context.Context, toOrgID, pushID int64) (out syndicate.Push, ok bool, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		ps, err := tx.pushes(ctx, `p.id = ? AND p.to_org_id = ? AND p.state = 'accepted' AND p.item_id = 0 AND p.remote_withdrawn = ?`,
			pushID, toOrgID, false)
		if err != nil || len(ps) == 0 {
			return err
		}
		out, ok = ps[0], true
		return nil
	})
	return out, ok, err
}

// PushCounts returns how many items the orgs orgIDs pushed to upper sites
// in year (China time), and how many of those were accepted and declined:
// the annual report's "在随州市人民政府网站公开民政信息50余条".
func (db *DB) PushCounts(ctx context.Context, orgIDs []int64, year int) (c syndicate.Counts, err error) {
	err = db.View(ctx, func(tx *Tx) error { c, err = tx.PushCounts(ctx, orgIDs, year); return err })
	return c, err
}

// PushCounts is DB.PushCounts inside a transaction, for the annual
// report's facts (store/report.go).
func (tx *Tx) PushCounts(ctx context.Context, orgIDs []int64, year int) (c syndicate.Counts, err error) {
	if len(orgIDs) == 0 {
		return c, nil
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, chinaTime), time.Date(year+1, 1, 1, 0, 0, 0, 0, chinaTime)
	args := append(int64Args(orgIDs), tx.t(from), tx.t(to))
	err = tx.queryRow(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN state = 'accepted' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'declined' THEN 1 ELSE 0 END), 0)
		FROM pushes WHERE from_org_id IN (`+placeholders(len(orgIDs))+`) AND pushed_at >= ? AND pushed_at < ?`, args...).
		Scan(&c.Pushed, &c.Accepted, &c.Declined)
	if err != nil {
		return c, fmt.Errorf("count pushes: %w", err)
	}
	return c, nil
}

// UpdateRemote runs fn in one write transaction.
func (db *DB) UpdateRemote(ctx context.Context, fn func(syndicate.RemoteTx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// Senders returns the installations allowed to push here.
func (tx *Tx) Senders(ctx context.Context) ([]syndicate.Sender, error) {
	rows, err := tx.query(ctx, `SELECT id, name, public_key, to_org_id, created_at FROM push_senders ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("select push senders: %w", err)
	}
	defer rows.Close()
	var out []syndicate.Sender
	for rows.Next() {
		var s syndicate.Sender
		if err := rows.Scan(&s.ID, &s.Name, &s.PublicKey, &s.ToOrgID, timeCol{&s.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan push sender: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Senders returns the installations allowed to push here.
func (db *DB) Senders(ctx context.Context) (out []syndicate.Sender, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Senders(ctx); return err })
	return out, err
}

// CreateSender registers s; a second sender of the same name fails with
// apperr.ErrConflict.
func (tx *Tx) CreateSender(ctx context.Context, s *syndicate.Sender) error {
	s.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO push_senders (name, public_key, to_org_id, created_at) VALUES (?, ?, ?, ?)`,
		s.Name, s.PublicKey, s.ToOrgID, tx.t(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert push sender: %w", err)
	}
	s.ID = id
	return nil
}

// RemotePush finds the waiting or accepted push of a sender's item to an
// org.
func (tx *Tx) RemotePush(ctx context.Context, sender, remoteID string, toOrgID int64) (*syndicate.Push, bool, error) {
	ps, err := tx.pushes(ctx, `p.sender = ? AND p.remote_id = ? AND p.to_org_id = ? AND p.state <> 'declined'`, sender, remoteID, toOrgID)
	if err != nil || len(ps) == 0 {
		return nil, false, err
	}
	return &ps[0], true, nil
}

// CreateRemotePush inserts a push from another installation.
func (tx *Tx) CreateRemotePush(ctx context.Context, p *syndicate.Push) error {
	p.PushedAt = tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO pushes (to_org_id, column_id, state, pushed_by_name, pushed_at, sender, remote_id, remote_url, remote_org,
			remote_title, remote_body, remote_date, remote_withdrawn, remote_validity)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ToOrgID, p.ColumnID, p.State, p.PushedByName, tx.t(p.PushedAt), p.Sender, p.RemoteID, p.RemoteURL, p.RemoteOrg,
		p.Title, p.RemoteBody, remoteDate(p.RemoteDate), p.RemoteWithdrawn, p.RemoteValidity)
	if err != nil {
		return fmt.Errorf("insert remote push: %w", err)
	}
	p.ID = id
	return nil
}

// SaveRemoteCopy replaces the copy a remote push carries.
func (tx *Tx) SaveRemoteCopy(ctx context.Context, p *syndicate.Push) error {
	_, err := tx.exec(ctx, `UPDATE pushes SET remote_url = ?, remote_org = ?, remote_title = ?, remote_body = ?, remote_date = ?,
		remote_withdrawn = ?, remote_validity = ? WHERE id = ?`, p.RemoteURL, p.RemoteOrg, p.Title, p.RemoteBody, remoteDate(p.RemoteDate),
		p.RemoteWithdrawn, p.RemoteValidity, p.ID)
	if err != nil {
		return fmt.Errorf("update remote push %d: %w", p.ID, err)
	}
	return nil
}

func remoteDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// SavePushTarget records that an item was pushed to an org of another
// installation with fingerprint sent, replacing the earlier record.
func (db *DB) SavePushTarget(ctx context.Context, t syndicate.Target) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO push_targets (item_id, url, to_org, column_slug, sent, sent_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (item_id, url, to_org) DO UPDATE SET column_slug = excluded.column_slug, sent = excluded.sent, sent_at = excluded.sent_at`,
			t.ItemID, t.URL, t.ToOrg, t.Column, t.Sent, tx.t(tx.now), tx.t(tx.now))
		if err != nil {
			return fmt.Errorf("save push target: %w", err)
		}
		return nil
	})
}

// StalePushTargets returns the items pushed to other installations whose
// fingerprint changed since they were sent.
func (db *DB) StalePushTargets(ctx context.Context) (out []syndicate.Target, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT t.id, t.item_id, t.url, t.to_org, t.column_slug, t.sent, t.sent_at,
				i.live_version, i.state, i.validity
			FROM push_targets t JOIN items i ON i.id = t.item_id ORDER BY t.id`)
		if err != nil {
			return fmt.Errorf("select push targets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t syndicate.Target
			var it publish.Item
			if err := rows.Scan(&t.ID, &t.ItemID, &t.URL, &t.ToOrg, &t.Column, &t.Sent, timeCol{&t.SentAt}, &it.Live, &it.State, &it.Validity); err != nil {
				return fmt.Errorf("scan push target: %w", err)
			}
			t.Current = syndicate.Fingerprint(&it)
			if t.Current != t.Sent {
				out = append(out, t)
			}
		}
		return rows.Err()
	})
	return out, err
}

// columnOrder returns the ids of the column's own public items and of
// the items pushed into it, newest first. Callers must not change it.
func (db *DB) columnOrder(ctx context.Context, tx *Tx, orgID, columnID int64) ([]int64, error) {
	gen := db.CacheGen()
	key := [2]int64{orgID, columnID}
	if ids, ok := db.columns.get(gen, key); ok {
		return ids, nil
	}
	// Two selects joined by UNION, not one with OR, so each uses its index.
	ids, err := tx.queryIDs(ctx, `
		SELECT id FROM (
			SELECT i.id, i.first_published_at FROM items i
			WHERE i.org_id = ? AND i.live_version > 0 AND i.state <> 'withdrawn' AND i.id IN (SELECT item_id FROM item_columns WHERE column_id = ?)
			UNION
			SELECT i.id, i.first_published_at FROM items i
			WHERE i.live_version > 0 AND i.state <> 'withdrawn'
				AND i.id IN (SELECT item_id FROM pushes WHERE to_org_id = ? AND column_id = ? AND state = 'accepted' AND item_id > 0)) u
		ORDER BY first_published_at DESC, id DESC`, orgID, columnID, orgID, columnID)
	if err != nil {
		return nil, fmt.Errorf("column listing order: %w", err)
	}
	db.columns.put(gen, key, ids)
	return ids, nil
}
