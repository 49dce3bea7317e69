package site

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
)

// crumb is one step of the breadcrumb.
type crumb struct {
	Name string
	URL  string
}

// page holds what every public page shows around its content.
type page struct {
	web.Page
	Org     *org.Org
	Base    string
	Nav     []org.Column // top-level visible columns, topics excluded
	Current int64        // the top-level column being viewed
	Crumbs  []crumb
	Hant    bool   // rendered for conversion to Traditional Chinese
	Here    string // this page's path, without the /zh-hant prefix
	Elder   bool   // elderly-friendly mode is on
	Theme   string // colour scheme, own or inherited (org.EffectiveTheme)
	tmplSet string // the org's own template set, if any (templateset.go)
	Feeds   []feedLink
	// Canonical is the original's address for an item shown here by a
	// push from another org's site.
	Canonical string
	orgs      []org.Org // the site group, for the source of pushed items
}

// feedLink is an Atom feed a page advertises in its head.
type feedLink struct {
	Title string
	URL   string
}

// SwitchURL is the same page in the other script.
func (p page) SwitchURL() string {
	if p.Hant {
		return p.Here
	}
	return HantPrefix + p.Here
}

// QRURL is the address of this page's QR code image.
func (p page) QRURL() string {
	here := p.Here
	if p.Hant {
		here = HantPrefix + here
	}
	// The page's path is in the image's own path, not in a query, so the
	// image can be cached and exported as a static file.
	return "/qr/" + base64.RawURLEncoding.EncodeToString([]byte(here)) + ".svg"
}

// ElderURL switches the elderly-friendly mode and comes back here.
func (p page) ElderURL() string {
	on := "1"
	if p.Elder {
		on = "0"
	}
	here := p.Here
	if p.Hant {
		here = HantPrefix + here
	}
	return "/elder?on=" + on + "&back=" + url.QueryEscape(here)
}

// LeaveURL is the notice page in front of an outside address.
func (p page) LeaveURL(target string) string {
	return p.Base + "/leave?to=" + url.QueryEscape(target)
}

// SiteName is the name in the masthead.
func (p page) SiteName() string {
	if p.Org == nil {
		return "政府网站群"
	}
	if p.Org.Site.Name != "" {
		return p.Org.Site.Name
	}
	return p.Org.Name
}

// Home is the address of the site's home page.
func (p page) Home() string { return p.Base + "/" }

// ColURL is the address of a column; outside links go through the
// leaving notice.
func (p page) ColURL(c org.Column) string {
	if c.Kind == org.ColumnLink {
		if org.ValidExternalURL(c.LinkURL) {
			return p.LeaveURL(c.LinkURL)
		}
		return c.LinkURL
	}
	return p.Base + "/col/" + c.Slug + "/"
}

// External reports whether a column leads to another site.
func (p page) External(c org.Column) bool {
	return c.Kind == org.ColumnLink && org.ValidExternalURL(c.LinkURL)
}

func newPage(r *http.Request, sc *siteCtx, title string) page {
	p := page{Page: web.Page{Title: title, RequestID: web.RequestID(r), Path: r.URL.Path}, Here: r.URL.Path, Elder: elderMode(r)}
	if sc == nil {
		return p
	}
	p.Org, p.Base, p.Hant, p.Here = sc.Org, sc.Base, sc.Hant, sc.Path
	p.tmplSet = sc.TmplSet
	if sc.Org != nil {
		p.Theme = org.EffectiveTheme(sc.Orgs, sc.Org.ID)
	}
	p.orgs = sc.Orgs
	if sc.Org != nil {
		p.Feeds = []feedLink{{Title: siteName(sc.Org), URL: sc.Base + "/feed.xml"}}
	}
	for _, c := range visibleChildren(sc.Columns, 0) {
		if c.Kind != org.ColumnTopic {
			p.Nav = append(p.Nav, c)
		}
	}
	return p
}

