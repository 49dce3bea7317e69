package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const screenTestdata = "../screening/extract/testdata/"

// runScreenArgs runs "gongkai screen args..." with PDFium's compiled code
// cached in a directory shared by the test runs of this machine (and with
// the extract package's tests: compiling PDFium takes half a minute under
// the race detector).
func runScreenArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cache := filepath.Join(os.TempDir(), "gongkai-test-cache")
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string {
		if k == "XDG_CACHE_HOME" {
			return cache
		}
		return ""
	}}
	code = mainEnv(t.Context(), append([]string{"screen"}, args...), e)
	return code, out.String(), errOut.String()
}

// longDigits matches a run of digits long enough to be a full personal
// number; the CLI must only ever print masked excerpts.
var longDigits = regexp.MustCompile(`[0-9]{7,}`)

func TestScreenEachFileType(t *testing.T) {
	tests := []struct {
		file     string
		wantCode int
		// want are "kind@location" pairs that must be among the findings.
		want []string
	}{
		{"subsidy-list.xlsx", exitFailure, []string{"id_number@发放名单!C3", "mobile@发放名单!D3", "bank_card@发放名单!E22", "id_number@备用!B7"}},
		{"notice.docx", exitFailure, []string{"marking@页眉 第1段", "mobile@第2段", "id_number@表1第2行第2列", "bank_card@表1第4行第3列", "id_number@文本框 第16段", "mobile@页脚 第1段"}},
		{"recipients.pdf", exitFailure, []string{"id_number@第2页", "mobile@第2页"}},
		{"scanned.pdf", exitFailure, []string{"manual_review@"}},
		{"recipients-gbk.csv", exitFailure, []string{"id_number@第2行第3列", "mobile@第7行第4列"}},
		{"notice.html", exitFailure, []string{"marking@", "mobile@", "id_number@"}},
		{"notes.txt", exitFailure, []string{"mobile@第3行", "bank_card@第4行"}},
		{"district-map.png", exitFailure, []string{"map_without_approval@", "image_metadata@"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := screenTestdata + tt.file
			code, stdout, stderr := runScreenArgs(t, "--json", path)
			if code != tt.wantCode {
				t.Errorf("screen --json %s exit = %d, want %d (stderr %q)", tt.file, code, tt.wantCode, stderr)
			}
			got := map[string]bool{}
			sc := bufio.NewScanner(strings.NewReader(stdout))
			for sc.Scan() {
				var f screenFinding
				if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
					t.Fatalf("output line %q is not a JSON object: %v", sc.Text(), err)
				}
				if f.File != path || f.Severity == "" || f.Message == "" {
					t.Errorf("finding %+v lacks file, severity or message", f)
				}
				got[f.Kind+"@"+f.Location] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("screen --json %s: no finding %s; got %v", tt.file, w, got)
				}
			}
			if m := longDigits.FindString(stdout); m != "" {
				t.Errorf("screen output contains an unmasked number %q", m)
			}
		})
	}
}

func TestScreenExitStatus(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := write("clean.txt", "关于2024年政务公开工作要点的通知\n文号：随曾政办发〔2024〕3号\n")
	warn := write("warn.txt", "联系邮箱 zhangsan@example.com\n")
	binary := write("data.bin", "\x00\x01\x02\x03\x04binary\x00")
	words := write("words.txt", "# sensitive words\n政务公开\n")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // substring
		wantStderr string // substring; "" means empty
	}{
		{name: "nothing found", args: []string{clean}, wantCode: exitOK},
		{name: "warning only", args: []string{warn}, wantCode: exitOK, wantStdout: "z***@example.com"},
		{name: "blocking", args: []string{screenTestdata + "notes.txt"}, wantCode: exitFailure, wantStdout: "notes.txt\t第3行\tblocking\tmobile\t"},
		{name: "word list", args: []string{"--words", words, clean}, wantCode: exitOK, wantStdout: "sensitive_word\t政务公开"},
		{name: "unknown type", args: []string{binary}, wantCode: exitUsage, wantStderr: "无法识别的文件类型"},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.pdf")}, wantCode: exitUsage, wantStderr: "nope.pdf"},
		{name: "error wins over blocking", args: []string{screenTestdata + "notes.txt", binary}, wantCode: exitUsage, wantStdout: "mobile", wantStderr: "data.bin"},
		{name: "no files", args: nil, wantCode: exitUsage, wantStderr: "want at least one FILE"},
		{name: "bad word list", args: []string{"--words", filepath.Join(dir, "none.txt"), clean}, wantCode: exitUsage, wantStderr: "--words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runScreenArgs(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("screen %q exit = %d, want %d (stderr %q)", tt.args, code, tt.wantCode, stderr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("screen %q stdout = %q, want it to contain %q", tt.args, stdout, tt.wantStdout)
			}
			if tt.wantStderr == "" && stderr != "" || !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("screen %q stderr = %q, want %q", tt.args, stderr, tt.wantStderr)
			}
		})
	}
}
