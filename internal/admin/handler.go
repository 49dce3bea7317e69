// Package admin is the staff UI at /admin/ (Simplified Chinese): sign-in
// with two-factor authentication, the dashboard, organisations, columns,
// users and the audit trail. Handlers parse the request, call a domain
// service with the signed-in Actor, and render or redirect; permission
// checks live in the services.
package admin

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

//go:embed templates
var templateFiles embed.FS

// Reader is what the staff pages read for listings. *store.DB implements it.
type Reader interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	Org(ctx context.Context, id int64) (*org.Org, error)
	Columns(ctx context.Context, orgID int64) ([]org.Column, error)
	Column(ctx context.Context, id int64) (*org.Column, error)
	Users(ctx context.Context) ([]account.User, error)
	User(ctx context.Context, id int64) (*account.User, error)
	AuditRecords(ctx context.Context, f audit.Filter) ([]audit.Record, error)
}

// Config holds the staff UI's dependencies.
type Config struct {
	Log           *slog.Logger
	Reader        Reader
	Accounts      *account.Service
	Orgs          *org.Service
	Assets        *web.Assets
	SecureCookies bool
	Now           func() time.Time
	LoginLimit    *web.RateLimiter // per-address limit on sign-in posts; nil for a default
	Pub           PublishConfig    // items, reviews and attachments (issue 3)
	Apply         ApplyConfig      // disclosure on application (issue 5)
	Interact      InteractConfig   // public interaction and consultations (issue 7)
	Report        ReportConfig     // annual report and statistics (issue 8)
	Syndicate     SyndicateConfig  // site group: pushes to upper sites (issue 9)
	Inspect       InspectConfig    // site inspection (issue 10)
	Security      SecurityConfig   // security findings register (issue 10)
}

type handler struct {
	Config
	tmpl *web.Renderer
}

// New returns the staff UI, to be mounted at /admin/.
func New(cfg Config) (http.Handler, error) {
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	r, err := web.NewRenderer(sub, funcs(cfg.Assets))
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.LoginLimit == nil {
		cfg.LoginLimit = web.NewRateLimiter(30, 10*time.Second, cfg.Now)
	}
	h := &handler{Config: cfg, tmpl: r}
	mux := http.NewServeMux()
	h.routes(mux)
	return web.NoStore(mux), nil
}

// Templates parses the staff templates, for the template test.
func Templates(assets *web.Assets) (*web.Renderer, error) {
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	return web.NewRenderer(sub, funcs(assets))
}

type ctxKey int

const keyAuth ctxKey = 0

// auth is the signed-in user of a request.
type auth struct {
	user  *account.User
	sess  *account.Session
	token string
}

func authOf(r *http.Request) *auth {
	a, _ := r.Context().Value(keyAuth).(*auth)
	return a
}

// actor returns the signed-in user as an Actor, with the client address
// for the audit trail.
func actor(r *http.Request) account.Actor {
	a := authOf(r)
	if a == nil {
		return account.Actor{}
	}
	return account.ActorFor(a.user, web.ClientIP(r))
}

const sessionCookie = "gk_session"

func (h *handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/admin/", HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteStrictMode})
}

func (h *handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// stage says how far a session has come: pages beyond it redirect back.
type stage int

const (
	stageTOTP     stage = iota // password checked; second factor pending
	stagePassword              // must change an issued password
	stageFull
)

func sessionStage(a *auth) (stage, string) {
	if !a.sess.MFAOK && (a.user.TOTPSecret != "" || a.user.NeedsTOTP()) {
		if a.user.TOTPSecret == "" {
			return stageTOTP, "/admin/2fa/enrol"
		}
		return stageTOTP, "/admin/2fa"
	}
	if a.user.MustChangePassword {
		return stagePassword, "/admin/password"
	}
	return stageFull, ""
}

// page wraps a handler that needs a signed-in user who has reached at
// least stage min.
func (h *handler) page(min stage, fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		token := ""
		if err == nil {
			token = c.Value
		}
		u, sess, err := h.Accounts.Authenticate(r.Context(), token)
		if err != nil {
			if errors.Is(err, apperr.ErrUnauthenticated) {
				h.toLogin(w, r)
				return
			}
			h.fail(w, r, err)
			return
		}
		a := &auth{user: u, sess: sess, token: token}
		if st, where := sessionStage(a); st < min {
			http.Redirect(w, r, where, http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), keyAuth, a))
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// public wraps a handler that needs no session.
func (h *handler) public(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

func (h *handler) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	target := "/admin/login"
	if r.Method == http.MethodGet && next != "/admin/" && next != "/admin/login" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

type errorPage struct {
	web.Page
	Status  int
	Message string
	Auth    *auth
}

// fail is the one place that turns an error into a response.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, apperr.ErrUnauthenticated) {
		h.toLogin(w, r)
		return
	}
	status, msg := web.Status(err)
	if status >= 500 {
		h.Log.LogAttrs(r.Context(), slog.LevelError, "admin request",
			slog.String("request_id", web.RequestID(r)), slog.String("path", r.URL.Path), slog.Any("err", err))
	} else if status == http.StatusForbidden {
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "forbidden",
			slog.String("request_id", web.RequestID(r)), slog.Int64("user_id", actor(r).UserID), slog.Any("err", err))
	}
	h.ErrorPage(w, r, status, msg)
}

// ErrorPage renders the staff error page.
func (h *handler) ErrorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	titles := map[int]string{400: "请求有误", 401: "请先登录", 403: "无权访问", 404: "页面不存在", 409: "数据冲突", 422: "输入有误", 429: "操作过于频繁"}
	t := titles[status]
	if t == "" {
		t = "服务器错误"
	}
	p := errorPage{Page: web.Page{Title: t, RequestID: web.RequestID(r)}, Status: status, Message: msg, Auth: authOf(r)}
	if err := h.tmpl.Render(w, status, "error", p); err != nil {
		http.Error(w, msg, status)
	}
}

// base fills the common page fields.
func (h *handler) base(w http.ResponseWriter, r *http.Request, title string) basePage {
	return basePage{Page: web.Page{Title: title, Flash: web.TakeFlash(w, r), RequestID: web.RequestID(r), Path: r.URL.Path}, Auth: authOf(r)}
}

// basePage is embedded by every signed-in page.
type basePage struct {
	web.Page
	Auth *auth
}

// Me is the signed-in user, for the layout. (Not "User": pages about a
// user have a field of that name.)
func (p basePage) Me() *account.User {
	if p.Auth == nil {
		return nil
	}
	return p.Auth.user
}

// Can reports whether the signed-in user holds role anywhere, for menus.
func (p basePage) Can(role string) bool {
	if p.Auth == nil {
		return false
	}
	return account.ActorFor(p.Auth.user, "").HasRole(account.Role(role))
}

// redirect sends the browser on with 303 after a successful POST.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		web.SetFlash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// parseDate parses a YYYY-MM-DD date as the start of that day, China time.
func parseDate(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, time.FixedZone("CST", 8*3600))
}
