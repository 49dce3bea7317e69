package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReportAnnual(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, nil, "", "demo", "--data", dir); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	// The demo data gives the current year a full report (demo.LoadReport).
	year := fmt.Sprint(time.Now().Year())
	for _, format := range []string{"html", "json", "xlsx", "docx"} {
		out := filepath.Join(dir, "report."+format)
		code, _, errOut := run(t, nil, "", "report", "annual", "--data", dir, "--org", "42130021", "--year", year, "--format", format, "--out", out)
		if code != 0 {
			t.Fatalf("report annual --format %s: exit %d: %s", format, code, errOut)
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) < 1000 {
			t.Fatalf("%s: %d bytes, %v", out, len(data), err)
		}
		switch format {
		case "html":
			if !bytes.Contains(data, []byte("随州市民政局"+year+"年政府信息公开工作年度报告")) || !bytes.Contains(data, []byte("@page { size: A4")) {
				t.Errorf("html lacks title or A4 stylesheet")
			}
		case "json":
			var v struct {
				Values     map[string]string `json:"values"`
				Mismatches []any             `json:"mismatches"`
			}
			if err := json.Unmarshal(data, &v); err != nil || len(v.Values) == 0 {
				t.Errorf("json: %v, %d values", err, len(v.Values))
			}
			if v.Values["3.carried_in.total"] == "0" || v.Values["2.licensing"] != "126" || len(v.Mismatches) != 0 {
				t.Errorf("demo report is not full: carried in %s, licensing %s, mismatches %v",
					v.Values["3.carried_in.total"], v.Values["2.licensing"], v.Mismatches)
			}
		default:
			if !bytes.HasPrefix(data, []byte("PK")) {
				t.Errorf("%s is not a zip package", format)
			}
		}
	}
	code, out, _ := run(t, nil, "", "report", "annual", "--data", dir, "--org", "42130021", "--year", year, "--format", "json")
	if code != 0 || !strings.Contains(out, "三、收到和处理政府信息公开申请情况") {
		t.Errorf("json to stdout: exit %d", code)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", dir, "--year", "2026"}, "--org is required"},
		{[]string{"--data", dir, "--org", "42130021", "--format", "pdf"}, "--format"},
		{[]string{"--data", dir, "--org", "nope", "--year", "2026"}, "no org"},
		{[]string{"--data", dir, "--org", "42130021", "--year", "2017"}, "2021"},
	} {
		code, _, errOut := run(t, nil, "", append([]string{"report", "annual"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("report annual %v: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}
