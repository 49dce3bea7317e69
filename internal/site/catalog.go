package site

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/catalog"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// CatalogSource reads the disclosure catalog. *store.DB implements it.
type CatalogSource interface {
	Catalog(ctx context.Context, f catalog.Filter) ([]catalog.Row, int, error)
	CatalogFacets(ctx context.Context, orgID int64) (catalog.Facets, error)
	SitemapItems(ctx context.Context, orgID int64, limit int) ([]catalog.Row, error)
}

func (h *handler) catalogRoutes(mux *http.ServeMux) {
	mux.Handle("GET /catalog", h.wrap(h.catalogPage))
	// The catalog by one facet, and its further pages, have addresses of
	// their own, so a static mirror (gongkai export) holds them too.
	mux.Handle("GET /catalog/page/{n}/{$}", h.wrap(h.catalogPage))
	mux.Handle("GET /catalog/{dim}/{value}/{$}", h.wrap(h.catalogPage))
	mux.Handle("GET /catalog/{dim}/{value}/page/{n}/{$}", h.wrap(h.catalogPage))
	mux.Handle("GET /catalog.csv", h.wrap(h.catalogExport))
	mux.Handle("GET /catalog.xlsx", h.wrap(h.catalogExport))
	mux.Handle("GET /feed.xml", h.wrap(h.feed))
	mux.Handle("GET /col/{slug}/feed.xml", h.wrap(h.feed))
	mux.Handle("GET /sitemap.xml", h.wrap(h.sitemap))
}

// catalogFilter reads the catalog's filters from the query string.
func catalogFilter(r *http.Request, orgID int64) catalog.Filter {
	q := r.URL.Query()
	f := catalog.Filter{OrgID: orgID, Topic: q.Get("topic"), Genre: q.Get("genre"), Issuer: q.Get("issuer"), Validity: q.Get("validity")}
	switch f.Validity {
	case "", "valid", "expired", "repealed":
	default:
		f.Validity = ""
	}
	f.Year, _ = strconv.Atoi(q.Get("year"))
	return f
}

// catalogDims are the facets the catalog is browsed by, in the order the
// page lists them, with the filter value each sets.
var catalogDims = []struct {
	Dim, Label string
	get        func(f catalog.Filter) string
	set        func(f *catalog.Filter, v string) bool
}{
	{"topic", "主题分类", func(f catalog.Filter) string { return f.Topic }, func(f *catalog.Filter, v string) bool { f.Topic = v; return true }},
	{"genre", "体裁", func(f catalog.Filter) string { return f.Genre }, func(f *catalog.Filter, v string) bool { f.Genre = v; return true }},
	{"issuer", "发布机构", func(f catalog.Filter) string { return f.Issuer }, func(f *catalog.Filter, v string) bool { f.Issuer = v; return true }},
	{"year", "发布年份", func(f catalog.Filter) string {
		if f.Year == 0 {
			return ""
		}
		return strconv.Itoa(f.Year)
	}, func(f *catalog.Filter, v string) bool {
		y, err := strconv.Atoi(v)
		f.Year = y
		return err == nil && strconv.Itoa(y) == v
	}},
	{"validity", "有效性", func(f catalog.Filter) string { return f.Validity }, func(f *catalog.Filter, v string) bool { f.Validity = v; return true }},
}

// facetLink is one value to browse the catalog by.
type facetLink struct {
	Label, URL string
	Current    bool
}

// facetGroup is a facet and its values.
type facetGroup struct {
	Label string
	Links []facetLink
}

type catalogPage struct {
	page
	All    bool // the catalog of the whole site group below this org
	Filter catalog.Filter
	Facets catalog.Facets
	Browse []facetGroup // every facet value, each with its address
	Rows   []catalog.Row
	Total  int
	PageNo int
	Pages  int
	Query  string // the filters as a query string, for export and paging links
}

// PageURL is the address of another page of the catalog: by path when
// at most one facet is chosen, by query string otherwise.
func (p catalogPage) PageURL(n int) string {
	if dir, ok := catalogPath(p.Filter, p.All); ok {
		if n > 1 {
			dir += "page/" + strconv.Itoa(n) + "/"
		}
		return p.Base + dir
	}
	return p.Base + "/catalog?" + p.Query + "&page=" + strconv.Itoa(n)
}

