package app_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/cli"
	"gongkai/internal/translog"
)

func (e *env) verify(args ...string) (int, string) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	code := cli.MainEnv(e.t.Context(), append([]string{"verify", "--server", e.srv.URL}, args...), strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	return code, out.String() + errOut.String()
}

// TestVerifyDetectsTampering publishes items, checks them with gongkai
// verify, then changes a published item in the database behind the
// application's back (verify reports the mismatch) and rewrites the log
// (the consistency check fails).
func TestVerifyDetectsTampering(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		_, id := e.sampleItems()
		state := filepath.Join(t.TempDir(), "verify.json")

		code, out := e.verify("--item", itoa(id), "--state", state)
		if code != 0 {
			t.Fatalf("first verify = %d:\n%s", code, out)
		}
		mustContain(t, "first verify", out, "No earlier checkpoint", "content matches log entry 0", "everything checked out")

		// The log grows; the new checkpoint extends the remembered one.
		_, id2 := e.sampleItems()
		code, out = e.verify("--item", itoa(id2), "--state", state)
		if code != 0 {
			t.Fatalf("second verify = %d:\n%s", code, out)
		}
		mustContain(t, "second verify", out, "Consistent with the checkpoint seen before (1 entries)", "everything checked out")

		// Someone edits the published text directly in the database.
		if err := e.app.DB.ExecForTest(ctx, `UPDATE item_versions SET body = ? WHERE item_id = ?`, "<p>悄悄改过的正文</p>", id); err != nil {
			t.Fatal(err)
		}
		code, out = e.verify("--item", itoa(id), "--state", state)
		if code != 1 {
			t.Fatalf("verify after editing the item = %d, want 1:\n%s", code, out)
		}
		mustContain(t, "verify after editing", out, "MISMATCH", "differs from what the log recorded", "verification FAILED")

		// Someone rewrites the log's history: entry 0 is replaced and every
		// stored hash recomputed, so the log is well formed but no longer
		// extends the one the verifier remembers.
		l0, err := e.app.DB.LogLeafAt(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		l1, err := e.app.DB.LogLeafAt(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := translog.ParseLeaf([]byte(l0.Text))
		if err != nil {
			t.Fatal(err)
		}
		forged.ContentHash = translog.Digest{1, 2, 3}
		second, err := translog.ParseLeaf([]byte(l1.Text))
		if err != nil {
			t.Fatal(err)
		}
		var m translog.MemStore
		a, err := m.Append(forged, second)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.DB.ExecForTest(ctx, `DELETE FROM translog_hashes`); err != nil {
			t.Fatal(err)
		}
		for i, h := range a.Hashes {
			if err := e.app.DB.ExecForTest(ctx, `INSERT INTO translog_hashes (idx, hash) VALUES (?, ?)`, a.HashStart+int64(i), h.String()); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.app.DB.ExecForTest(ctx, `UPDATE translog_leaves SET text = ? WHERE idx = 0`, string(a.Leaves[0])); err != nil {
			t.Fatal(err)
		}
		code, out = e.verify("--state", state)
		if code != 1 {
			t.Fatalf("verify after rewriting the log = %d, want 1:\n%s", code, out)
		}
		mustContain(t, "verify after rewriting", out, "MISMATCH", "rewritten", "verification FAILED")

		// A withdrawn item: its withdrawal is in the log (fresh state, as
		// the log above was rewritten).
		if err := e.app.Publish.Withdraw(ctx, e.actor("bangongshi"), id2, "测试撤回"); err != nil {
			t.Fatal(err)
		}
		code, out = e.verify("--item", itoa(id2), "--state", filepath.Join(t.TempDir(), "fresh.json"))
		if code != 0 {
			t.Fatalf("verify of a withdrawn item = %d:\n%s", code, out)
		}
		mustContain(t, "verify withdrawn", out, "was withdrawn", "is log entry 2")
		if code, out := e.verify("--item", "x"); code != 2 {
			t.Errorf("verify with a bad flag = %d, want 2:\n%s", code, out)
		}
	})
}

// TestLogEndpoints checks the public log endpoints' answers and errors.
func TestLogEndpoints(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.sampleItems()
		b := e.browser()
		r := b.get("/log/checkpoint")
		if r.status != 200 || !strings.HasPrefix(r.body, "gongkai.local/log\n1\n") || !strings.Contains(r.body, "— gongkai.local/log ") {
			t.Errorf("checkpoint = %d %q", r.status, r.body)
		}
		if r := b.get("/log/key"); r.status != 200 || !strings.HasPrefix(r.body, "gongkai.local/log+") {
			t.Errorf("key = %d %q", r.status, r.body)
		}
		if r := b.get("/log/leaf/0"); r.status != 200 || !strings.HasPrefix(r.body, "gongkai leaf v1\n") || !strings.Contains(r.body, "action publish\n") {
			t.Errorf("leaf 0 = %d %q", r.status, r.body)
		}
		if r := b.get("/log/"); r.status != 200 || !strings.Contains(r.body, "共 1 条记录") || !strings.Contains(r.body, "gongkai verify") {
			t.Errorf("log index = %d %q", r.status, r.body)
		}
		for path, want := range map[string]int{
			"/log/leaf/1": 404, "/log/leaf/-1": 404, "/log/proof/inclusion?index=0&size=1": 200, "/log/proof/inclusion?index=0&size=2": 404,
			"/log/proof/inclusion?index=x&size=1": 400, "/log/proof/consistency?old=0&new=1": 200, "/log/proof/consistency?old=2&new=1": 404, "/log/nothing": 404,
		} {
			if r := b.get(path); r.status != want {
				t.Errorf("GET %s = %d, want %d", path, r.status, want)
			}
		}
	})
}
