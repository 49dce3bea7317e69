package site

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"gongkai/internal/apperr"
	"gongkai/internal/blob"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// ItemSource is what the item pages read. *store.DB implements it.
type ItemSource interface {
	Items(ctx context.Context, f publish.Filter) ([]publish.Listed, int, error)
	// ItemPages reads what the pages of many items show at once; an id
	// with no item is left out.
	ItemPages(ctx context.Context, ids []int64) (map[int64]*publish.ItemPage, error)
	PublicAttachment(ctx context.Context, sha string) (*publish.Attachment, error)
	ItemLeaves(ctx context.Context, itemID int64) ([]publish.LogEntry, error)
}

// ItemConfig holds what the item pages need.
type ItemConfig struct {
	Items ItemSource
	Files *blob.Local
}

func (h *handler) itemRoutes(mux *http.ServeMux) {
	mux.Handle("GET /item/{id}", h.wrap(h.item))
	mux.Handle("GET /files/{sha}/{name}", h.wrap(h.file))
}

// ItemURL is the address of an item on its org's site.
func (p page) ItemURL(id int64) string {
	if id < 0 {
		// An accepted push from another installation (site/syndicate.go).
		return p.Base + "/pushed/" + strconv.FormatInt(-id, 10)
	}
	return p.Base + "/item/" + strconv.FormatInt(id, 10)
}

