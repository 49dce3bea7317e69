package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gongkai/internal/backup"
	"gongkai/internal/job"
	"gongkai/internal/store"
)

// JobBackup is the daily backup into Config.BackupDir.
const JobBackup = "backup.daily"

// backupPrefix starts the names of the daily backups; a UTC time stamp
// follows, so names sort by age.
const backupPrefix = "gongkai-backup-"

// PgDumpHint tells the operator of a PostgreSQL installation how to back
// up the database, which Gongkai's backup does not contain.
const PgDumpHint = "pg_dump --format=custom --file=gongkai.dump \"$GONGKAI_DATABASE_URL\" (restore with pg_restore --clean --if-exists --dbname=...)"

// Backup writes a consistent online backup to w while the server keeps
// running: on SQLite the database (VACUUM INTO) and the files; on
// PostgreSQL the files only, the manifest naming pg_dump for the database.
func (a *App) Backup(ctx context.Context, w io.Writer) (backup.Manifest, error) {
	v, err := a.DB.SchemaVersion(ctx)
	if err != nil {
		return backup.Manifest{}, err
	}
	src := backup.Source{DataDir: a.Config.DataDir, Manifest: backup.Manifest{Created: a.DB.Now(), Database: string(a.DB.Dialect()), Schema: v, Generator: "gongkai"}}
	if a.DB.Dialect() == store.SQLite {
		src.Snapshot = a.DB.Snapshot
	} else {
		src.Manifest.PgDumpHint = PgDumpHint
	}
	return backup.Write(ctx, w, src)
}

// BackupToDir writes a backup named by the current time into dir, through
// a temporary name so a half-written file never looks like a backup, and
// then keeps only the newest keep backups. It returns the file's path.
func (a *App) BackupToDir(ctx context.Context, dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	name := filepath.Join(dir, backupPrefix+a.DB.Now().Format("20060102T150405Z")+".tar.gz")
	f, err := os.CreateTemp(dir, ".partial-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := a.Backup(ctx, f); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return "", err
	}
	if keep > 0 {
		removed, err := backup.Prune(dir, backupPrefix, keep)
		if err != nil {
			return name, fmt.Errorf("remove old backups: %w", err)
		}
		for _, r := range removed {
			a.Log.Info("old backup removed", slog.String("file", r))
		}
	}
	return name, nil
}

// setupBackup registers the daily backup when a backup directory is
// configured.
func (a *App) setupBackup() error {
	if a.Config.BackupDir == "" {
		return nil
	}
	a.Jobs.Handle(JobBackup, func(ctx context.Context, _ job.Job) error {
		start := time.Now()
		name, err := a.BackupToDir(ctx, a.Config.BackupDir, a.Config.BackupKeep)
		if err != nil {
			return err
		}
		a.Log.Info("backup written", slog.String("file", name), slog.Duration("duration", time.Since(start)))
		return nil
	})
	return a.Jobs.Every(JobBackup, 24*time.Hour, nil)
}
