package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspectCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := run(t, nil, "", "demo", "--data", data); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	// The demo bureau has an empty column and no veto: exit 0.
	code, stdout, errOut := run(t, nil, "", "inspect", "--data", data, "--org", "42130021", "--json")
	if code != 0 {
		t.Fatalf("inspect: exit %d, stderr %q", code, errOut)
	}
	var out inspectJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("inspect --json output: %v\n%s", err, stdout)
	}
	if out.Failed || out.Pages == 0 || !strings.Contains(stdout, "empty_column") {
		t.Errorf("inspect --json = %+v", out)
	}
	if code, _, errOut := run(t, nil, "", "inspect", "--data", data, "--org", "nosuch"); code != exitUsage || !strings.Contains(errOut, "nosuch") {
		t.Errorf("unknown org: exit %d, stderr %q", code, errOut)
	}
}
