package site

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/syndicate"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// DisclosureSource is what the public board of required disclosures
// reads (issue 9). *store.DB implements it.
type DisclosureSource interface {
	DisclosureRecords(ctx context.Context, year int) ([]syndicate.Record, error)
	BoardPublic(ctx context.Context, orgID int64) (bool, error)
	Now() time.Time
}

func (h *handler) disclosureRoutes(mux *http.ServeMux) {
	mux.Handle("GET /disclosures", h.wrap(h.disclosureBoard))
	// The JSON Feed of the site group's syndication API (site/syndicate.go).
	mux.Handle("GET /feed.json", h.wrap(h.jsonFeedHandler))
	// Accepted pushes from other installations (site/syndicate.go).
	mux.Handle("GET /pushed/{id}", h.wrap(h.pushedPage))
}

type disclosureBoardPage struct {
	page
	Year   int
	Years  []int
	Kinds  []syndicate.Kind
	Rows   []syndicate.BoardRow
	Prefix map[int64]string
}

// ItemOf is the address of a published item on its org's site.
func (p disclosureBoardPage) ItemOf(orgID, itemID int64) string {
	return "/" + p.Prefix[orgID] + "/item/" + strconv.FormatInt(itemID, 10)
}

// disclosureBoard shows the org's units × required disclosures of a year
// where the org chose to make its board public; 404 otherwise. It is not
// kept in the page cache: the days left change every day.
func (h *handler) disclosureBoard(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	if h.Disclosures == nil {
		return apperr.ErrNotFound
	}
	ctx := r.Context()
	public, err := h.Disclosures.BoardPublic(ctx, sc.Org.ID)
	if err != nil {
		return err
	}
	if !public {
		return fmt.Errorf("disclosure board of org %d is not public: %w", sc.Org.ID, apperr.ErrNotFound)
	}
	now := web.ChinaTime(h.Disclosures.Now())
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < now.Year()-5 || year > now.Year() {
		year = now.Year()
	}
	recs, err := h.Disclosures.DisclosureRecords(ctx, year)
	if err != nil {
		return err
	}
	p := disclosureBoardPage{page: newPage(r, sc, "应公开事项公开情况"), Year: year, Kinds: syndicate.Kinds(), Prefix: map[int64]string{}}
	for y := now.Year(); y >= now.Year()-3; y-- {
		p.Years = append(p.Years, y)
	}
	for _, o := range sc.Orgs {
		p.Prefix[o.ID] = o.Site.PathPrefix
	}
	p.Rows = syndicate.Board(sc.Orgs, sc.Org.ID, year, recs, workday.DateOf(now))
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "应公开事项公开情况"}}
	return h.tmpl.Render(w, http.StatusOK, "disclosures", p)
}
