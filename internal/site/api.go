package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// APIConfig holds the JSON API's dependencies.
type APIConfig struct {
	Log     *slog.Logger
	Reader  Reader
	Items   ItemSource
	BaseURL string // public address; empty means the request's own
	// Staff, when set, serves the endpoints with which other systems
	// create and submit items using an API token (site/api_staff.go).
	Staff *StaffAPI
}

// NewAPI returns the JSON API, to be mounted at /api/v1/. The read
// endpoints serve published items only; see api/openapi.yaml.
func NewAPI(cfg APIConfig) http.Handler {
	a := &api{APIConfig: cfg}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/items", a.wrap(a.items))
	mux.Handle("GET /api/v1/items/{id}", a.wrap(a.item))
	mux.Handle("GET /api/v1/columns", a.wrap(a.columns))
	if cfg.Staff != nil {
		cfg.Staff.routes(mux, a)
	}
	mux.Handle("/api/", a.wrap(func(http.ResponseWriter, *http.Request) error { return apperr.ErrNotFound }))
	return mux
}

type api struct {
	APIConfig
}

// apiError is the body of every error answer. Log, for a withdrawn item,
// points to the leaf that records the withdrawal.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
	Log    *APILogRef        `json:"log,omitempty"`
}

func (a *api) wrap(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status, msg := web.Status(err)
		body := apiError{Error: msg}
		if inv, ok := apperr.AsInvalid(err); ok {
			body.Fields = inv.Fields
		}
		var gone *goneError
		if errors.As(err, &gone) {
			status, body.Error, body.Log = http.StatusGone, "该信息已撤回", gone.log
		}
		if status >= 500 {
			a.Log.LogAttrs(r.Context(), slog.LevelError, "api request", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
		}
		writeJSON(w, status, body)
	})
}

type goneError struct {
	id  int64
	log *APILogRef
}

func (e *goneError) Error() string { return "item " + strconv.FormatInt(e.id, 10) + " withdrawn" }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// APIItem is an item as the JSON API serves it. Title, Body and Metadata
// are byte for byte what the publication log hashed (publish.PublicContent),
// so a verifier can recompute the content hash from them and the
// attachments' SHA-256.
type APIItem struct {
	ID          int64             `json:"id"`
	Org         string            `json:"org"`
	URL         string            `json:"url"`
	Column      string            `json:"column"`
	Title       string            `json:"title"`
	Body        string            `json:"body,omitempty"`
	Metadata    map[string]string `json:"metadata"`
	Attachments []APIAttachment   `json:"attachments"`
	PublishedAt time.Time         `json:"published_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Log         *APILogRef        `json:"log,omitempty"`
}

// APIAttachment is an attachment of a published item.
type APIAttachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
}

// APILogRef points to the item's latest leaf in the publication log.
type APILogRef struct {
	Index int64  `json:"index"`
	Leaf  string `json:"leaf"`
}

// base returns the public address of an org's site.
func (a *api) base(r *http.Request, o *org.Org) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if o != nil && o.Site.Host != "" {
		if strings.HasPrefix(a.BaseURL, "https://") {
			scheme = "https"
		}
		return scheme + "://" + o.Site.Host
	}
	root := a.BaseURL
	if root == "" {
		root = scheme + "://" + r.Host
	}
	if o == nil {
		return root
	}
	return root + "/" + o.Site.PathPrefix
}

func (a *api) orgs(ctx context.Context) (map[int64]*org.Org, []org.Org, error) {
	orgs, err := a.Reader.Orgs(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]*org.Org{}
	for i := range orgs {
		byID[orgs[i].ID] = &orgs[i]
	}
	return byID, orgs, nil
}

// view is an item as the API serves it; with page (what the item's page
// shows), also its body, attachments and log reference.
func (a *api) view(r *http.Request, o *org.Org, l publish.Listed, page *publish.ItemPage) (APIItem, error) {
	it, v := &l.Item, &l.Version
	base := a.base(r, o)
	out := APIItem{ID: it.ID, Org: it.OrgCode, URL: base + "/item/" + strconv.FormatInt(it.ID, 10), Title: v.Title,
		Metadata: publish.PublicMetadata(it, v), PublishedAt: it.FirstPublishedAt, UpdatedAt: it.LastPublishedAt, Attachments: []APIAttachment{}}
	cols, err := a.Reader.Columns(r.Context(), it.OrgID)
	if err != nil {
		return out, err
	}
	for _, c := range cols {
		if c.ID == v.ColumnID {
			out.Column = c.Slug
		}
	}
	if page == nil {
		return out, nil
	}
	out.Body = v.Body
	for _, at := range page.Atts {
		out.Attachments = append(out.Attachments, APIAttachment{Name: at.Name, ContentType: at.ContentType, Size: at.Size, SHA256: at.SHA256,
			URL: base + "/files/" + at.SHA256 + "/" + at.Name})
	}
	if n := len(page.Leaves); n > 0 {
		out.Log = &APILogRef{Index: page.Leaves[n-1].Index, Leaf: "/log/leaf/" + strconv.FormatInt(page.Leaves[n-1].Index, 10)}
	}
	return out, nil
}

type itemList struct {
	Items   []APIItem `json:"items"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
}