// visibleChildren returns the visible columns under parentID, in order.
func visibleChildren(cols []org.Column, parentID int64) []org.Column {
	var out []org.Column
	for _, n := range org.Flatten(org.Tree(cols)) {
		if n.ParentID == parentID && n.Visible {
			out = append(out, n.Column)
		}
	}
	return out
}

// section is a block of the home page: a column and what is under it.
type section struct {
	Column   org.Column
	Children []org.Column
	Latest   []publish.Listed // newest published items of a list column
}

type homePage struct {
	page
	Sections []section
	Disclose *section // 政务公开 entry points
	Topics   []org.Column
	Group    []groupEntry // latest items of the orgs below, for a portal
}

// groupEntry is an item of an org below this one, shown on a portal's
// home page with its source.
type groupEntry struct {
	Title   string
	URL     string
	OrgName string
	Date    time.Time
}

// discloseSlugs are the slugs the home page treats as the disclosure entry
// (政务公开 / 政府信息公开), shown as a block of entry points.
var discloseSlugs = []string{"zwgk", "xxgk"}

func (h *handler) home(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	p := homePage{page: newPage(r, sc, "首页")}
	for _, c := range visibleChildren(sc.Columns, 0) {
		s := section{Column: c, Children: visibleChildren(sc.Columns, c.ID)}
		switch {
		case c.Kind == org.ColumnTopic:
			p.Topics = append(p.Topics, c)
		case slices.Contains(discloseSlugs, c.Slug):
			p.Disclose = &s
		case c.Kind == org.ColumnList:
			latest, err := h.latest(r.Context(), sc.Org.ID, c.ID, 6)
			if err != nil {
				return err
			}
			s.Latest = latest
			p.Sections = append(p.Sections, s)
		}
	}
	group, err := h.groupLatest(r.Context(), sc, 10)
	if err != nil {
		return err
	}
	p.Group = group
	p.Title = p.SiteName()
	return h.tmpl.Render(w, http.StatusOK, "home", p)
}

// groupLatest lists the newest items published by the orgs below sc's
// org (a city portal shows its bureaus' and units' news), each with its
// source org and its address on that org's site.
func (h *handler) groupLatest(ctx context.Context, sc *siteCtx, n int) ([]groupEntry, error) {
	below := org.Subtree(sc.Orgs, []int64{sc.Org.ID})[1:]
	if len(below) == 0 || h.Items.Items == nil {
		return nil, nil
	}
	rows, _, err := h.Items.Items.Items(ctx, publish.Filter{Public: true, OrgIDs: below, Limit: n})
	if err != nil {
		return nil, err
	}
	byID := map[int64]org.Org{}
	for _, o := range sc.Orgs {
		byID[o.ID] = o
	}
	var out []groupEntry
	for _, l := range rows {
		o := byID[l.Item.OrgID]
		out = append(out, groupEntry{Title: l.Version.Title, OrgName: o.Label(), Date: l.Item.FirstPublishedAt,
			URL: "/" + o.Site.PathPrefix + "/item/" + strconv.FormatInt(l.Item.ID, 10)})
	}
	return out, nil
}

type columnPage struct {
	page
	Column     org.Column
	Siblings   []org.Column // the side navigation: columns beside this one
	SideTitle  string
	Children   []org.Column
	Paragraphs []string
	Listing    listing // published items of a list or topic column
}