// listing is a page of published items.
type listing struct {
	Rows    []publish.Listed
	Total   int
	Page    int
	Pages   int
	PrevURL string
	NextURL string
	// FirstURL and LastURL are set when the list has more than one page;
	// Near are the numbered pages around this one.
	FirstURL, LastURL string
	Near              []pageLink
	// JumpURL is where the go-to-page form sends ?page=N (it redirects to
	// the page's own address).
	JumpURL string
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

// perPage is how many items a column page lists.
const perPage = 20

// columnItems lists the published items of a column, newest first, paged
// by ?page=.
func (h *handler) columnItems(r *http.Request, sc *siteCtx, c org.Column) (listing, error) {
	var l listing
	if h.Items.Items == nil || (c.Kind != org.ColumnList && c.Kind != org.ColumnTopic) {
		if r.PathValue("n") != "" {
			return l, apperr.ErrNotFound
		}
		return l, nil
	}
	l.Page = 1
	if n := r.PathValue("n"); n != "" {
		var err error
		// Page 1 is the column's own address; a page beyond the last
		// does not exist, so a crawler never walks an endless list.
		if l.Page, err = strconv.Atoi(n); err != nil || l.Page < 2 || strconv.Itoa(l.Page) != n {
			return l, apperr.ErrNotFound
		}
	}
	rows, total, err := h.listColumn(r.Context(), sc.Org.ID, c.ID, perPage, (l.Page-1)*perPage)
	if err != nil {
		return l, err
	}
	l.Rows, l.Total, l.Pages = rows, total, (total+perPage-1)/perPage
	if l.Page > max(l.Pages, 1) {
		return l, apperr.ErrNotFound
	}
	// Further pages have addresses of their own, without a query
	// string, so a static export and crawlers reach every item by links.
	base := sc.Base + "/col/" + c.Slug + "/"
	pageURL := func(n int) string {
		if n <= 1 {
			return base
		}
		return base + "page/" + strconv.Itoa(n) + "/"
	}
	if l.Pages > 1 {
		l.FirstURL, l.LastURL, l.JumpURL = base, pageURL(l.Pages), base
		for n := max(1, l.Page-2); n <= min(l.Pages, l.Page+2); n++ {
			l.Near = append(l.Near, pageLink{N: n, URL: pageURL(n), Current: n == l.Page})
		}
	}
	if l.Page > 1 {
		l.PrevURL = pageURL(l.Page - 1)
	}
	if l.Page < l.Pages {
		l.NextURL = pageURL(l.Page + 1)
	}
	return l, nil
}

// latest lists the newest published items of a column, for the home page.
func (h *handler) latest(ctx context.Context, orgID, columnID int64, n int) ([]publish.Listed, error) {
	if h.Items.Items == nil {
		return nil, nil
	}
	rows, _, err := h.listColumn(ctx, orgID, columnID, n, 0)
	return rows, err
}

type attachmentView struct {
	publish.Attachment
	Type string
	Size string
	URL  string
}

type updateView struct {
	Date string
	Note string
}

type itemPage struct {
	page
	Item      *publish.Item
	Version   *publish.Version
	Body      template.HTML
	Atts      []attachmentView
	Updates   []updateView
	Column    *org.Column
	LeafIndex int64
	HasLeaf   bool
	Withdrawn bool
	// Source is the org the item comes from when it was pushed here.
	Source string
}

// item shows a published item with its catalog metadata. A withdrawn item
// shows only a notice that it was withdrawn (HTTP 410), never its content.
func (h *handler) item(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 || h.Items.Items == nil {
		return apperr.ErrNotFound
	}
	ctx := r.Context()
	d, err := h.itemData(ctx, id)
	if err != nil {
		return err
	}
	it := d.it
	// An item of another org is shown here only while its push here is
	// accepted and the original is public (issue 9, site/syndicate.go).
	pushedCol, pushed := int64(0), false
	if it.OrgID != sc.Org.ID {
		if pushedCol, pushed, err = h.pushedTo(ctx, sc, it); err != nil {
			return err
		}
		if !pushed {
			return fmt.Errorf("item %d is not shown on this site: %w", id, apperr.ErrNotFound)
		}
	}
	if it.Live == 0 {
		return fmt.Errorf("item %d is not public on this site: %w", id, apperr.ErrNotFound)
	}
	p := itemPage{page: newPage(r, sc, "已撤回"), Item: it}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}}
	if it.State == publish.StateWithdrawn {
		p.Withdrawn = true
		return h.tmpl.Render(w, http.StatusGone, "item", p)
	}
	v, atts, vs := d.version, d.atts, d.versions
	p.Title, p.Version, p.Body = v.Title, v, d.body
	for _, a := range atts {
		p.Atts = append(p.Atts, attachmentView{Attachment: a, Type: publish.TypeLabel(a.ContentType), Size: fileSize(a.Size),
			URL: p.Base + "/files/" + a.SHA256 + "/" + url.PathEscape(a.Name)})
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Number > 1 && !vs[i].PublishedAt.IsZero() && vs[i].Number <= it.Live {
			p.Updates = append(p.Updates, updateView{Date: publish.ChinaDate(vs[i].PublishedAt), Note: vs[i].ChangeNote})
		}
	}
	colID := v.ColumnID
	if pushed {
		colID = pushedCol
		p.Source = p.page.Source(publish.Listed{Item: *it})
		for i := range sc.Orgs {
			if sc.Orgs[i].ID == it.OrgID {
				p.Canonical = h.originalURL(r, &sc.Orgs[i], it.ID)
			}
		}
	}
	for i := range sc.Columns {
		if sc.Columns[i].ID == colID {
			c := sc.Columns[i]
			p.Column = &c
			for _, a := range ancestors(sc.Columns, c) {
				p.Crumbs = append(p.Crumbs, crumb{Name: a.Name, URL: p.ColURL(a)})
			}
			p.Current = ancestors(sc.Columns, c)[0].ID
		}
	}
	p.Crumbs = append(p.Crumbs, crumb{Name: "正文"})
	if leaves := d.leaves; len(leaves) > 0 {
		n := len(leaves)
		p.LeafIndex, p.HasLeaf = leaves[n-1].Index, true
	}
	return h.tmpl.Render(w, http.StatusOK, "item", p)
}

// itemData is what an item page shows from the database.
type itemData struct {
	gen      int64
	it       *publish.Item
	version  *publish.Version
	body     template.HTML
	atts     []publish.Attachment
	versions []publish.Version
	leaves   []publish.LogEntry
}

// itemMemo keeps the data of recently shown item pages for the cache
// generation it was read at: one item is shown at several addresses (its
// site's prefix, the default site, each script), each rendered apart, and
// the static export reads items ahead of their pages (Prefetch). The
// oldest are dropped first.
type itemMemo struct {
	mu    sync.Mutex
	items fifoMap[int64, *itemData] // guarded by mu
}

// itemMemoMax is how many items the memo keeps: the export reads at most
// prefetchMax ahead, and a live site's rush is on a few pages.
const itemMemoMax = 1000

func (m *itemMemo) get(gen, id int64) *itemData {
	m.mu.Lock()
	defer m.mu.Unlock()
	if d, _ := m.items.get(id); d != nil && d.gen == gen {
		return d
	}
	return nil
}

func (m *itemMemo) put(d *itemData) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items.put(d.it.ID, d)
}

