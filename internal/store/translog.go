package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"gongkai/internal/publish"
	"gongkai/internal/translog"
)

// AppendLeaf appends l to the publication log inside the transaction and
// returns its index. The single row of translog_lock holds the size and is
// locked FOR UPDATE on PostgreSQL, so appenders on several nodes queue; on
// SQLite the single write connection already serialises them. Leaves,
// hashes and checkpoints are only ever inserted.
func (tx *Tx) AppendLeaf(ctx context.Context, l translog.Leaf) (int64, error) {
	q := `SELECT size FROM translog_lock WHERE id = 1`
	if tx.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	var size int64
	if err := tx.queryRow(ctx, q).Scan(&size); err != nil {
		return 0, fmt.Errorf("lock publication log: %w", err)
	}
	a, err := translog.Append(size, []translog.Leaf{l}, tx.hashReader(ctx))
	if err != nil {
		return 0, fmt.Errorf("append to publication log: %w", err)
	}
	for i, text := range a.Leaves {
		_, err := tx.exec(ctx, `INSERT INTO translog_leaves (idx, org_id, item_id, version, action, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			a.First+int64(i), l.OrgID, l.ItemID, l.Version, l.Action, string(text), tx.t(tx.now))
		if err != nil {
			return 0, fmt.Errorf("insert log leaf: %w", err)
		}
	}
	for j, h := range a.Hashes {
		if _, err := tx.exec(ctx, `INSERT INTO translog_hashes (idx, hash) VALUES (?, ?)`, a.HashStart+int64(j), h.String()); err != nil {
			return 0, fmt.Errorf("insert log hash: %w", err)
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO translog_checkpoints (size, root, created_at) VALUES (?, ?, ?)`, a.Size, a.Root.String(), tx.t(tx.now)); err != nil {
		return 0, fmt.Errorf("insert log checkpoint: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE translog_lock SET size = ? WHERE id = 1`, a.Size); err != nil {
		return 0, fmt.Errorf("update log size: %w", err)
	}
	return a.First, nil
}

// hashReader reads stored hashes in the transaction.
func (tx *Tx) hashReader(ctx context.Context) translog.HashReader {
	return translog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		if len(indexes) == 0 {
			return nil, nil
		}
		args := make([]any, len(indexes))
		for i, x := range indexes {
			args[i] = x
		}
		rows, err := tx.query(ctx, `SELECT idx, hash FROM translog_hashes WHERE idx IN (`+placeholders(len(indexes))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("select log hashes: %w", err)
		}
		defer rows.Close()
		found := map[int64]tlog.Hash{}
		for rows.Next() {
			var idx int64
			var s string
			if err := rows.Scan(&idx, &s); err != nil {
				return nil, err
			}
			h, err := tlog.ParseHash(strings.TrimSpace(s))
			if err != nil {
				return nil, fmt.Errorf("stored log hash %d is malformed", idx)
			}
			found[idx] = h
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			h, ok := found[x]
			if !ok {
				return nil, fmt.Errorf("stored log hash %d is missing", x)
			}
			out[i] = h
		}
		return out, nil
	})
}

// LogSize returns the number of leaves in the publication log.
func (db *DB) LogSize(ctx context.Context) (size int64, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT size FROM translog_lock WHERE id = 1`).Scan(&size)
	})
	return size, err
}

// LogHead returns the size and root hash of the publication log, computed
// from the stored hashes.
func (db *DB) LogHead(ctx context.Context) (size int64, root translog.Hash, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT size FROM translog_lock WHERE id = 1`).Scan(&size); err != nil {
			return err
		}
		root, err = translog.TreeHash(size, tx.hashReader(ctx))
		return err
	})
	return size, root, err
}

// LogLeafAt returns leaf index of the publication log.
func (db *DB) LogLeafAt(ctx context.Context, index int64) (*publish.LogEntry, error) {
	var l publish.LogEntry
	err := db.View(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT idx, item_id, version, action, text FROM translog_leaves WHERE idx = ?`, index).
			Scan(&l.Index, &l.ItemID, &l.Version, &l.Action, &l.Text)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("log leaf", index)
	}
	if err != nil {
		return nil, fmt.Errorf("select log leaf %d: %w", index, err)
	}
	return &l, nil
}

// ItemLeaves returns the leaves recording an item, oldest first.
func (db *DB) ItemLeaves(ctx context.Context, itemID int64) ([]publish.LogEntry, error) {
	var out []publish.LogEntry
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT idx, item_id, version, action, text FROM translog_leaves WHERE item_id = ? ORDER BY idx`, itemID)
		if err != nil {
			return fmt.Errorf("select leaves of item %d: %w", itemID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var l publish.LogEntry
			if err := rows.Scan(&l.Index, &l.ItemID, &l.Version, &l.Action, &l.Text); err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// LogProveRecord returns the proof that leaf index is in the tree of size
// leaves.
func (db *DB) LogProveRecord(ctx context.Context, size, index int64) (p translog.RecordProof, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		if err := tx.checkLogSize(ctx, size); err != nil {
			return err
		}
		p, err = translog.ProveRecord(size, index, tx.hashReader(ctx))
		return err
	})
	return p, err
}

// LogProveTree returns the proof that the tree of oldSize leaves is a
// prefix of the tree of size leaves.
func (db *DB) LogProveTree(ctx context.Context, size, oldSize int64) (p translog.TreeProof, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		if err := tx.checkLogSize(ctx, size); err != nil {
			return err
		}
		p, err = translog.ProveTree(size, oldSize, tx.hashReader(ctx))
		return err
	})
	return p, err
}

func (tx *Tx) checkLogSize(ctx context.Context, size int64) error {
	var cur int64
	if err := tx.queryRow(ctx, `SELECT size FROM translog_lock WHERE id = 1`).Scan(&cur); err != nil {
		return err
	}
	if size < 0 || size > cur {
		return notFound("log tree of size", size)
	}
	return nil
}