// catalogPath is the path of the catalog filtered by f, below the site
// base, when f chooses at most one facet and its value fits in a path
// segment.
func catalogPath(f catalog.Filter, all bool) (string, bool) {
	if all {
		return "", false
	}
	var dim, value string
	for _, d := range catalogDims {
		if v := d.get(f); v != "" {
			if dim != "" {
				return "", false
			}
			dim, value = d.Dim, v
		}
	}
	if dim == "" {
		return "/catalog/", true
	}
	if strings.Contains(value, "/") || value == "." || value == ".." {
		return "", false
	}
	return "/catalog/" + dim + "/" + url.PathEscape(value) + "/", true
}

// browse lists every facet value with its address.
func (p *catalogPage) browse() {
	values := facetValues(p.Facets)
	for _, d := range catalogDims {
		g := facetGroup{Label: d.Label}
		for _, v := range values[d.Dim] {
			var f catalog.Filter
			d.set(&f, v)
			label := valueLabel(d.Dim, v)
			dir, ok := catalogPath(f, false)
			if !ok {
				dir = "/catalog?" + filterQuery(f)
			}
			same := true
			for _, d := range catalogDims {
				same = same && d.get(p.Filter) == d.get(f)
			}
			g.Links = append(g.Links, facetLink{Label: label, URL: p.Base + dir, Current: !p.All && same})
		}
		if len(g.Links) > 0 {
			p.Browse = append(p.Browse, g)
		}
	}
}

// Validity is the validity in Chinese, for the template.
func (p catalogPage) Validity(v string) string { return catalog.ValidityLabel(v) }

// valueLabel is a facet value as readers see it.
func valueLabel(dim, v string) string {
	switch dim {
	case "year":
		return v + "年"
	case "validity":
		return catalog.ValidityLabel(v)
	}
	return v
}

// facetLabel names a facet and its value: 体裁：办事指南.
func facetLabel(dim, v string) string {
	for _, d := range catalogDims {
		if d.Dim == dim {
			return d.Label + "：" + valueLabel(dim, v)
		}
	}
	return v
}

// facetValue sets the filter of dim to value when value is one the
// catalog has.
func facetValue(f *catalog.Filter, facets catalog.Facets, dim, value string) bool {
	if !slices.Contains(facetValues(facets)[dim], value) {
		return false
	}
	for _, d := range catalogDims {
		if d.Dim == dim {
			return d.set(f, value)
		}
	}
	return false
}

// facetValues are the values of each facet, as written in addresses.
func facetValues(facets catalog.Facets) map[string][]string {
	v := map[string][]string{"topic": facets.Topics, "genre": facets.Genres, "issuer": facets.Issuers, "validity": {"valid", "expired", "repealed"}}
	for _, y := range facets.Years {
		v["year"] = append(v["year"], strconv.Itoa(y))
	}
	return v
}

func filterQuery(f catalog.Filter) string {
	v := url.Values{}
	for k, s := range map[string]string{"topic": f.Topic, "genre": f.Genre, "issuer": f.Issuer, "validity": f.Validity} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if f.Year != 0 {
		v.Set("year", strconv.Itoa(f.Year))
	}
	return v.Encode()
}

