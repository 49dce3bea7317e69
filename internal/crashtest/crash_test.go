package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gongkai/internal/account"
)

// bin is the gongkai binary built once for the package's tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gongkai-crashtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "gongkai")
	build := exec.Command("go", "build", "-o", bin, "gongkai/cmd/gongkai")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build gongkai:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gongkai runs a command of the binary to its end.
func gongkai(t *testing.T, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GONGKAI_DATABASE_URL=")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("run gongkai %v: %v", args, err)
	}
	return 0, string(out)
}

// server is a running gongkai serve.
type server struct {
	cmd  *exec.Cmd
	base string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start serves data at addr and waits until it answers.
func start(t *testing.T, data, addr string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--log-level", "error")
	cmd.Env = append(os.Environ(), "GONGKAI_DATABASE_URL=")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("server did not start: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL: no shutdown, no checkpoint.
func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

// client is a signed-in user.
type client struct {
	c    *http.Client
	base *string
}

func newClient(base *string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) post(path string, form url.Values) (int, string, string, error) {
	res, err := c.c.PostForm(*c.base+path, form)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b), err
}

func (c *client) get(path string) (int, string, error) {
	res, err := c.c.Get(*c.base + path)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

var secretRe = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)

// login signs in, enrolling the second factor when asked.
func (c *client) login(t *testing.T, user, pw string) {
	t.Helper()
	st, loc, _, err := c.post("/admin/login", url.Values{"username": {user}, "password": {pw}})
	if err != nil || st != http.StatusSeeOther {
		t.Fatalf("login %s: %d %v", user, st, err)
	}
	if loc != "/admin/2fa/enrol" {
		return
	}
	_, page, err := c.get("/admin/2fa/enrol")
	m := secretRe.FindStringSubmatch(page)
	if err != nil || m == nil {
		t.Fatalf("enrol %s: no secret (%v)", user, err)
	}
	code, _ := account.TOTPCode(m[1], time.Now())
	if st, _, _, err := c.post("/admin/2fa/enrol", url.Values{"code": {code}}); err != nil || st != http.StatusSeeOther {
		t.Fatalf("enrol %s: %d %v", user, st, err)
	}
}

// credentials reads the demo passwords gongkai demo printed.
func credentials(out string) map[string]string {
	pw := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] != "USER" {
			pw[f[0]] = f[1]
		}
	}
	return pw
}

var (
	itemLocRe  = regexp.MustCompile(`^/admin/items/(\d+)$`)
	trackingRe = regexp.MustCompile(`YSQ\d{8}-\d{6}`)
	// The item form: the org is hidden, the column is chosen by name.
	orgFieldRe  = regexp.MustCompile(`name="org_id" value="(\d+)"`)
	noticeColRe = regexp.MustCompile(`<option value="(\d+)" [^>]*>[^<]*通知公告</option>`)
)

// acks collects what the server acknowledged.
type acks struct {
	mu        sync.Mutex
	published []string // item IDs whose publish request was answered 303
	created   []string // item IDs whose creation was answered 303
	apps      []string // tracking numbers of registrations answered 200
}

func (a *acks) add(list *[]string, v string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	*list = append(*list, v)
}

// TestKilledServerKeepsAcknowledgedWrites kills the server twice while
// items go through review to publication and applications are
// registered, and checks the data after each restart.
func TestKilledServerKeepsAcknowledgedWrites(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	code, out := gongkai(t, "demo", "--data", data)
	if code != 0 {
		t.Fatalf("demo: %d %s", code, out)
	}
	pw := credentials(out)
	addr := freeAddr(t)
	srv := start(t, data, addr)
	base := srv.base
	users := map[string]*client{}
	for _, u := range []string{"xinxiyuan", "kezhang", "baomi", "bangongshi", "yishenqing"} {
		users[u] = newClient(&base)
		users[u].login(t, u, pw[u])
	}
	var got acks
	bureauID := orgID(t, users["yishenqing"])

	for round := range 2 {
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					if !publishOne(users, &got, fmt.Sprintf("断电测试通知%d-%d-%d", round, w, i)) {
						return
					}
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				f := url.Values{"org_id": {bureauID}, "channel": {"in_person"}, "received_on": {time.Now().Format("2006-01-02")}, "kind": {"person"},
					"name": {"测试申请人"}, "id_type": {"passport"}, "id_number": {fmt.Sprintf("E%07d", round*100000+i)}, "phone": {"13800000003"},
					"description": {fmt.Sprintf("断电测试申请%d-%d", round, i)}, "form": {"paper"}, "way": {"pickup"}}
				// At a pace that keeps the applications within the dashboard's
				// 500 rows, which the check reads.
				time.Sleep(50 * time.Millisecond)
				st, _, body, err := users["yishenqing"].post("/admin/apply", f)
				if err != nil {
					return // the server is gone: this one was not acknowledged
				}
				if st == http.StatusOK && strings.Contains(body, "申请已登记") {
					if no := trackingRe.FindString(body); no != "" {
						got.add(&got.apps, no)
					}
				}
			}
		}()
		time.Sleep(1500 * time.Millisecond)
		srv.kill(t)
		stop()
		wg.Wait()
		got.mu.Lock()
		t.Logf("round %d: %d items created, %d published, %d applications acknowledged before the kill", round, len(got.created), len(got.published), len(got.apps))
		got.mu.Unlock()

		srv = start(t, data, addr)
		check(t, users, &got)
	}
	srv.kill(t)
	if code, out := gongkai(t, "audit", "verify", "--data", data); code != 0 {
		t.Errorf("audit verify after the kills: %d %s", code, out)
	}
	if len(got.published) == 0 || len(got.apps) == 0 {
		t.Errorf("the writers acknowledged %d publications and %d applications: the kill came too early to test anything", len(got.published), len(got.apps))
	}
}

