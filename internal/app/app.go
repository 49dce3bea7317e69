// Package app wires Gongkai together: it opens the store, builds the domain
// services and the HTTP handlers, and serves them. The CLI and end-to-end
// tests use it; nothing else knows every part.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/admin"
	"gongkai/internal/apply"
	"gongkai/internal/captcha"
	"gongkai/internal/config"
	"gongkai/internal/inspect"
	"gongkai/internal/interact"
	"gongkai/internal/job"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/report/export"
	"gongkai/internal/screening/extract"
	"gongkai/internal/site"
	"gongkai/internal/store"
	"gongkai/internal/syndicate"
	"gongkai/internal/web"
)

// Options adjust what tests need to control.
type Options struct {
	Log        *slog.Logger
	Now        func() time.Time   // nil: time.Now
	HashParams account.HashParams // zero: account.DefaultHashParams
}

// App is a running Gongkai: its database, services and HTTP handler.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *store.DB
	Accounts *account.Service
	Orgs     *org.Service
	Publish  *publish.Service
	Metrics  *web.Metrics
	Handler  http.Handler
	// Jobs runs background work; features register their handlers and
	// periodic jobs on it in New. Serve runs it.
	Jobs *job.Runner
	// Pages caches rendered public pages; WatchCache keeps it current.
	Pages *site.PageCache
	// cachedPages finds cached pages for the fast path (web.FastPath).
	cachedPages web.FastPages
	// Prefetch reads ahead what public pages about to be requested show
	// (site.Prefetcher); the static export uses it.
	Prefetch func(ctx context.Context, paths []string) error
	// Apply handles disclosure on application (issue 5; app/apply.go).
	Apply   *apply.Service
	captcha *captcha.Service
	// privateDir keeps applicants' uploads, never served publicly.
	privateDir string
	// Interact handles public interaction (issue 7; app/interact.go).
	Interact *interact.Service
	// crawlHandler serves the site inspection's reads (issue 10).
	crawlHandler http.Handler
	// Syndicate pushes items to upper orgs' sites (issue 9; app/syndicate.go).
	Syndicate *syndicate.Service
	// Disclosures keeps units' required disclosures; a daily job records
	// reminders (app/syndicate.go).
	Disclosures *syndicate.Disclosures
	// Remote receives signed pushes from other installations.
	Remote *syndicate.Remote
	// extractor reads attachments for screening (issue 4; app/screening.go).
	extractor *extract.Extractor
}

