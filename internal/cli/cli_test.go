package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/store"
)

// run runs the CLI in-process with the given environment variables.
func run(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	code = MainEnv(t.Context(), args, strings.NewReader(stdin), &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

func TestHelpExplainsEveryCommandAndFlag(t *testing.T) {
	code, out, _ := run(t, nil, "", "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not mention %s", c.name)
		}
	}
	code, out, _ = run(t, nil, "", "serve", "-h")
	if code != 0 {
		t.Fatalf("serve -h exit %d", code)
	}
	for _, want := range []string{"-addr", "GONGKAI_ADDR", "127.0.0.1:8080", "-data", "GONGKAI_DATA", "-database-url", "GONGKAI_DATABASE_URL", "-base-url", "GONGKAI_BASE_URL", "-demo"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve -h does not mention %s", want)
		}
	}
	for _, sub := range [][]string{{"user", "-h"}, {"user", "add", "-h"}, {"org", "add", "-h"}, {"audit", "-h"}, {"demo", "-h"}, {"migrate", "-h"}, {"help", "org"}} {
		if code, out, _ := run(t, nil, "", sub...); code != 0 || out == "" {
			t.Errorf("%v: exit %d, output %q", sub, code, out)
		}
	}
}

func TestBadInputExitsTwoWithOneLine(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"unknown command", nil, []string{"frobnicate"}, "unknown command"},
		{"unknown flag", nil, []string{"serve", "--nope"}, "flag provided but not defined"},
		{"bad address", nil, []string{"serve", "--addr", "nonsense", "--data", "x"}, "--addr"},
		{"bad database URL scheme", nil, []string{"migrate", "--database-url", "mysql://x"}, "postgres://"},
		{"unreachable database", nil, []string{"migrate", "--database-url", "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2"}, "open database"},
		{"bad variable", map[string]string{"GONGKAI_LOG_LEVEL": "loud"}, []string{"serve", "--data", "x"}, "--log-level"},
		{"unknown role", nil, []string{"user", "add", "--org", "X", "--roles", "king", "bob"}, "未知角色"},
		{"unknown user subcommand", nil, []string{"user", "rename"}, "unknown subcommand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.vars, "", tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "secret") {
				t.Errorf("stderr leaks a stack trace or a password: %q", stderr)
			}
		})
	}
}

func TestOrgUserAndAuditCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	vars := map[string]string{"GONGKAI_DATA": dir}
	mustRun := func(want int, stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := run(t, vars, stdin, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, want, out, errOut)
		}
		return out + errOut
	}
	mustRun(0, "", "migrate")
	mustRun(0, "", "org", "add", "--code", "42130000", "--name", "随州市人民政府", "--prefix", "szf")
	mustRun(0, "", "org", "add", "--code", "42130021", "--name", "随州市民政局", "--prefix", "mzj", "--parent", "42130000", "--default")
	if out := mustRun(2, "", "org", "add", "--code", "42130021", "--name", "重复", "--prefix", "dup"); !strings.Contains(out, "机构代码“42130021”已被“随州市民政局”使用") {
		t.Errorf("duplicate org code message: %s", out)
	}
	if out := mustRun(2, "", "org", "add", "--code", "9", "--name", "", "--prefix", "admin"); !strings.Contains(out, "请填写机构全称") || !strings.Contains(out, "系统保留") {
		t.Errorf("invalid org messages: %s", out)
	}
	if out := mustRun(0, "", "org", "list"); out != "42130000\t随州市人民政府\n42130021\t随州市民政局\n" {
		t.Errorf("org list = %q", out)
	}
	out := mustRun(0, "", "user", "add", "--org", "42130021", "--roles", "officer,handler", "--name", "李信息", "li")
	if !regexp.MustCompile(`temporary password .*: \S{14}`).MatchString(out) {
		t.Errorf("user add output %q shows no generated password", out)
	}
	if out := mustRun(2, "", "user", "add", "--org", "42130021", "--roles", "officer", "LI"); !strings.Contains(out, "用户名“li”已存在") {
		t.Errorf("duplicate user message: %s", out)
	}
	mustRun(0, "Strong-Pass-2026\n", "user", "passwd", "--password-stdin", "li")
	if out := mustRun(2, "weak\n", "user", "passwd", "--password-stdin", "li"); !strings.Contains(out, "密码至少10位") {
		t.Errorf("weak password message: %s", out)
	}
	mustRun(0, "", "user", "disable", "li")
	if out := mustRun(0, "", "user", "list"); !strings.Contains(out, "officer@42130021") || !strings.Contains(out, "disabled") {
		t.Errorf("user list = %q", out)
	}
	if out := mustRun(0, "", "audit", "verify"); !strings.Contains(out, "intact") {
		t.Errorf("audit verify = %q", out)
	}
	// Tamper with one record: verify names it and exits 1.
	db, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(t.Context(), `UPDATE audit_log SET actor_name = 'someone-else' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if out := mustRun(1, "", "audit", "verify"); !strings.Contains(out, "BROKEN at record 3") {
		t.Errorf("audit verify after tampering = %q", out)
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	flagDir := filepath.Join(t.TempDir(), "flag")
	envDir := filepath.Join(t.TempDir(), "env")
	code, _, errOut := run(t, map[string]string{"GONGKAI_DATA": envDir}, "", "migrate", "--data", flagDir)
	if code != 0 {
		t.Fatalf("migrate exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(flagDir, "gongkai.db")); err != nil {
		t.Errorf("database not created in the --data directory: %v", err)
	}
	if _, err := os.Stat(envDir); err == nil {
		t.Errorf("GONGKAI_DATA was used although --data was given")
	}
}

// syncBuffer is a bytes.Buffer safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeDemoAndGracefulShutdown(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- MainEnv(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", dir}, strings.NewReader(""), &out, &errOut,
			func(string) string { return "" })
	}()
	addrRe := regexp.MustCompile(`serving on (http://[0-9.:]+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("server did not start: %s %s", out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "bangongshi") {
		t.Errorf("demo passwords not printed: %s", out.String())
	}
	res, err := httpGet(base + "/")
	if err != nil || !strings.Contains(res, "领导班子") {
		t.Fatalf("GET / = %v %.200s", err, res)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exit %d: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	// The database was closed cleanly: its WAL was checkpointed away.
	if fi, err := os.Stat(filepath.Join(dir, "gongkai.db-wal")); err == nil && fi.Size() > 0 {
		t.Errorf("WAL left with %d bytes after shutdown", fi.Size())
	}
	// Starting again on the same data does not load the demo twice.
	code, o2, e2 := run(t, nil, "", "demo", "--data", dir)
	if code != 1 || !strings.Contains(e2, "already has organisations") {
		t.Errorf("demo on a loaded database = %d %q %q", code, o2, e2)
	}
}

func TestJobsCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	vars := map[string]string{"GONGKAI_DATA": dir}
	if code, _, e := run(t, vars, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	db, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(t.Context(), `INSERT INTO jobs (kind, state, run_at, last_error, created_at, updated_at) VALUES ('report.build', 'failed', '2026-01-01T00:00:00.000000Z', 'disk full', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, _ := run(t, vars, "", "jobs", "list", "--state", "failed")
	if code != 0 || !strings.Contains(out, "report.build") || !strings.Contains(out, "disk full") {
		t.Fatalf("jobs list = %d %q", code, out)
	}
	if code, _, e := run(t, vars, "", "jobs", "retry", "1"); code != 0 {
		t.Fatalf("jobs retry = %d %s", code, e)
	}
	if code, out, _ := run(t, vars, "", "jobs", "list", "--state", "pending"); code != 0 || !strings.Contains(out, "report.build") {
		t.Errorf("retried job not pending: %q", out)
	}
	if code, _, e := run(t, vars, "", "jobs", "retry", "1"); code != 1 || !strings.Contains(e, "pending") {
		t.Errorf("retry of a pending job = %d %q, want 1 and a reason", code, e)
	}
	if code, _, _ := run(t, vars, "", "jobs", "cancel", "1"); code != 0 {
		t.Errorf("cancel failed")
	}
	if code, _, _ := run(t, vars, "", "jobs", "cancel", "99"); code != 2 {
		t.Errorf("cancel of a missing job = %d, want 2", code)
	}
}
