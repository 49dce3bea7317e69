package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// archive builds a .tar.gz with a valid manifest and the given entries.
func archive(t *testing.T, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	mb, _ := json.Marshal(Manifest{Format: 1, Database: "sqlite"})
	tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(mb)), Typeflag: tar.TypeReg})
	tw.Write(mb)
	for name, body := range entries {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func TestRestoreRefusesEntriesOutsideTheDataDirectory(t *testing.T) {
	tests := []struct {
		name  string
		entry string
		ok    bool
	}{
		{name: "database", entry: "gongkai.db", ok: true},
		{name: "published file", entry: "files/ab/abcdef", ok: true},
		{name: "applicant upload", entry: "private/abcdef", ok: true},
		{name: "parent directory", entry: "../evil", ok: false},
		{name: "climbing out of files", entry: "files/../../evil", ok: false},
		{name: "absolute path", entry: "/etc/passwd", ok: false},
		{name: "unknown directory", entry: "cache/x", ok: false},
		{name: "bare directory name", entry: "files", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			_, err := Restore(bytes.NewReader(archive(t, map[string]string{tt.entry: "x"})), dir)
			if (err == nil) != tt.ok {
				t.Fatalf("Restore with entry %q: err = %v, want ok=%v", tt.entry, err, tt.ok)
			}
			if tt.ok {
				if b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tt.entry))); err != nil || string(b) != "x" {
					t.Errorf("restored %s = %q, %v", tt.entry, b, err)
				}
			}
		})
	}
}

func TestPruneKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"gongkai-backup-20260101T010000Z.tar.gz", "gongkai-backup-20260102T010000Z.tar.gz", "gongkai-backup-20260103T010000Z.tar.gz", "other.tar.gz"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o600)
	}
	removed, err := Prune(dir, "gongkai-backup-", 2)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(removed, ",") != "gongkai-backup-20260101T010000Z.tar.gz" {
		t.Errorf("Prune removed %v, want the oldest only", removed)
	}
	if _, err := os.Stat(filepath.Join(dir, "other.tar.gz")); err != nil {
		t.Errorf("Prune removed a file that is not a backup: %v", err)
	}
}
