package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongkai/internal/admin"
	"gongkai/internal/blob"
	"gongkai/internal/publish"
	"gongkai/internal/site"
	"gongkai/internal/translog"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// files returns the attachment store under the data directory. Without one
// (PostgreSQL and no --data) files go to a directory under the system's
// temporary directory, which is fine only for tests.
func (a *App) files() *blob.Local {
	dir := a.Config.DataDir
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "gongkai-data")
	}
	return blob.NewLocal(dir)
}

// publishAdmin is what the staff UI needs for items and reviews.
func (a *App) publishAdmin() admin.PublishConfig {
	return admin.PublishConfig{Service: a.Publish, Items: a.DB, Files: a.files(), Calendar: workday.Embedded(),
		Tokens: publish.NewTokens(a.DB), TokenList: a.DB, Findings: a.DB}
}

// limitBody caps request bodies at n bytes, except uploads of attachments
// and Word documents to an item, which may be as large as an attachment.
func limitBody(n int64) web.Middleware {
	small, large := web.LimitBody(n), web.LimitBody(publish.MaxAttachment+1<<20)
	return func(next http.Handler) http.Handler {
		s, l := small(next), large(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/admin/items/") &&
				(strings.HasSuffix(r.URL.Path, "/attachments") || strings.HasSuffix(r.URL.Path, "/import")) {
				l.ServeHTTP(w, r)
				return
			}
			s.ServeHTTP(w, r)
		})
	}
}

// publishSite is what the public site needs for items.
func (a *App) publishSite() site.ItemConfig {
	return site.ItemConfig{Items: a.DB, Files: a.files()}
}

// logOrigin names the publication log: the public host followed by /log,
// or a fixed default when no base URL is configured. The name is fixed
// into the signing key when the key is created; later changes of the base
// URL do not rename an existing log.
func logOrigin(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname() + "/log"
	}
	return "gongkai.local/log"
}

// publishRoutes mounts the publication log's public endpoints and the JSON
// API, creating the log's signing key on first start.
func (a *App) publishRoutes(mux *http.ServeMux) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	origin := logOrigin(a.Config.BaseURL)
	skey, vkey, err := a.DB.SigningKey(ctx, "translog", func() (string, string, error) { return translog.NewKey(origin) })
	if err != nil {
		return fmt.Errorf("publication log key: %w", err)
	}
	mux.Handle("GET /files/{sha}/{name}", site.Files(a.publishSite(), func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		http.Error(w, msg, status)
	}))
	mux.Handle("/log/", site.NewLog(site.LogConfig{Log: a.Log, Source: a.DB, SKey: skey, VKey: vkey}))
	staff := &site.StaffAPI{Tokens: publish.NewTokens(a.DB), Publish: a.Publish, Limit: web.NewRateLimiter(120, time.Minute, time.Now)}
	mux.Handle("/api/v1/", site.NewAPI(site.APIConfig{Log: a.Log, Reader: a.DB, Items: a.DB, BaseURL: a.Config.BaseURL, Staff: staff}))
	return nil
}