func (h *handler) column(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	slug := r.PathValue("slug")
	i := slices.IndexFunc(sc.Columns, func(c org.Column) bool { return c.Slug == slug })
	if i < 0 || !visibleChain(sc.Columns, sc.Columns[i]) {
		return apperr.ErrNotFound
	}
	c := sc.Columns[i]
	if c.Kind == org.ColumnLink {
		// Links to other sites go through the leaving notice.
		to := c.LinkURL
		if org.ValidExternalURL(to) {
			to = newPage(r, sc, "").LeaveURL(to)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	if q := r.URL.Query().Get("page"); q != "" && r.PathValue("n") == "" {
		// Addresses of the former paging by query string.
		to := sc.Base + "/col/" + c.Slug + "/"
		if n, err := strconv.Atoi(q); err == nil && n > 1 && h.Items.Items != nil {
			// A page past the last (typed into the go-to box) goes to
			// the last.
			_, total, err := h.listColumn(r.Context(), sc.Org.ID, c.ID, 1, 0)
			if err != nil {
				return err
			}
			if n = min(n, (total+perPage-1)/perPage); n > 1 {
				to += "page/" + strconv.Itoa(n) + "/"
			}
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return nil
	}
	p := columnPage{page: newPage(r, sc, c.Name), Column: c, Children: visibleChildren(sc.Columns, c.ID), Paragraphs: c.Paragraphs()}
	if c.Kind == org.ColumnList || c.Kind == org.ColumnTopic {
		p.Feeds = append(p.Feeds, feedLink{Title: siteName(sc.Org) + " - " + c.Name, URL: sc.Base + "/col/" + c.Slug + "/feed.xml"})
	}
	var err error
	if p.Listing, err = h.columnItems(r, sc, c); err != nil {
		return err
	}
	// Breadcrumb from the top column down; the side navigation lists the
	// top column's children (or the top columns' siblings at level one).
	chain := ancestors(sc.Columns, c)
	p.Crumbs = append(p.Crumbs, crumb{Name: "首页", URL: p.Home()})
	for _, a := range chain {
		p.Crumbs = append(p.Crumbs, crumb{Name: a.Name, URL: p.ColURL(a)})
	}
	top := chain[0]
	p.Current = top.ID
	if len(chain) > 1 {
		p.SideTitle = top.Name
		p.Siblings = visibleChildren(sc.Columns, top.ID)
	} else if len(p.Children) > 0 {
		p.SideTitle = c.Name
		p.Siblings = p.Children
	}
	page := "column"
	if c.Kind == org.ColumnPage {
		page = "page"
	}
	return h.tmpl.Render(w, http.StatusOK, page, p)
}

// ancestors returns the chain of columns from the top level down to c.
func ancestors(cols []org.Column, c org.Column) []org.Column {
	byID := map[int64]org.Column{}
	for _, x := range cols {
		byID[x.ID] = x
	}
	chain := []org.Column{c}
	for p, n := c.ParentID, 0; p != 0 && n < len(cols); n++ {
		x, ok := byID[p]
		if !ok {
			break
		}
		chain = append([]org.Column{x}, chain...)
		p = x.ParentID
	}
	return chain
}

// visibleChain reports whether c and all its ancestors are visible: a
// hidden column hides everything below it.
func visibleChain(cols []org.Column, c org.Column) bool {
	for _, a := range ancestors(cols, c) {
		if !a.Visible {
			return false
		}
	}
	return true
}

type directoryPage struct {
	page
	Tree []orgNode
}

type orgNode struct {
	Org      org.Org
	URL      string
	Children []orgNode
}

func (h *handler) directory(w http.ResponseWriter, r *http.Request) error {
	h.renderDirectory(w, r, siteOf(r))
	return nil
}

func (h *handler) renderDirectory(w http.ResponseWriter, r *http.Request, sc *siteCtx) {
	p := directoryPage{page: newPage(r, sc, "站群导航")}
	if sc.Org != nil {
		p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "站群导航"}}
	}
	var build func(parent int64) []orgNode
	build = func(parent int64) []orgNode {
		var out []orgNode
		for _, o := range sc.Orgs {
			if o.ParentID == parent {
				out = append(out, orgNode{Org: o, URL: "/" + o.Site.PathPrefix + "/", Children: build(o.ID)})
			}
		}
		return out
	}
	p.Tree = build(0)
	if err := h.tmpl.Render(w, http.StatusOK, "orgs", p); err != nil {
		h.fail(w, r, sc, err)
	}
}