// New opens and migrates the database and builds the handlers. The caller
// must Close the App.
func New(ctx context.Context, cfg config.Config, opts Options) (*App, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HashParams == (account.HashParams{}) {
		opts.HashParams = account.DefaultHashParams
	}
	db, err := store.Open(ctx, store.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Now: opts.Now})
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, v := range applied {
		opts.Log.Info("migration applied", slog.Int("version", v))
	}
	a := &App{Config: cfg, Log: opts.Log, DB: db, Metrics: web.NewMetrics()}
	a.Accounts = account.NewService(db, account.Config{Hasher: account.NewHasher(opts.HashParams, 4), Now: opts.Now, Issuer: "政务公开"})
	a.Orgs = org.NewService(db)
	a.Jobs = job.NewRunner(db, opts.Log, opts.Now)
	// Publishing (issue 3): the service, and scheduled publishing.
	a.Publish = publish.NewService(db, publish.Options{Screen: a.screenConfig()})
	db.SetTextSource(a.attachmentText)
	a.Jobs.Handle(publish.JobScheduled, a.Publish.RunScheduled)
	a.Syndicate = syndicate.NewService(db)
	if err := a.setupSyndicate(opts.Now); err != nil {
		db.Close()
		return nil, err
	}
	// Expired sessions are refused anyway; removing them keeps the table small.
	a.Jobs.Handle("sessions.cleanup", func(ctx context.Context, _ job.Job) error {
		n, err := db.DeleteExpiredSessions(ctx)
		if err == nil && n > 0 {
			opts.Log.Info("expired sessions removed", slog.Int64("count", n))
		}
		return err
	})
	if err := a.Jobs.Every("sessions.cleanup", time.Hour, nil); err != nil {
		db.Close()
		return nil, err
	}
	// The search index follows publishing: a direct update when one is
	// enqueued, and a sweep every minute for anything changed since.
	a.Jobs.Handle("search.index", func(ctx context.Context, j job.Job) error {
		var p struct {
			ItemID int64 `json:"item_id"`
		}
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			return fmt.Errorf("search.index payload: %v: %w", err, job.ErrPermanent)
		}
		return db.IndexItem(ctx, p.ItemID)
	})
	a.Jobs.Handle("search.sync", func(ctx context.Context, _ job.Job) error {
		_, err := db.SyncSearch(ctx)
		return err
	})
	if err := a.Jobs.Every("search.sync", time.Minute, nil); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.setupApply(ctx, opts.Now); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.setupInteract(opts.Now); err != nil {
		db.Close()
		return nil, err
	}
	// Daily backup with retention, site inspection (issue 10; app/backup.go, app/inspect.go).
	if err := a.setupBackup(); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.setupInspect(); err != nil {
		db.Close()
		return nil, err
	}
	if err := a.buildHandler(opts.Now); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) buildHandler(now func() time.Time) error {
	assets, err := web.NewAssets(web.StaticFS())
	if err != nil {
		return err
	}
	// The report's print stylesheet lives with the report export, which
	// embeds it in standalone documents; the staff pages link to it.
	assets.Add("report.css", []byte(export.PrintCSS))
	a.DB.RefreshCacheGen(context.Background())
	a.Pages = site.NewPageCache(64<<20, a.DB.CacheGen)
	siteH, err := site.New(site.Config{Apply: a.applySite(now), Log: a.Log, Reader: a.DB, Assets: assets, BaseURL: a.Config.BaseURL, Items: a.publishSite(),
		Interact: a.interactSite(now), Search: a.DB, Catalog: a.DB, Cache: a.Pages, Syndication: a.DB,
		Disclosures: a.DB, TemplateDir: a.templateDir(), SearchLimit: a.searchLimit()})
	if err != nil {
		return fmt.Errorf("build public site: %w", err)
	}
	adminH, err := admin.New(admin.Config{Apply: a.applyAdmin(), Log: a.Log, Reader: a.DB, Accounts: a.Accounts, Orgs: a.Orgs, Assets: assets,
		SecureCookies: a.Config.SecureCookies(), Now: now, Pub: a.publishAdmin(), Interact: a.interactAdmin(),
		Report: a.reportAdmin(), Inspect: admin.InspectConfig{Runs: a.DB},
		Security: admin.SecurityConfig{Service: inspect.NewFindings(a.DB, now), Reader: a.DB, Files: a.files(), Maps: mapSource{a}}, Syndicate: a.syndicateAdmin()})
	if err != nil {
		return fmt.Errorf("build admin: %w", err)
	}
	errorPage := site.PublicErrorPage(siteH)
	a.Prefetch = func(context.Context, []string) error { return nil }
	if p, ok := siteH.(site.Prefetcher); ok {
		a.Prefetch = p.Prefetch
	}
	if pages, ok := siteH.(web.FastPages); ok {
		a.cachedPages = fastPages{assets: assets, site: pages}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", http.HandlerFunc(a.healthz))
	mux.Handle("GET /metrics", privateOnly(a.Metrics.Handler(), errorPage))
	mux.Handle("GET /static/", assets)
	// security.txt (RFC 9116), when a contact is configured (app/security.go).
	mux.Handle("GET /.well-known/security.txt", a.securityTxt(now))
	mux.Handle("GET /favicon.ico", http.RedirectHandler(assets.Path("favicon.svg"), http.StatusMovedPermanently))
	// Publication log and JSON API (issue 3).
	if err := a.publishRoutes(mux); err != nil {
		return err
	}
	// Disclosure on application: JSON API (app/apply.go).
	mux.Handle("/api/v1/apply/", a.applyAPI(now))
	// Annual report: JSON API of final reports (app/report.go).
	mux.Handle("GET /api/v1/orgs/{code}/annual-report/{year}", site.NewReportAPI(a.Log, a.DB, web.NewRateLimiter(20, 3*time.Second, now)))
	// Site group: signed pushes from other installations (issue 9).
	mux.Handle("POST /api/v1/pushes", site.NewPushInbound(a.Log, a.Remote))
	mux.Handle("/admin/", adminH)
	mux.Handle("/admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently))
	mux.Handle("/", siteH)
	proxies, err := web.ParsePrefixes(a.Config.TrustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	a.Handler = web.Chain(mux,
		web.TrustProxies(proxies), // first: everything after sees the reader's address
		web.Observe(a.Log, a.Metrics),
		web.Recover(a.Log, errorPage),
		web.SecurityHeaders(a.Config.SecureCookies()),
		limitBody(2<<20),
		web.CrossOrigin(errorPage),
	)
	// The site inspection reads pages in-process; its thousands of reads
	// stay out of the request log and the metrics (app/inspect.go).
	a.crawlHandler = web.Chain(mux, web.Recover(a.Log, errorPage), web.SecurityHeaders(a.Config.SecureCookies()))
	return nil
}

// healthz answers 200 when the database answers, 503 otherwise.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := a.DB.Ping(ctx); err != nil {
		a.Log.LogAttrs(ctx, slog.LevelError, "health check", slog.Any("err", err))
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// privateOnly serves h only to clients on loopback or private networks,
// where monitoring systems live; the metrics are not for the public.
func privateOnly(h http.Handler, errorPage func(http.ResponseWriter, *http.Request, int, string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, err := netip.ParseAddr(web.ClientIP(r))
		if err != nil || !(ip.IsLoopback() || ip.IsPrivate()) {
			errorPage(w, r, http.StatusNotFound, "您访问的页面不存在或已被删除。")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// fastPages routes the fast path's lookups as mux does: /static/ to the
// assets, the rest to the site's page cache.
type fastPages struct{ assets, site web.FastPages }

func (f fastPages) CachedPage(host, target string, cookies []string) (web.FastPage, bool) {
	if strings.HasPrefix(target, "/static/") {
		return f.assets.CachedPage(host, target, cookies)
	}
	return f.site.CachedPage(host, target, cookies)
}

// FastListener wraps ln so that cached public pages are answered before
// net/http, on connections of its own (web.FastPath), with srv's
// timeouts; srv serves what the listener's Accept returns. Over TLS the
// fast path does not apply: net/http reads the TLS records.
func (a *App) FastListener(ln net.Listener, srv *http.Server) net.Listener {
	if a.cachedPages == nil {
		return ln
	}
	return (&web.FastPath{Pages: a.cachedPages, Log: a.Log, Metrics: a.Metrics, HSTS: a.Config.SecureCookies(),
		IdleTimeout: srv.IdleTimeout, HeaderTimeout: srv.ReadHeaderTimeout, WriteTimeout: srv.WriteTimeout}).Listen(ln)
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down
// gracefully: in-flight requests get up to Config.ShutdownWait to finish.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if !a.Config.TLS() {
		ln = a.FastListener(ln, srv)
	}
	errc := make(chan error, 1)
	go func() {
		if a.Config.TLS() {
			// The files are read once here; a renewed certificate needs a
			// restart (or a reverse proxy that reloads it).
			errc <- srv.ServeTLS(ln, a.Config.TLSCert, a.Config.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	go a.WatchCache(ctx)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		a.Jobs.Run(jobsCtx)
	}()
	select {
	case err := <-errc:
		stopJobs()
		<-jobsDone
		return err
	case <-ctx.Done():
	}
	stopJobs()
	<-jobsDone
	wait := a.Config.ShutdownWait
	if wait == 0 {
		wait = 20 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	a.Log.Info("shutting down", slog.Duration("wait", wait))
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// templateDir is where orgs' own public templates live: one directory
// per path prefix under <data>/templates; none without a data directory.
func (a *App) templateDir() string {
	if a.Config.DataDir == "" {
		return ""
	}
	return filepath.Join(a.Config.DataDir, "templates")
}

// WatchCache keeps the page cache's view of the database generation
// current until ctx ends: at once on PostgreSQL notifications from other
// nodes, and by polling every half second (SQLite, or a lost connection).
func (a *App) WatchCache(ctx context.Context) {
	a.DB.WatchCache(ctx, 500*time.Millisecond)
}

// Close stops the screening's PDF engine and closes the database.
func (a *App) Close() error {
	err := a.closeScreening()
	if dberr := a.DB.Close(); err == nil {
		err = dberr
	}
	return err
}

// searchLimit is the per-address limit on public searches (--search-rate).
func (a *App) searchLimit() *web.RateLimiter {
	switch {
	case a.Config.NoSearchLimit:
		return web.NoRateLimit()
	case a.Config.SearchRate > 0:
		return web.NewRateLimiter(30, time.Duration(float64(time.Second)/a.Config.SearchRate), nil)
	}
	return nil // the site's default
}
