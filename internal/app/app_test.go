package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/demo"
	"gongkai/internal/store/storetest"
)

// clock is a settable clock shared by the app and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running server with the demo site group loaded.
type env struct {
	t     *testing.T
	app   *app.App
	srv   *httptest.Server
	clock *clock
	pw    map[string]string // demo user name → password
}

// eachBackend runs fn on SQLite and, when configured, PostgreSQL, each
// with a fresh database holding the demo data.
func eachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")}))
	})
	t.Run("postgres", func(t *testing.T) {
		u := storetest.PostgresURL(t)
		t.Parallel()
		fn(t, newEnv(t, config.Config{DatabaseURL: storetest.CreateSchema(t, u), DataDir: filepath.Join(t.TempDir(), "data")}))
	})
}

func newEnv(t *testing.T, cfg config.Config) *env {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	ck := &clock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	a, err := app.New(t.Context(), cfg, app.Options{Now: ck.Now, HashParams: account.TestHashParams, Log: log})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	creds, err := demo.Load(t.Context(), a.DB, a.Orgs, a.Accounts)
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	// Served as Serve does: cached pages through the fast path. No
	// timeouts, as with httptest.NewServer: uploads of PDFs take over a
	// minute under the race detector.
	srv := httptest.NewUnstartedServer(a.Handler)
	srv.Listener = a.FastListener(srv.Listener, srv.Config)
	srv.Start()
	t.Cleanup(srv.Close)
	e := &env{t: t, app: a, srv: srv, clock: ck, pw: map[string]string{}}
	for _, c := range creds {
		e.pw[c.Username] = c.Password
	}
	return e
}

// testWriter sends server error logs to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type resp struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) resp {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body), header: res.Header}
}

func (b *browser) get(path string) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login signs in with the demo password and returns where it led.
func (b *browser) login(user string) resp {
	b.e.t.Helper()
	return b.post("/admin/login", url.Values{"username": {user}, "password": {b.e.pw[user]}})
}

// loginFull signs in and completes two-factor enrolment when required.
func (b *browser) loginFull(user string) {
	b.e.t.Helper()
	r := b.login(user)
	if r.status != http.StatusSeeOther {
		b.e.t.Fatalf("login %s: status %d, want 303", user, r.status)
	}
	switch r.location {
	case "/admin/":
	case "/admin/2fa/enrol":
		b.enrol()
	default:
		b.e.t.Fatalf("login %s: redirected to %s", user, r.location)
	}
}

var secretRe = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)

// enrol binds an authenticator and returns its secret.
func (b *browser) enrol() string {
	b.e.t.Helper()
	page := b.get("/admin/2fa/enrol")
	m := secretRe.FindStringSubmatch(page.body)
	if m == nil {
		b.e.t.Fatalf("enrol page shows no secret (status %d)", page.status)
	}
	code, _ := account.TOTPCode(m[1], b.e.clock.Now())
	r := b.post("/admin/2fa/enrol", url.Values{"code": {code}})
	if r.status != http.StatusSeeOther || r.location != "/admin/" {
		b.e.t.Fatalf("confirm enrolment: status %d location %q", r.status, r.location)
	}
	return m[1]
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

func mustNotContain(t *testing.T, what, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("%s contains %q", what, n)
		}
	}
}