// catalogPage shows the disclosure catalog (政府信息公开目录) with filters.
func (h *handler) catalogPage(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	if h.Catalog == nil {
		return apperr.ErrNotFound
	}
	const perPage = 30
	p := catalogPage{page: newPage(r, sc, "政府信息公开目录"), Filter: catalogFilter(r, sc.Org.ID)}
	byPath := strings.HasPrefix(r.Pattern, "GET /catalog/")
	var err error
	if p.Facets, err = h.Catalog.CatalogFacets(r.Context(), sc.Org.ID); err != nil {
		return err
	}
	if byPath {
		// /catalog/{dim}/{value}/ names one facet value that exists, and
		// /page/{n}/ a page from the second on, written plainly: anything
		// else is not an address of this site.
		p.Filter = catalog.Filter{OrgID: sc.Org.ID}
		if dim := r.PathValue("dim"); dim != "" && !facetValue(&p.Filter, p.Facets, dim, r.PathValue("value")) {
			return apperr.ErrNotFound
		}
		if n := r.PathValue("n"); n != "" {
			if p.PageNo, err = strconv.Atoi(n); err != nil || p.PageNo < 2 || strconv.Itoa(p.PageNo) != n {
				return apperr.ErrNotFound
			}
		}
	} else {
		// A portal's catalog can span every org below it (scope=all).
		if r.URL.Query().Get("scope") == "all" {
			p.All = true
			p.Filter.OrgIDs = org.Subtree(sc.Orgs, []int64{sc.Org.ID})
		}
		p.PageNo, _ = strconv.Atoi(r.URL.Query().Get("page"))
	}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "政府信息公开目录"}}
	if dim := r.PathValue("dim"); dim != "" {
		// The facet names the page: 体裁：办事指南.
		name := facetLabel(dim, r.PathValue("value"))
		p.Title += "（" + name + "）"
		p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "政府信息公开目录", URL: p.Base + "/catalog"}, {Name: name}}
	}
	if p.PageNo < 1 {
		p.PageNo = 1
	}
	p.Filter.Offset, p.Filter.Limit = (p.PageNo-1)*perPage, perPage
	if p.Rows, p.Total, err = h.Catalog.Catalog(r.Context(), p.Filter); err != nil {
		return err
	}
	if byPath && p.PageNo > 1 && p.PageNo > (p.Total+perPage-1)/perPage {
		return apperr.ErrNotFound
	}
	p.browse()
	byID := map[int64]org.Org{}
	for _, o := range sc.Orgs {
		byID[o.ID] = o
	}
	for i := range p.Rows {
		o := byID[p.Rows[i].OrgID]
		p.Rows[i].OrgName = o.Label()
		p.Rows[i].URL = p.ItemURL(p.Rows[i].ItemID)
		if o.ID != sc.Org.ID {
			p.Rows[i].URL = "/" + o.Site.PathPrefix + "/item/" + strconv.FormatInt(p.Rows[i].ItemID, 10)
		}
	}
	p.Pages = (p.Total + perPage - 1) / perPage
	p.Query = filterQuery(p.Filter)
	if p.All {
		p.Query += "&scope=all"
	}
	return h.tmpl.Render(w, http.StatusOK, "catalog", p)
}

// catalogExport downloads the filtered catalog as CSV or .xlsx.
func (h *handler) catalogExport(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	if h.Catalog == nil {
		return apperr.ErrNotFound
	}
	if !h.SearchLimit.Allow(web.ClientIP(r)) {
		return apperr.ErrRateLimited
	}
	f := catalogFilter(r, sc.Org.ID)
	f.Limit = 10000
	rows, _, err := h.Catalog.Catalog(r.Context(), f)
	if err != nil {
		return err
	}
	base := sc.Base
	for i := range rows {
		rows[i].URL = h.absURL(r, base+"/item/"+strconv.FormatInt(rows[i].ItemID, 10))
	}
	name := sc.Org.Name + "政府信息公开目录"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		b, err := catalog.XLSX(rows, name)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename=\"catalog.xlsx\"; filename*=UTF-8''"+url.PathEscape(name+".xlsx"))
		_, err = w.Write(b)
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename=\"catalog.csv\"; filename*=UTF-8''"+url.PathEscape(name+".csv"))
	return catalog.WriteCSV(w, rows)
}

// Atom 1.0 (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string   `xml:"title"`
	ID        string   `xml:"id"`
	Link      atomLink `xml:"link"`
	Published string   `xml:"published"`
	Updated   string   `xml:"updated"`
	Summary   string   `xml:"summary,omitempty"`
	Category  *struct {
		Term string `xml:"term,attr"`
	} `xml:"category,omitempty"`
}

