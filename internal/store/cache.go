package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// CacheGeneration reads the public page cache's generation, which
// triggers bump whenever an org, a column or a public item changes.
func (db *DB) CacheGeneration(ctx context.Context) (int64, error) {
	var gen int64
	if err := db.read.QueryRowContext(ctx, `SELECT gen FROM cache_generation WHERE id = 1`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("select cache generation: %w", err)
	}
	return gen, nil
}

// RefreshCacheGen reads the generation into memory for CacheGen. Errors
// keep the old value: before migration the table does not exist, and a
// failed read is retried at the next write or poll.
func (db *DB) RefreshCacheGen(ctx context.Context) {
	if gen, err := db.CacheGeneration(context.WithoutCancel(ctx)); err == nil {
		db.gen.Store(gen)
	}
}

// CacheGen is the cache generation as last read: after this process's
// own writes, and by WatchCache for everyone else's. Reading it costs
// nothing, so the page cache checks it on every request.
func (db *DB) CacheGen() int64 { return db.gen.Load() }

// WatchCache keeps CacheGen current with other processes' and nodes'
// changes: at once on PostgreSQL notifications (LISTEN gongkai_cache), and
// at every poll on both backends, which also covers a lost connection and
// writes by other processes on SQLite. It returns when ctx ends.
func (db *DB) WatchCache(ctx context.Context, poll time.Duration) {
	changed := func() { db.RefreshCacheGen(ctx) }
	if db.dialect == Postgres && db.url != "" {
		go db.listen(ctx, "gongkai_cache", changed)
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed()
		}
	}
}

// listen holds a connection of its own with LISTEN channel and calls fn
// for every notification, reconnecting after errors until ctx ends.
func (db *DB) listen(ctx context.Context, channel string, fn func()) {
	for ctx.Err() == nil {
		err := func() error {
			conn, err := pgx.Connect(ctx, db.url)
			if err != nil {
				return err
			}
			defer conn.Close(context.WithoutCancel(ctx))
			if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
				return err
			}
			fn() // anything missed while not listening
			for {
				if _, err := conn.WaitForNotification(ctx); err != nil {
					return err
				}
				fn()
			}
		}()
		if ctx.Err() != nil {
			return
		}
		_ = err // the poll keeps caches correct meanwhile; retry shortly
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// genIDs keeps lists of item ids for the cache generation they were
// read at (it changes whenever a public item, a column or a push does):
// each column's and each filtered catalog's items in listing order, so
// any page of a long list is a slice and deep pages cost what the first
// does. At most maxGenIDs ids are kept per memo; past that it starts
// afresh.
type genIDs[K comparable] struct {
	mu    sync.Mutex
	gen   int64
	byKey map[K][]int64 // guarded by mu
	size  int           // ids held; guarded by mu
}

const maxGenIDs = 2_000_000 // 16 MB

// get returns the ids kept for key at generation gen.
func (m *genIDs[K]) get(gen int64, key K) ([]int64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids, ok := m.byKey[key]
	return ids, ok && m.gen == gen
}

// put keeps ids read at generation gen, unless a newer generation's are
// kept already.
func (m *genIDs[K]) put(gen int64, key K, ids []int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen > m.gen || m.byKey == nil || m.size+len(ids) > maxGenIDs {
		m.gen, m.byKey, m.size = max(gen, m.gen), map[K][]int64{}, 0
	}
	if gen == m.gen {
		m.byKey[key] = ids
		m.size += len(ids)
	}
}
