// Package store keeps Gongkai's data in embedded SQLite (the default) or in
// PostgreSQL (for a site group on several app nodes), behind one API. It
// implements the transaction interfaces that the domain packages declare.
// SQL is written once in the portable subset with ? placeholders; rebind
// turns them into $n for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"gongkai/internal/apperr"
)

// Dialect names a database backend.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. It is safe for concurrent use. On SQLite it keeps
// a read pool and a write pool of exactly one connection, so writers queue
// in Go instead of failing with SQLITE_BUSY; on PostgreSQL both are one pool.
type DB struct {
	dialect  Dialect
	read     *sql.DB // never nil after Open
	write    *sql.DB // never nil after Open; == read on PostgreSQL
	path     string  // SQLite file, for diagnostics and backups
	url      string  // PostgreSQL URL, for LISTEN connections; a secret
	now      func() time.Time
	gen      atomic.Int64 // the cache generation as last read; see CacheGen
	texts    atomic.Pointer[TextSource]
	columns  genIDs[[2]int64] // see ColumnListing
	catalogs genIDs[string]   // see Catalog
}

// Options configure Open.
type Options struct {
	// URL is a postgres:// (or postgresql://) URL, or empty for SQLite.
	URL string
	// DataDir holds the SQLite file (gongkai.db) when URL is empty.
	DataDir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Open opens the database chosen by opts and checks that it answers. It
// creates the data directory for SQLite. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	switch {
	case strings.HasPrefix(opts.URL, "postgres://"), strings.HasPrefix(opts.URL, "postgresql://"):
		return openPostgres(ctx, opts.URL, now)
	case opts.URL == "":
		if opts.DataDir == "" {
			return nil, errors.New("open database: no data directory")
		}
		if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		return openSQLite(ctx, filepath.Join(opts.DataDir, "gongkai.db"), now)
	default:
		return nil, fmt.Errorf("open database: unsupported URL scheme in %q (want postgres:// or empty for SQLite)", redactURL(opts.URL))
	}
}

// OpenSQLiteFile opens (creating if needed) the SQLite database at path.
func OpenSQLiteFile(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	if now == nil {
		now = time.Now
	}
	return openSQLite(ctx, path, now)
}

func openSQLite(ctx context.Context, path string, now func() time.Time) (*DB, error) {
	// busy_timeout first, so the pragmas after it wait instead of failing.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	dsn := "file:" + path + "?" + pragmas
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(4)
	// Keep them open: opening a SQLite connection opens files and runs the
	// pragmas, which costs more than most queries.
	read.SetMaxIdleConns(4)
	write, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		read.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	db := &DB{dialect: SQLite, read: read, write: write, path: path, now: now}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, rawURL string, now func() time.Time) (*DB, error) {
	pool, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redactURL(rawURL), err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: Postgres, read: pool, write: pool, now: now, url: rawURL}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", redactURL(rawURL), err)
	}
	return db, nil
}

// redactURL hides the password in a database URL, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

// Dialect reports the backend.
func (db *DB) Dialect() Dialect { return db.dialect }

// Now returns the current time from the DB's clock, in UTC.
func (db *DB) Now() time.Time { return db.now().UTC() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	if db.write != db.read {
		return db.write.PingContext(ctx)
	}
	return nil
}

// Close closes the pools. On SQLite it first checkpoints the WAL so the main
// file is complete on its own.
func (db *DB) Close() error {
	if db.dialect == SQLite {
		// Best effort: a failed checkpoint leaves the WAL, which SQLite
		// replays at next open, so nothing is lost.
		_, _ = db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Tx is a transaction. Its methods, one file per aggregate, take ctx first.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	now     time.Time // the transaction's clock reading, UTC
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.read, &sql.TxOptions{ReadOnly: db.dialect == Postgres}, false, fn)
}

// Update runs fn in a write transaction and commits if fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.write, nil, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, write bool, fn func(*Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, dialect: db.dialect, now: db.Now().Truncate(time.Microsecond)}
	if err := fn(tx); err != nil {
		// The rollback error is secondary to err, which is what the
		// caller must see; a failed rollback is discarded by the driver.
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", mapErr(db.dialect, err))
	}
	if write {
		// Triggers bump the generation when public content changes; read
		// it now so this process's own changes show at once.
		db.RefreshCacheGen(ctx)
	}
	return nil
}

// Now is the time the transaction started, in UTC.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	res, err := tx.tx.ExecContext(ctx, tx.rebind(q), args...)
	return res, mapErr(tx.dialect, err)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.rebind(q), args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, tx.rebind(q+" RETURNING id"), args...).Scan(&id)
	return id, mapErr(tx.dialect, err)
}

// rebind turns ? placeholders into $1..$n on PostgreSQL. It skips ? inside
// single-quoted literals.
func (tx *Tx) rebind(q string) string { return rebind(tx.dialect, q) }

func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mapErr turns constraint violations into apperr.ErrConflict, by error code.
func mapErr(d Dialect, err error) error {
	if err == nil {
		return nil
	}
	switch d {
	case Postgres:
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "23503") {
			return fmt.Errorf("%s: %w", pe.ConstraintName, apperr.ErrConflict)
		}
	case SQLite:
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() {
			case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
				return fmt.Errorf("%v: %w", se, apperr.ErrConflict)
			}
		}
	}
	return err
}

// timeLayout is how SQLite stores instants: fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// t converts an instant for storage: text on SQLite, time.Time on PostgreSQL.
func (tx *Tx) t(v time.Time) any {
	v = v.UTC().Truncate(time.Microsecond)
	if tx.dialect == SQLite {
		return v.Format(timeLayout)
	}
	return v
}

// nt is t for an optional instant: the zero time becomes NULL.
func (tx *Tx) nt(v time.Time) any {
	if v.IsZero() {
		return nil
	}
	return tx.t(v)
}

// timeCol scans an instant stored by t or nt; NULL scans as the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case time.Time:
		*c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
	return nil
}

func (c timeCol) parse(s string) error {
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			*c.t = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idCol scans a nullable reference; NULL scans as 0.
type idCol struct{ p *int64 }

func (c idCol) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = n.Int64
	return nil
}

// strCol scans a nullable text; NULL scans as "".
type strCol struct{ p *string }

func (c strCol) Scan(src any) error {
	var n sql.NullString
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = n.String
	return nil
}

// nullStr stores "" as NULL, for optional unique texts.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func notFound(what string, id any) error {
	return fmt.Errorf("%s %v: %w", what, id, apperr.ErrNotFound)
}
