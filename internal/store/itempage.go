package store

import (
	"context"
	"fmt"

	"gongkai/internal/publish"
)

// maxItemPages bounds one ItemPages read: its ids are bound parameters,
// and SQLite and PostgreSQL both take this many with room to spare.
const maxItemPages = 500

// ItemPages reads what the public pages of the items ids show, in one
// read transaction of four queries, where reading them one by one costs
// five transactions each: the static export renders every item. An id
// with no item is left out of the answer.
func (db *DB) ItemPages(ctx context.Context, ids []int64) (map[int64]*publish.ItemPage, error) {
	if len(ids) > maxItemPages {
		return nil, fmt.Errorf("item pages: %d ids, at most %d at once", len(ids), maxItemPages)
	}
	out := make(map[int64]*publish.ItemPage, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := db.View(ctx, func(tx *Tx) error {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		var public []any
		if err := scanEach(ctx, tx, `SELECT `+itemCols+itemFrom+` WHERE i.id IN (`+placeholders(len(args))+`)`, args,
			func(rows scanner) error {
				p := &publish.ItemPage{}
				if err := scanItem(rows, &p.Item); err != nil {
					return fmt.Errorf("scan item: %w", err)
				}
				out[p.Item.ID] = p
				if p.Item.Live > 0 && p.Item.State != publish.StateWithdrawn {
					public = append(public, p.Item.ID)
				}
				return nil
			}); err != nil {
			return err
		}
		if len(public) == 0 {
			return nil
		}
		in := ` IN (` + placeholders(len(public)) + `)`
		// Every version, for the list of updates; newest first.
		if err := scanEach(ctx, tx, `SELECT `+versionCols+` FROM item_versions WHERE item_id`+in+` ORDER BY item_id, number DESC`, public,
			func(rows scanner) error {
				var v publish.Version
				if err := scanVersion(rows, &v); err != nil {
					return fmt.Errorf("scan version: %w", err)
				}
				p := out[v.ItemID]
				p.Versions = append(p.Versions, v)
				return nil
			}); err != nil {
			return err
		}
		if err := scanEach(ctx, tx, `SELECT `+prefixed("a.", attCols)+` FROM attachments a JOIN items i ON i.id = a.item_id AND i.live_version = a.version
			WHERE a.item_id`+in+` ORDER BY a.item_id, a.sort, a.id`, public,
			func(rows scanner) error {
				var a publish.Attachment
				if err := scanAtt(rows, &a); err != nil {
					return fmt.Errorf("scan attachment: %w", err)
				}
				p := out[a.ItemID]
				p.Atts = append(p.Atts, a)
				return nil
			}); err != nil {
			return err
		}
		return scanEach(ctx, tx, `SELECT idx, item_id, version, action, text FROM translog_leaves WHERE item_id`+in+` ORDER BY item_id, idx`, public,
			func(rows scanner) error {
				var l publish.LogEntry
				if err := rows.Scan(&l.Index, &l.ItemID, &l.Version, &l.Action, &l.Text); err != nil {
					return fmt.Errorf("scan log entry: %w", err)
				}
				p := out[l.ItemID]
				p.Leaves = append(p.Leaves, l)
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	for _, p := range out {
		for i := range p.Versions {
			if p.Versions[i].Number == p.Item.Live {
				p.Live = &p.Versions[i]
			}
		}
	}
	return out, nil
}

type scanner interface{ Scan(...any) error }

// scanEach runs q and calls fn for each row.
func scanEach(ctx context.Context, tx *Tx, q string, args []any, fn func(scanner) error) error {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("select: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
