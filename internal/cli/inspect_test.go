package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/org"
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

func TestInspectCommandExitsOneOnAVeto(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := run(t, nil, "", "demo", "--data", data); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	// Five more empty list columns make six: the 空白栏目 veto.
	a, err := app.New(t.Context(), config.Config{DataDir: data}, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bureau, err := a.DB.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		c := &org.Column{OrgID: bureau.ID, Kind: org.ColumnList, Slug: fmt.Sprintf("empty%d", i), Name: fmt.Sprintf("空栏目%d", i), Visible: true}
		if err := a.Orgs.CreateColumn(t.Context(), account.System("test"), c); err != nil {
			t.Fatal(err)
		}
	}
	a.Close()
	code, stdout, errOut := run(t, nil, "", "inspect", "--data", data, "--org", "42130021")
	if code != exitFailure || !strings.Contains(stdout, "单项否决 栏目不更新") || !strings.Contains(stdout, "空白栏目") {
		t.Errorf("inspect with six empty columns: exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
}