// items lists published items, newest first. Filters: org (code), column
// (slug, with org), topic, genre, validity, q (title, index or document
// number); paging: page, per_page (at most 100).
func (a *api) items(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	byID, orgs, err := a.orgs(r.Context())
	if err != nil {
		return err
	}
	f := publish.Filter{Public: true, Topic: q.Get("topic"), Genre: q.Get("genre"), Validity: publish.Validity(q.Get("validity")), Query: strings.TrimSpace(q.Get("q"))}
	if code := q.Get("org"); code != "" {
		var found *org.Org
		for i := range orgs {
			if orgs[i].Code == code {
				found = &orgs[i]
			}
		}
		if found == nil {
			return apperr.Invalidf("org", "unknown org code")
		}
		f.OrgIDs = []int64{found.ID}
		if slug := q.Get("column"); slug != "" {
			cols, err := a.Reader.Columns(r.Context(), found.ID)
			if err != nil {
				return err
			}
			for _, c := range cols {
				if c.Slug == slug && c.Visible {
					f.ColumnID = c.ID
				}
			}
			if f.ColumnID == 0 {
				return apperr.Invalidf("column", "unknown column")
			}
		}
	} else if q.Get("column") != "" {
		return apperr.Invalidf("column", "column needs org")
	}
	page, _ := strconv.Atoi(q.Get("page"))
	per, _ := strconv.Atoi(q.Get("per_page"))
	page, per = max(page, 1), min(max(per, 0), 100)
	if per == 0 {
		per = 20
	}
	f.Limit, f.Offset = per, (page-1)*per
	rows, total, err := a.Items.Items(r.Context(), f)
	if err != nil {
		return err
	}
	out := itemList{Items: []APIItem{}, Total: total, Page: page, PerPage: per}
	for _, l := range rows {
		v, err := a.view(r, byID[l.Item.OrgID], l, nil)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, v)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// item serves one published item with its body, metadata, attachments and
// log reference. A withdrawn item answers 410.
func (a *api) item(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.ErrNotFound
	}
	// One read for the item, its live version, attachments and log
	// entries, as its page reads them.
	pages, err := a.Items.ItemPages(r.Context(), []int64{id})
	if err != nil {
		return err
	}
	p := pages[id]
	if p == nil || p.Item.Live == 0 {
		return apperr.ErrNotFound
	}
	it := &p.Item
	if it.State == publish.StateWithdrawn {
		g := &goneError{id: id}
		if leaves, err := a.Items.ItemLeaves(r.Context(), id); err == nil && len(leaves) > 0 {
			last := leaves[len(leaves)-1]
			g.log = &APILogRef{Index: last.Index, Leaf: "/log/leaf/" + strconv.FormatInt(last.Index, 10)}
		}
		return g
	}
	if p.Live == nil {
		return fmt.Errorf("item %d has no version %d: %w", id, it.Live, apperr.ErrNotFound)
	}
	byID, _, err := a.orgs(r.Context())
	if err != nil {
		return err
	}
	out, err := a.view(r, byID[it.OrgID], publish.Listed{Item: *it, Version: *p.Live}, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// APIColumn is a column as the JSON API serves it.
type APIColumn struct {
	Org    string `json:"org"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Parent string `json:"parent,omitempty"`
	URL    string `json:"url"`
}

// columns lists the visible columns of every org, or of the org given by
// code.
func (a *api) columns(w http.ResponseWriter, r *http.Request) error {
	_, orgs, err := a.orgs(r.Context())
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("org")
	out := struct {
		Columns []APIColumn `json:"columns"`
	}{Columns: []APIColumn{}}
	for i := range orgs {
		o := &orgs[i]
		if code != "" && o.Code != code {
			continue
		}
		cols, err := a.Reader.Columns(r.Context(), o.ID)
		if err != nil {
			return err
		}
		slugs := map[int64]string{}
		for _, c := range cols {
			slugs[c.ID] = c.Slug
		}
		for _, n := range org.Flatten(org.Tree(cols)) {
			if !visibleChain(cols, n.Column) {
				continue
			}
			out.Columns = append(out.Columns, APIColumn{Org: o.Code, Slug: n.Slug, Name: n.Name, Kind: string(n.Kind), Parent: slugs[n.ParentID],
				URL: a.base(r, o) + "/col/" + n.Slug + "/"})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