// newItemData makes what a page shows of p; a public item whose live
// version is missing is not found.
func newItemData(gen int64, p *publish.ItemPage) (*itemData, error) {
	it := p.Item
	d := &itemData{gen: gen, it: &it}
	if it.Live > 0 && it.State != publish.StateWithdrawn {
		if p.Live == nil {
			return nil, fmt.Errorf("item %d has no version %d: %w", it.ID, it.Live, apperr.ErrNotFound)
		}
		d.version, d.atts, d.versions, d.leaves = p.Live, p.Atts, p.Versions, p.Leaves
		d.body = publish.BodyHTML(d.version, "")
	}
	return d, nil
}

// itemData reads what item id's page shows, through the memo when pages
// are cached (the generation then says when it is stale). The data is
// shared: callers must not change it.
func (h *handler) itemData(ctx context.Context, id int64) (*itemData, error) {
	var gen int64
	if h.Cache != nil {
		gen = h.Cache.gen()
		if d := h.items.get(gen, id); d != nil {
			return d, nil
		}
	}
	pages, err := h.Items.Items.ItemPages(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	p := pages[id]
	if p == nil {
		return nil, fmt.Errorf("item %d: %w", id, apperr.ErrNotFound)
	}
	d, err := newItemData(gen, p)
	if err != nil {
		return nil, err
	}
	if h.Cache != nil {
		h.items.put(d)
	}
	return d, nil
}

// Prefetcher reads ahead what pages about to be requested show; the
// handler New returns is one, and Export takes it as an option.
type Prefetcher interface {
	Prefetch(ctx context.Context, paths []string) error
}

// prefetchMax is the most items Prefetch reads at once.
const prefetchMax = 200

// Prefetch reads, in one go, the items whose pages are among paths
// (/item/N under any site prefix, in either script), so that rendering
// them costs no database reads: the static export calls it with the
// pages it is about to request. It does nothing when pages are not
// cached, and reads only items not already read at this generation.
func (h *handler) Prefetch(ctx context.Context, paths []string) error {
	if h.Cache == nil || h.Items.Items == nil {
		return nil
	}
	gen := h.Cache.gen()
	seen := map[int64]bool{}
	var ids []int64
	for _, p := range paths {
		id, ok := itemPathID(p)
		if !ok || seen[id] || h.items.get(gen, id) != nil {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
		if len(ids) == prefetchMax {
			break
		}
	}
	if len(ids) == 0 {
		return nil
	}
	pages, err := h.Items.Items.ItemPages(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if p := pages[id]; p != nil {
			if d, err := newItemData(gen, p); err == nil {
				h.items.put(d)
			}
		}
	}
	return nil
}

// itemPathID is N of a path ending in /item/N.
func itemPathID(p string) (int64, bool) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 || !strings.HasSuffix(p[:i], "/item") {
		return 0, false
	}
	id, err := strconv.ParseInt(p[i+1:], 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == p[i+1:]
}

// fileSize formats a size in bytes for people.
func fileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// file serves a published attachment (or an image in a published body) by
// its SHA-256, with its detected type and its name for downloading. Files
// of drafts and withdrawn items are not served.
func (h *handler) file(w http.ResponseWriter, r *http.Request) error {
	return serveFile(w, r, h.Items)
}

// Files serves published files at /files/{sha}/{name} for every site,
// whatever its host or prefix: bodies refer to their images there.
func Files(cfg ItemConfig, errorPage func(w http.ResponseWriter, r *http.Request, status int, msg string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := serveFile(w, r, cfg); err != nil {
			status, msg := web.Status(err)
			errorPage(w, r, status, msg)
		}
	})
}

func serveFile(w http.ResponseWriter, r *http.Request, cfg ItemConfig) error {
	if cfg.Items == nil || cfg.Files == nil {
		return apperr.ErrNotFound
	}
	a, err := cfg.Items.PublicAttachment(r.Context(), strings.ToLower(r.PathValue("sha")))
	if err != nil {
		return err
	}
	f, err := cfg.Files.Open(a.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	hd := w.Header()
	hd.Set("Content-Type", a.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	hd.Set("Cache-Control", "public, max-age=86400")
	disp := "attachment"
	if strings.HasPrefix(a.ContentType, "image/") || a.ContentType == "application/pdf" {
		disp = "inline"
	}
	hd.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": a.Name}))
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'")
	_, err = io.Copy(w, f)
	return err
}
