package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"gongkai/internal/translog"
)

// ErrNoSnapshot reports that the database cannot be copied by Gongkai
// itself: on PostgreSQL the operator backs it up with pg_dump.
var ErrNoSnapshot = errors.New("store: database snapshots are taken with pg_dump on PostgreSQL")

// Snapshot writes a consistent copy of the SQLite database to path, which
// must not exist, while the server keeps reading and writing: VACUUM INTO
// reads one snapshot of the WAL database and writes a compact file. On
// PostgreSQL it returns ErrNoSnapshot.
func (db *DB) Snapshot(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrNoSnapshot
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot %s: file exists", path)
	}
	// A read connection: VACUUM INTO takes only a read transaction on the
	// source, so writers are not held up.
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("snapshot database: %w", err)
	}
	return nil
}

// TableCounts returns the number of rows of every table (SQLite's own
// tables aside), for comparing a restored database with its original.
func (db *DB) TableCounts(ctx context.Context) (map[string]int64, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.dialect == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	counts := map[string]int64{}
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q)
		if err != nil {
			return err
		}
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			names = append(names, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range names {
			// The names come from the catalog, never from input; quoted
			// for names that are keywords.
			var c int64
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&c); err != nil {
				return fmt.Errorf("count %s: %w", n, err)
			}
			counts[n] = c
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	return counts, nil
}

// VerifyLog recomputes the publication log from its leaf texts and checks
// that the root equals the one from the stored hashes, so a log that lost
// or changed a leaf or a hash (a torn restore, a crash) is found. It
// returns the log's size.
func (db *DB) VerifyLog(ctx context.Context) (int64, error) {
	var mem translog.MemStore
	var size int64
	var root translog.Hash
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT size FROM translog_lock WHERE id = 1`).Scan(&size); err != nil {
			return err
		}
		var err error
		if root, err = translog.TreeHash(size, tx.hashReader(ctx)); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT idx, text FROM translog_leaves WHERE idx < ? ORDER BY idx`, size)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var idx int64
			var text string
			if err := rows.Scan(&idx, &text); err != nil {
				return err
			}
			if idx != mem.Size() {
				return fmt.Errorf("leaf %d missing", mem.Size())
			}
			l, err := translog.ParseLeaf([]byte(text))
			if err != nil {
				return fmt.Errorf("leaf %d: %v", idx, err)
			}
			if _, err := mem.Append(l); err != nil {
				return fmt.Errorf("leaf %d: %v", idx, err)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("verify log: %w", err)
	}
	if mem.Size() != size {
		return 0, fmt.Errorf("verify log: %d leaves stored, the log says %d", mem.Size(), size)
	}
	if size == 0 {
		return 0, nil
	}
	got, err := translog.TreeHash(size, &mem)
	if err != nil {
		return 0, fmt.Errorf("verify log: %w", err)
	}
	if got != root {
		return 0, fmt.Errorf("verify log: the leaves give root %x, the stored hashes %x", got, root)
	}
	return size, nil
}
