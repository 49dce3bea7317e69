package site

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/search"
	"gongkai/internal/web"
)

// Searcher runs full-text searches. *store.DB implements it.
type Searcher interface {
	Search(ctx context.Context, q search.Query, f search.Filter, today time.Time) ([]search.Hit, int, error)
}

const searchPerPage = 15

// searchHit is a result as the page shows it.
type searchHit struct {
	search.Hit
	URL      string
	OrgName  string
	Heading  []search.Segment // the title, with matches marked
	Snippet  []search.Segment
	Validity string
}

type searchPage struct {
	page
	Query    string
	All      bool // the whole site group, not only this site
	Year     int
	Genre    string
	Years    []int
	Genres   []string
	Hits     []searchHit
	Total    int
	PageNo   int
	Pages    int
	TooLong  bool
	Searched bool
	Many     bool // more matches than counted
}

// PageURL is the address of another page of the same results.
func (p searchPage) PageURL(n int) string {
	v := url.Values{"q": {p.Query}, "page": {strconv.Itoa(n)}}
	if p.All {
		v.Set("scope", "all")
	}
	if p.Year != 0 {
		v.Set("year", strconv.Itoa(p.Year))
	}
	if p.Genre != "" {
		v.Set("genre", p.Genre)
	}
	return p.Base + "/search?" + v.Encode()
}

var searchGenres = []string{"通知", "公告", "通告", "意见", "决定", "规范性文件", "规章", "规划计划", "工作报告", "统计数据", "办事指南", "工作动态", "其他"}

// search is the site's full-text search (/search?q=…), over this site or
// the whole site group.
func (h *handler) search(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	qv := r.URL.Query()
	p := searchPage{page: newPage(r, sc, "站内搜索"), Query: strings.TrimSpace(qv.Get("q")), All: qv.Get("scope") == "all", Genre: qv.Get("genre"), Genres: searchGenres}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "站内搜索"}}
	p.Year, _ = strconv.Atoi(qv.Get("year"))
	p.PageNo, _ = strconv.Atoi(qv.Get("page"))
	if p.PageNo < 1 {
		p.PageNo = 1
	}
	now := time.Now()
	for y := now.Year(); y >= now.Year()-9; y-- {
		p.Years = append(p.Years, y)
	}
	if utf8.RuneCountInString(p.Query) > 100 {
		p.TooLong = true
		return h.tmpl.Render(w, http.StatusOK, "search", p)
	}
	q := search.ParseQuery(h.hant.Simplify(p.Query))
	if q.Empty() || h.Search == nil {
		return h.tmpl.Render(w, http.StatusOK, "search", p)
	}
	if !h.SearchLimit.Allow(web.ClientIP(r)) {
		return apperr.ErrRateLimited
	}
	p.Searched = true
	f := search.Filter{Year: p.Year, Genre: p.Genre, Offset: (p.PageNo - 1) * searchPerPage, Limit: searchPerPage}
	if !p.All {
		f.OrgIDs = []int64{sc.Org.ID}
	}
	hits, total, err := h.searchHits(r.Context(), sc, q, f, now)
	if err != nil {
		return err
	}
	p.Hits = hits
	p.Total = total
	if total > search.MaxCount {
		p.Many, total = true, search.MaxCount
	}
	p.Pages = (total + searchPerPage - 1) / searchPerPage
	return h.tmpl.Render(w, http.StatusOK, "search", p)
}

// searchMemo keeps recent search results for the cache generation they
// were found at: in a rush (a policy just announced) many readers search
// for the same words, and a result cannot change while nothing public
// does. Keyed by the site, the query's terms, the filters and the day
// (recency ranks by it). It holds the hits as shown (snippets, not the
// documents' text), so it stays small.
type searchMemo struct {
	mu      sync.Mutex
	gen     int64
	results map[string]searchResult // guarded by mu
}

type searchResult struct {
	hits  []searchHit
	total int
}

// searchHits runs a search and makes its hits ready to show.
func (h *handler) searchHits(ctx context.Context, sc *siteCtx, q search.Query, f search.Filter, now time.Time) ([]searchHit, int, error) {
	var gen int64
	key := fmt.Sprintf("%d|%s|%q|%v|%d|%d|%q|%d|%d|%s", sc.Org.ID, sc.Base, q.Terms, f.OrgIDs, f.ColumnID, f.Year, f.Genre, f.Offset, f.Limit, now.Format("2006-01-02"))
	m := &h.searches
	if h.Cache != nil {
		gen = h.Cache.gen()
		m.mu.Lock()
		r, ok := m.results[key]
		ok = ok && m.gen == gen
		m.mu.Unlock()
		if ok {
			return r.hits, r.total, nil
		}
	}
	found, total, err := h.Search.Search(ctx, q, f, now)
	if err != nil {
		return nil, 0, err
	}
	names := map[int64]org.Org{}
	for _, o := range sc.Orgs {
		names[o.ID] = o
	}
	hits := make([]searchHit, 0, len(found))
	for _, hit := range found {
		o := names[hit.OrgID]
		sh := searchHit{Hit: hit, OrgName: o.Name, Heading: search.Snippet(hit.Title, q, 200), Snippet: search.Snippet(hit.Text, q, 90)}
		sh.Hit.Text = "" // shown through the snippet only
		sh.URL = "/" + o.Site.PathPrefix + "/item/" + strconv.FormatInt(hit.ItemID, 10)
		if o.ID == sc.Org.ID {
			sh.URL = sc.Base + "/item/" + strconv.FormatInt(hit.ItemID, 10)
		}
		switch hit.Validity {
		case "expired":
			sh.Validity = "失效"
		case "repealed":
			sh.Validity = "废止"
		}
		hits = append(hits, sh)
	}
	if h.Cache != nil {
		m.mu.Lock()
		if gen > m.gen || len(m.results) >= 1000 || m.results == nil {
			m.gen, m.results = max(gen, m.gen), map[string]searchResult{}
		}
		if gen == m.gen {
			m.results[key] = searchResult{hits: hits, total: total}
		}
		m.mu.Unlock()
	}
	return hits, total, nil
}
