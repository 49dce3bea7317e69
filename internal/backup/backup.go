// Package backup writes and restores Gongkai backups: one .tar.gz with a
// manifest, a consistent copy of the SQLite database (when the database is
// SQLite) and the data directory's files (published files under files/,
// applicants' uploads under private/). Signing keys live in the database
// and travel with it. The database copy is taken first and the files
// after: files are content-addressed and written before the transaction
// that refers to them commits, so every file the copy names is already
// on disk; files added later are harmless extras.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// DBFile is the SQLite database's name in the data directory and in the
// archive.
const DBFile = "gongkai.db"

// manifestName is the first entry of every archive.
const manifestName = "MANIFEST.json"

// Dirs are the data directory's subdirectories that a backup holds. The
// page and PDF caches are rebuilt and are left out.
var Dirs = []string{"files", "private"}

// Manifest describes an archive.
type Manifest struct {
	Format     int       `json:"format"` // 1
	Created    time.Time `json:"created"`
	Database   string    `json:"database"` // "sqlite", or "postgres" when the database is not in the archive
	Schema     int       `json:"schema"`   // migration version of the database copy
	Files      int       `json:"files"`    // regular files besides the database
	Bytes      int64     `json:"bytes"`
	Generator  string    `json:"generator"`
	PgDumpHint string    `json:"pg_dump_hint,omitempty"`
}

// Source is what Write reads.
type Source struct {
	// DataDir holds files/ and private/.
	DataDir string
	// Snapshot writes a consistent database copy to the path it is given;
	// nil when the database is not Gongkai's to copy (PostgreSQL).
	Snapshot func(ctx context.Context, path string) error
	Manifest Manifest
}

// Write writes a backup of src to w. The database copy is made in a
// temporary file next to the data directory's files and removed after.
func Write(ctx context.Context, w io.Writer, src Source) (Manifest, error) {
	m := src.Manifest
	m.Format = 1
	tmp, err := os.MkdirTemp("", "gongkai-backup-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(tmp)
	var dbCopy string
	if src.Snapshot != nil {
		dbCopy = filepath.Join(tmp, DBFile)
		if err := src.Snapshot(ctx, dbCopy); err != nil {
			return m, err
		}
	}
	type entry struct{ name, path string }
	var entries []entry
	for _, d := range Dirs {
		root := filepath.Join(src.DataDir, d)
		err := filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipDir
			}
			if err != nil {
				return err
			}
			if !de.Type().IsRegular() {
				return nil
			}
			rel, err := filepath.Rel(src.DataDir, p)
			if err != nil {
				return err
			}
			// Half-written uploads are temporary files: leave them out.
			if strings.HasPrefix(de.Name(), ".") || strings.HasPrefix(de.Name(), "upload-") || strings.HasSuffix(de.Name(), ".tmp") {
				return nil
			}
			entries = append(entries, entry{filepath.ToSlash(rel), p})
			return nil
		})
		if err != nil {
			return m, fmt.Errorf("list %s: %w", d, err)
		}
	}
	m.Files = len(entries)
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	mb, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(mb)), ModTime: m.Created, Typeflag: tar.TypeReg}); err != nil {
		return m, err
	}
	if _, err := tw.Write(mb); err != nil {
		return m, err
	}
	if dbCopy != "" {
		entries = append([]entry{{DBFile, dbCopy}}, entries...)
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return m, err
		}
		n, err := addFile(tw, e.name, e.path)
		if err != nil {
			return m, fmt.Errorf("add %s: %w", e.name, err)
		}
		m.Bytes += n
	}
	if err := tw.Close(); err != nil {
		return m, err
	}
	return m, gz.Close()
}

func addFile(tw *tar.Writer, name, p string) (int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime(), Typeflag: tar.TypeReg}); err != nil {
		return 0, err
	}
	// Copy exactly the size in the header: a file that grows meanwhile
	// (it should not: files are written once) cannot break the archive.
	return io.CopyN(tw, f, st.Size())
}

// ErrNotEmpty is returned by Restore when the target directory has
// anything in it: a restore never mixes with or overwrites live data.
var ErrNotEmpty = errors.New("backup: the data directory is not empty")

// Restore unpacks a backup into dataDir, which must be missing or empty,
// and returns the archive's manifest. Entries are only regular files under
// the known names; anything else (absolute paths, "..", links) fails the
// restore.
func Restore(r io.Reader, dataDir string) (Manifest, error) {
	var m Manifest
	if des, err := os.ReadDir(dataDir); err == nil && len(des) > 0 {
		return m, ErrNotEmpty
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return m, err
	}
	gz, err := gzip.NewReader(r)
	if err != nil {
		return m, fmt.Errorf("not a backup archive: %w", err)
	}
	tr := tar.NewReader(gz)
	first := true
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return m, fmt.Errorf("read archive: %w", err)
		}
		if first {
			if h.Name != manifestName {
				return m, errors.New("not a Gongkai backup: no manifest")
			}
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return m, fmt.Errorf("read manifest: %w", err)
			}
			if m.Format != 1 {
				return m, fmt.Errorf("backup format %d is not supported", m.Format)
			}
			first = false
			continue
		}
		if h.Typeflag != tar.TypeReg || !allowed(h.Name) {
			return m, fmt.Errorf("unexpected entry %q in the archive", h.Name)
		}
		dst := filepath.Join(dataDir, filepath.FromSlash(h.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return m, err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if err != nil {
			return m, err
		}
		if _, err := io.CopyN(f, tr, h.Size); err != nil {
			f.Close()
			return m, fmt.Errorf("restore %s: %w", h.Name, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return m, err
		}
		if err := f.Close(); err != nil {
			return m, err
		}
	}
	if first {
		return m, errors.New("not a Gongkai backup: empty archive")
	}
	return m, nil
}

// allowed reports whether an archive entry may be restored: the database
// or a file under one of Dirs, with a clean relative path.
func allowed(name string) bool {
	if name == DBFile {
		return true
	}
	if path.Clean(name) != name || path.IsAbs(name) || strings.Contains(name, "..") || strings.Contains(name, "\\") {
		return false
	}
	top, rest, ok := strings.Cut(name, "/")
	if !ok || rest == "" {
		return false
	}
	for _, d := range Dirs {
		if top == d {
			return true
		}
	}
	return false
}

// Prune removes the oldest files named prefix*.tar.gz in dir so that keep
// remain, and returns the names removed. The names carry a sortable time
// stamp, so name order is age order.
func Prune(dir, prefix string, keep int) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, de := range des {
		if de.Type().IsRegular() && strings.HasPrefix(de.Name(), prefix) && strings.HasSuffix(de.Name(), ".tar.gz") {
			names = append(names, de.Name())
		}
	}
	// ReadDir sorts by name.
	var removed []string
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return removed, err
		}
		removed = append(removed, names[0])
		names = names[1:]
	}
	return removed, nil
}
