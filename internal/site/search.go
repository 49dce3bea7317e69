package site

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// searchHits runs a search and makes its hits ready to show. Repeated
// searches do not come here: their pages are cached (handler.ServeHTTP).
func (h *handler) searchHits(ctx context.Context, sc *siteCtx, q search.Query, f search.Filter, now time.Time) ([]searchHit, int, error) {
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
	return hits, total, nil
}
