// Package storetest gives each test its own fresh, migrated database: a
// SQLite file under t.TempDir(), and, when GONGKAI_TEST_DATABASE_URL is set,
// a PostgreSQL schema of its own that is dropped afterwards. Tests can
// therefore run in parallel and never collide.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"gongkai/internal/store"
)

// EnvURL names the variable holding the PostgreSQL URL for tests.
const EnvURL = "GONGKAI_TEST_DATABASE_URL"

// Run calls fn once per available backend, as parallel subtests "sqlite"
// and "postgres". Without GONGKAI_TEST_DATABASE_URL the PostgreSQL subtest
// skips, except under CI=true, where it fails: CI must test both.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, OpenSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		u := PostgresURL(t)
		t.Parallel()
		fn(t, OpenPostgres(t, u))
	})
}

// PostgresURL returns the test PostgreSQL URL, skipping the test (or
// failing it under CI=true) when none is configured.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set but CI=true: PostgreSQL must be tested in CI", EnvURL)
		}
		t.Skipf("%s is not set; PostgreSQL not tested (set it, e.g. to postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to enable)", EnvURL)
	}
	return u
}

// Clock is a settable clock for tests. The zero Clock starts at 2026-03-02
// 09:00 China time.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	if c.T.IsZero() {
		c.T = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	}
	return c.T
}

// Add moves the clock forward.
func (c *Clock) Add(d time.Duration) { c.T = c.Now().Add(d) }

// OpenSQLite returns a migrated SQLite database in a temporary directory.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, store.Options{DataDir: filepath.Join(t.TempDir(), "data")})
}

// OpenPostgres returns a migrated database in a fresh schema of the
// PostgreSQL database at rawURL; the schema is dropped at cleanup.
func OpenPostgres(t testing.TB, rawURL string) *store.DB {
	t.Helper()
	u := CreateSchema(t, rawURL)
	return open(t, store.Options{URL: u})
}

// CreateSchema creates a fresh schema and returns rawURL with its
// search_path set to it; the schema is dropped at cleanup.
func CreateSchema(t testing.TB, rawURL string) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random schema name: %v", err)
	}
	schema := "gktest_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatalf("open postgres for schema setup: %v", err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	pu, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	q := pu.Query()
	q.Set("search_path", schema)
	pu.RawQuery = q.Encode()
	return pu.String()
}

func open(t testing.TB, opts store.Options) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	// Cleanups run in reverse order, so Close runs before CreateSchema's
	// cleanup drops the schema.
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close test database: %v", err)
		}
	})
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}
