package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations for the DB's backend, in order.
func (db *DB) Migrations() ([]Migration, error) { return migrationsFor(db.dialect) }

func migrationsFor(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations for %s: two files numbered %d", d, out[i].Version)
		}
	}
	return out, nil
}

// ErrSchemaTooNew reports a database migrated by a newer release.
type ErrSchemaTooNew struct{ DB, Binary int }

func (e *ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("database has migration %d, unknown to this binary (newest %d): upgrade gongkai", e.DB, e.Binary)
}

// Migrate applies every migration not yet applied, in order, each in its
// own transaction, and records it in schema_migrations. Numbers may have
// gaps (features developed side by side reserve numbers); a lower number
// added later is still applied. On PostgreSQL it holds an advisory lock for
// the current schema, so nodes starting together do not race. It returns
// the versions applied and refuses, with *ErrSchemaTooNew, a database that
// has a migration this binary does not know.
func (db *DB) Migrate(ctx context.Context) (applied []int, err error) {
	ms, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext(current_schema()))`); err != nil {
			return nil, fmt.Errorf("migrate: take lock: %w", err)
		}
		defer func() {
			// The lock also ends with the session; a failure here is harmless.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext(current_schema()))`)
		}()
	}
	createQ := `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`
	if db.dialect == Postgres {
		createQ = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`
	}
	if _, err := conn.ExecContext(ctx, createQ); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, m := range ms {
		known[m.Version] = true
	}
	for v := range done {
		if !known[v] {
			return nil, &ErrSchemaTooNew{DB: v, Binary: ms[len(ms)-1].Version}
		}
	}
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		if err := db.apply(ctx, conn, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

func (db *DB) apply(ctx context.Context, conn *sql.Conn, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %04d: begin: %w", m.Version, err)
	}
	fail := func(err error) error {
		_ = tx.Rollback() // the statement error is what matters
		return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fail(err)
	}
	ttx := &Tx{dialect: db.dialect}
	if _, err := tx.ExecContext(ctx, rebind(db.dialect, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, ttx.t(db.Now())); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %04d: commit: %w", m.Version, err)
	}
	return nil
}

func appliedVersions(ctx context.Context, conn *sql.Conn) (map[int]bool, error) {
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read applied migrations: %w", err)
		}
		out[v] = true
	}
	return out, rows.Err()
}

// SchemaVersion returns the highest applied migration, 0 for an empty
// database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		// No table yet means nothing applied.
		if ok, terr := db.tableExists(ctx, "schema_migrations"); terr == nil && !ok {
			return 0, nil
		}
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	if err := db.read.QueryRowContext(ctx, rebind(db.dialect, q), name).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// ColumnInfo describes one column of the schema, for the parity test.
type ColumnInfo struct {
	Table    string
	Column   string
	Nullable bool
}

// Schema lists every column of every table (except SQLite internals),
// ordered by table and column name.
func (db *DB) Schema(ctx context.Context) ([]ColumnInfo, error) {
	var q string
	switch db.dialect {
	case SQLite:
		q = `
			SELECT m.name, p.name, CASE WHEN p."notnull" = 1 OR p.pk > 0 THEN 0 ELSE 1 END
			FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
				AND m.name NOT LIKE 'search_fts%' -- FTS5's own tables; PostgreSQL uses a tsvector column
			ORDER BY m.name, p.name`
	case Postgres:
		q = `
			SELECT table_name, column_name, CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END
			FROM information_schema.columns
			WHERE table_schema = current_schema()
			ORDER BY table_name, column_name`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	defer rows.Close()
	var out []ColumnInfo
	for rows.Next() {
		var c ColumnInfo
		var nullable int
		if err := rows.Scan(&c.Table, &c.Column, &nullable); err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		c.Nullable = nullable == 1
		out = append(out, c)
	}
	return out, rows.Err()
}