func orgID(t *testing.T, c *client) string {
	t.Helper()
	_, page, err := c.get("/admin/apply/new")
	m := regexp.MustCompile(`<option value="(\d+)"[^>]*>随州市民政局</option>`).FindStringSubmatch(page)
	if err != nil || m == nil {
		t.Fatalf("bureau not offered on the registration form (%v)", err)
	}
	return m[1]
}

// publishOne takes one item from draft to the site; it reports false when
// the server stopped answering.
func publishOne(users map[string]*client, got *acks, title string) bool {
	f := url.Values{"title": {title}, "body": {"<p>" + title + "。</p>"}, "doc_no": {""}, "issuer": {"随州市民政局"},
		"topic": {"民政、扶贫、救灾"}, "genre": {"通知"}, "written_date": {"2026-02-27"}, "formed_date": {"2026-02-27"}, "disclosure": {"proactive"}}
	_, page, err := users["xinxiyuan"].get("/admin/items/new")
	if err != nil {
		return false
	}
	if m := orgFieldRe.FindStringSubmatch(page); m != nil {
		f.Set("org_id", m[1])
	}
	if m := noticeColRe.FindStringSubmatch(page); m != nil {
		f.Set("column_id", m[1])
	}
	st, loc, _, err := users["xinxiyuan"].post("/admin/items", f)
	if err != nil {
		return false
	}
	m := itemLocRe.FindStringSubmatch(loc)
	if st != http.StatusSeeOther || m == nil {
		return st != http.StatusUnprocessableEntity // a form the server refuses would loop
	}
	got.add(&got.created, m[1])
	for _, step := range []struct{ user, action string }{
		{"xinxiyuan", "submit"}, {"kezhang", "section-approve"}, {"baomi", "approve"}, {"bangongshi", "publish"},
	} {
		st, _, _, err := users[step.user].post(loc+"/"+step.action, nil)
		if err != nil {
			return false
		}
		if st != http.StatusSeeOther {
			return true
		}
	}
	got.add(&got.published, m[1])
	return true
}

// check verifies, on the restarted server, every acknowledged write and
// the integrity of what was half done.
func check(t *testing.T, users map[string]*client, got *acks) {
	t.Helper()
	got.mu.Lock()
	defer got.mu.Unlock()
	anon := newClient(users["xinxiyuan"].base)
	for _, id := range got.published {
		st, body, err := anon.get("/api/v1/items/" + id)
		if err != nil || st != http.StatusOK {
			t.Errorf("acknowledged publication of item %s: API answers %d %v", id, st, err)
			continue
		}
		if !strings.Contains(body, `"log"`) || strings.Contains(body, `"log":null`) {
			t.Errorf("published item %s has no publication log entry: %s", id, body)
		}
	}
	for _, id := range got.created {
		if st, _, err := users["xinxiyuan"].get("/admin/items/" + id); err != nil || st != http.StatusOK {
			t.Errorf("acknowledged item %s: %d %v", id, st, err)
		}
		// Whatever step the kill interrupted, an item is either public with
		// its log entry or not public at all.
		st, body, err := anon.get("/api/v1/items/" + id)
		if err != nil {
			t.Fatal(err)
		}
		if st == http.StatusOK && (!strings.Contains(body, `"log"`) || strings.Contains(body, `"log":null`)) {
			t.Errorf("item %s is public without its publication log entry", id)
		}
	}
	_, list, err := users["yishenqing"].get("/admin/apply?all=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, no := range got.apps {
		if !strings.Contains(list, no) {
			t.Errorf("acknowledged application %s is missing after the restart", no)
		}
	}
	// Every public item, acknowledged or not, is whole: on the site and in
	// the log with a proof.
	if len(got.published) > 0 {
		id := got.published[len(got.published)-1]
		state := filepath.Join(t.TempDir(), "verify.json")
		cmd := exec.Command(bin, "verify", "--server", *users["xinxiyuan"].base, "--item", id, "--state", state)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("gongkai verify --item %s after the restart: %v\n%s", id, err, out)
		}
	}
}