// feed serves the Atom feed of a site or of one of its columns.
func (h *handler) feed(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	if h.Items.Items == nil {
		return apperr.ErrNotFound
	}
	f := publish.Filter{Public: true, OrgIDs: []int64{sc.Org.ID}, Limit: 30}
	title := siteName(sc.Org)
	self := sc.Base + "/feed.xml"
	alt := sc.Base + "/"
	if slug := r.PathValue("slug"); slug != "" {
		var col *org.Column
		for i := range sc.Columns {
			if sc.Columns[i].Slug == slug && visibleChain(sc.Columns, sc.Columns[i]) {
				col = &sc.Columns[i]
			}
		}
		if col == nil {
			return apperr.ErrNotFound
		}
		f.ColumnID = col.ID
		title += " - " + col.Name
		self = sc.Base + "/col/" + slug + "/feed.xml"
		alt = sc.Base + "/col/" + slug + "/"
	}
	items, _, err := h.Items.Items.Items(r.Context(), f)
	if err != nil {
		return err
	}
	feed := atomFeed{Title: title, ID: h.absURL(r, self), Author: atomAuthor{Name: sc.Org.Name},
		Links: []atomLink{{Rel: "self", Href: h.absURL(r, self), Type: "application/atom+xml"}, {Rel: "alternate", Href: h.absURL(r, alt), Type: "text/html"}}}
	updated := time.Unix(0, 0)
	for _, it := range items {
		link := h.absURL(r, sc.Base+"/item/"+strconv.FormatInt(it.Item.ID, 10))
		e := atomEntry{Title: it.Version.Title, ID: link, Link: atomLink{Rel: "alternate", Href: link, Type: "text/html"},
			Published: it.Item.FirstPublishedAt.UTC().Format(time.RFC3339), Updated: it.Item.LastPublishedAt.UTC().Format(time.RFC3339), Summary: it.Version.Summary}
		if it.Version.Genre != "" {
			e.Category = &struct {
				Term string `xml:"term,attr"`
			}{Term: it.Version.Genre}
		}
		if it.Item.LastPublishedAt.After(updated) {
			updated = it.Item.LastPublishedAt
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	b, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return fmt.Errorf("marshal feed: %w", err)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	_, err = w.Write(b)
	return err
}

func siteName(o *org.Org) string {
	if o.Site.Name != "" {
		return o.Site.Name
	}
	return o.Name
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists the site's pages for search engines: home, visible
// columns, the catalog and the newest 45,000 items (the protocol allows
// 50,000 addresses per file).
func (h *handler) sitemap(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	set := sitemapSet{URLs: []sitemapURL{{Loc: h.absURL(r, sc.Base+"/")}}}
	for _, c := range sc.Columns {
		if c.Kind != org.ColumnLink && visibleChain(sc.Columns, c) {
			set.URLs = append(set.URLs, sitemapURL{Loc: h.absURL(r, sc.Base+"/col/"+c.Slug+"/")})
		}
	}
	if h.Catalog != nil {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.absURL(r, sc.Base+"/catalog")})
		rows, err := h.Catalog.SitemapItems(r.Context(), sc.Org.ID, 45000)
		if err != nil {
			return err
		}
		for _, it := range rows {
			set.URLs = append(set.URLs, sitemapURL{Loc: h.absURL(r, sc.Base+"/item/"+strconv.FormatInt(it.ItemID, 10)), LastMod: it.PublishedAt.UTC().Format("2006-01-02")})
		}
	}
	b, err := xml.Marshal(set)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	_, err = w.Write(b)
	return err
}

// robots serves robots.txt for the host: the staff area and the API are
// not for crawlers; every site on the host lists its sitemap.
func (h *handler) robots(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /apply/track\n")
	own, _ := resolve(orgs, r.Host, "/")
	for _, o := range orgs {
		switch {
		case own != nil && own.Site.Host != "" && own.ID == o.ID:
			b.WriteString("Sitemap: " + h.absURL(r, "/sitemap.xml") + "\n")
		case own == nil || own.Site.Host == "":
			if o.Site.Host == "" {
				b.WriteString("Sitemap: " + h.absURL(r, "/"+o.Site.PathPrefix+"/sitemap.xml") + "\n")
			}
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = w.Write([]byte(b.String()))
	return err
}
