package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	data, out := filepath.Join(dir, "data"), filepath.Join(dir, "b.tar.gz")
	if code, _, errOut := run(t, nil, "", "demo", "--data", data); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	code, stdout, errOut := run(t, nil, "", "backup", "--data", data, "--out", out)
	if code != 0 || !strings.Contains(stdout, "backup written to") || !strings.Contains(stdout, "database sqlite") {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	if code, _, errOut := run(t, nil, "", "backup", "--data", data, "--out", out); code != exitUsage || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run(t, nil, "", "restore", "--data", data, out); code != exitUsage || !strings.Contains(errOut, "not empty") {
		t.Errorf("restore into the live data directory: exit %d, stderr %q", code, errOut)
	}
	code, stdout, errOut = run(t, nil, "", "restore", "--data", filepath.Join(dir, "restored"), out)
	if code != 0 || !strings.Contains(stdout, "audit trail intact") || !strings.Contains(stdout, "publication log intact") {
		t.Fatalf("restore: exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	if code, stdout, _ := run(t, nil, "", "audit", "verify", "--data", filepath.Join(dir, "restored")); code != 0 {
		t.Errorf("audit verify on the restored data: exit %d: %s", code, stdout)
	}
}
