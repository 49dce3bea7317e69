package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongkai/internal/app"
	"gongkai/internal/backup"
	"gongkai/internal/config"
)

func runBackup(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "backup", "backup --out FILE [flags]\n\nWrites a consistent backup (.tar.gz) while the server keeps running: on SQLite the database\n(VACUUM INTO) and the files (published files, applicants' uploads); signing keys are in the\ndatabase. On PostgreSQL the archive holds the files only: back up the database with pg_dump.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	out := fs.String("out", "", "file to write, e.g. gongkai-2026-03-02.tar.gz (required; must not exist)")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		return e.errorf(exitUsage, "backup: give --out FILE and no other arguments")
	}
	if _, err := os.Stat(*out); err == nil {
		return e.errorf(exitUsage, "backup: %s exists; choose a new file", *out)
	}
	a, code := loadApp(ctx, e, "backup", load)
	if a == nil {
		return code
	}
	defer a.Close()
	// Written through a temporary name, so an interrupted backup never
	// looks complete.
	f, err := os.CreateTemp(filepath.Dir(*out), ".gongkai-backup-*")
	if err != nil {
		return e.errorf(exitFailure, "backup: %v", err)
	}
	defer os.Remove(f.Name())
	m, err := a.Backup(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), *out)
	}
	if err != nil {
		return e.errorf(exitFailure, "backup: %v", err)
	}
	fmt.Fprintf(e.stdout, "backup written to %s: database %s (schema %d), %d files, %d bytes\n", *out, m.Database, m.Schema, m.Files, m.Bytes)
	if m.PgDumpHint != "" {
		fmt.Fprintf(e.stdout, "The PostgreSQL database is NOT in this archive. Back it up now with:\n  %s\n", m.PgDumpHint)
	}
	return exitOK
}

func runRestore(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "restore", "restore [flags] FILE\n\nRestores a backup made by gongkai backup into an empty data directory (--data), then checks\nthe restored database: the audit trail's hash chain and the publication log. A data directory\nthat holds anything is refused.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return e.errorf(exitUsage, "restore: give the backup file")
	}
	cfg, err := load()
	if err != nil {
		return e.errorf(exitUsage, "restore: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return e.errorf(exitUsage, "restore: %v", err)
	}
	defer f.Close()
	m, err := backup.Restore(f, cfg.DataDir)
	if errors.Is(err, backup.ErrNotEmpty) {
		return e.errorf(exitUsage, "restore: %s is not empty; restore into a new, empty data directory", cfg.DataDir)
	}
	if err != nil {
		return e.errorf(exitFailure, "restore: %v", err)
	}
	fmt.Fprintf(e.stdout, "restored %d files into %s (backup of %s)\n", m.Files, cfg.DataDir, m.Created.Format("2006-01-02 15:04:05 UTC"))
	if m.Database != "sqlite" {
		fmt.Fprintf(e.stdout, "The database was not in the archive: restore it with pg_restore from your pg_dump file.\n")
		return exitOK
	}
	if cfg.DatabaseURL != "" {
		fmt.Fprintf(e.stdout, "Note: --database-url is set; the restored SQLite database is used only without it.\n")
		return exitOK
	}
	a, err := app.New(ctx, cfg, app.Options{Log: newLogger(e.stderr, config.Config{LogLevel: "warn", LogFormat: "text"})})
	if err != nil {
		return e.errorf(exitFailure, "restore: open the restored database: %v", err)
	}
	defer a.Close()
	n, err := a.DB.VerifyAudit(ctx)
	if err != nil {
		return e.errorf(exitFailure, "restore: the restored audit trail does not verify: %v", err)
	}
	size, err := a.DB.VerifyLog(ctx)
	if err != nil {
		return e.errorf(exitFailure, "restore: the restored publication log does not verify: %v", err)
	}
	fmt.Fprintf(e.stdout, "audit trail intact (%d records); publication log intact (%d entries)\n", n, size)
	return exitOK
}
