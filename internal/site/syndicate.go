package site

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/web"

	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/syndicate"
)

// SyndicationSource is what the public pages read of pushes between the
// sites of the group (issue 9). *store.DB implements it.
type SyndicationSource interface {
	// ColumnListing lists a column's own items and the accepted pushes of
	// other orgs' items into it, newest first.
	ColumnListing(ctx context.Context, orgID, columnID int64, limit, offset int) ([]publish.Listed, int, error)
	// AcceptedPush finds the accepted push of an item to an org.
	AcceptedPush(ctx context.Context, toOrgID, itemID int64) (syndicate.Push, bool, error)
	// AcceptedRemotePush finds an accepted push from another installation
	// whose original is not withdrawn.
	AcceptedRemotePush(ctx context.Context, toOrgID, pushID int64) (syndicate.Push, bool, error)
}

// listColumn lists the public items of a column of orgID, with the items
// pushed to it from orgs below when syndication is on.
func (h *handler) listColumn(ctx context.Context, orgID, columnID int64, limit, offset int) ([]publish.Listed, int, error) {
	if h.Syndication != nil {
		return h.Syndication.ColumnListing(ctx, orgID, columnID, limit, offset)
	}
	return h.Items.Items.Items(ctx, publish.Filter{Public: true, OrgIDs: []int64{orgID}, ColumnID: columnID, Limit: limit, Offset: offset})
}

// pushedTo reports whether the item of another org is shown on sc's site:
// its push there was accepted and its original is public (a declined push
// or a withdrawn original is never shown upstream). It returns the column
// chosen by the upper org.
func (h *handler) pushedTo(ctx context.Context, sc *siteCtx, it *publish.Item) (int64, bool, error) {
	if h.Syndication == nil {
		return 0, false, nil
	}
	p, ok, err := h.Syndication.AcceptedPush(ctx, sc.Org.ID, it.ID)
	if err != nil || !ok {
		return 0, false, err
	}
	return p.ColumnID, syndicate.Visible(p, it), nil
}

// Source is the name of the org an item listed on this site comes from,
// or "" for the site's own items.
func (p page) Source(l publish.Listed) string {
	if l.Item.ID < 0 {
		return l.Version.Source // a push from another installation
	}
	if p.Org == nil || l.Item.OrgID == p.Org.ID {
		return ""
	}
	for _, o := range p.orgs {
		if o.ID == l.Item.OrgID {
			return o.Name
		}
	}
	return ""
}

// originalURL is the address of an item on its own org's site, for the
// canonical link of its copy upstream: at the org's own host name when it
// has one, otherwise under its path prefix at the public address.
func (h *handler) originalURL(r *http.Request, o *org.Org, itemID int64) string {
	path := "/item/" + strconv.FormatInt(itemID, 10)
	if o.Site.Host != "" {
		scheme := "http"
		if r.TLS != nil || (len(h.BaseURL) > 5 && h.BaseURL[:6] == "https:") {
			scheme = "https"
		}
		return scheme + "://" + o.Site.Host + path
	}
	return h.absURL(r, "/"+o.Site.PathPrefix+path)
}

// PushReceiver stores signed pushes from other installations.
// *syndicate.Remote implements it.
type PushReceiver interface {
	Receive(ctx context.Context, msg []byte) (*syndicate.Push, error)
}

// NewPushInbound returns the endpoint at which another Gongkai
// installation pushes items (POST /api/v1/pushes, a signed note as the
// body). It answers 202 with the push's ID, 403 for a push not signed by
// a registered sender, 422 for a stale or malformed one; each client
// address gets a burst of 60 and then one push a second.
func NewPushInbound(log *slog.Logger, recv PushReceiver) http.Handler {
	limit := web.NewRateLimiter(60, time.Second, nil)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !limit.Allow(web.ClientIP(r)) {
			writeJSON(w, http.StatusTooManyRequests, apiError{Error: "请求过于频繁，请稍后再试"})
			return
		}
		msg, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "无法读取请求"})
			return
		}
		p, err := recv.Receive(r.Context(), msg)
		if err != nil {
			status, text := web.Status(err)
			body := apiError{Error: text}
			if inv, ok := apperr.AsInvalid(err); ok {
				body.Fields = inv.Fields
			}
			if status >= 500 {
				log.LogAttrs(r.Context(), slog.LevelError, "receive push", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
			}
			writeJSON(w, status, body)
			return
		}
		var id int64
		if p != nil {
			id = p.ID
		}
		writeJSON(w, http.StatusAccepted, struct {
			ID int64 `json:"id"`
		}{id})
	})
}

// jsonFeed is a JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of an
// org's latest published items, for outside portals.
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Language    string         `json:"language"`
	Authors     []jsonAuthor   `json:"authors"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary,omitempty"`
	ContentText   string       `json:"content_text"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors"`
	Tags          []string     `json:"tags,omitempty"`
}

// jsonFeedHandler serves /feed.json: the org's 30 latest published items
// (its own, like /feed.xml), with the catalog's index number as the tag.
func (h *handler) jsonFeedHandler(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	if h.Items.Items == nil {
		return apperr.ErrNotFound
	}
	rows, _, err := h.Items.Items.Items(r.Context(), publish.Filter{Public: true, OrgIDs: []int64{sc.Org.ID}, Limit: 30})
	if err != nil {
		return err
	}
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: siteName(sc.Org), HomePageURL: h.absURL(r, sc.Base+"/"),
		FeedURL: h.absURL(r, sc.Base+"/feed.json"), Language: "zh-CN", Authors: []jsonAuthor{{Name: sc.Org.Name}}, Items: []jsonFeedItem{}}
	for _, l := range rows {
		link := h.absURL(r, sc.Base+"/item/"+strconv.FormatInt(l.Item.ID, 10))
		it := jsonFeedItem{ID: link, URL: link, Title: l.Version.Title, Summary: l.Version.Summary, ContentText: l.Version.Summary,
			DatePublished: l.Item.FirstPublishedAt.UTC().Format(time.RFC3339), DateModified: l.Item.LastPublishedAt.UTC().Format(time.RFC3339),
			Authors: []jsonAuthor{{Name: sc.Org.Name}}}
		if it.ContentText == "" {
			it.ContentText = l.Version.Title
		}
		for _, t := range []string{l.Item.IndexNo, l.Version.Genre, l.Version.Topic} {
			if t != "" {
				it.Tags = append(it.Tags, t)
			}
		}
		f.Items = append(f.Items, it)
	}
	w.Header().Set("Content-Type", "application/feed+json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// pushedPage shows an accepted push from another installation: the copy
// it sent, with its source and a canonical link to the original; 404 once
// the sender withdrew it or for a push not accepted here.
func (h *handler) pushedPage(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 || h.Syndication == nil {
		return apperr.ErrNotFound
	}
	p, ok, err := h.Syndication.AcceptedRemotePush(r.Context(), sc.Org.ID, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("push %d is not shown on this site: %w", id, apperr.ErrNotFound)
	}
	pg := itemPage{page: newPage(r, sc, p.Title), Source: p.RemoteOrg,
		Item:    &publish.Item{ID: -p.ID, State: publish.StatePublished, Live: 1, Validity: publish.ValidityValid, FirstPublishedAt: p.RemoteDate},
		Version: &publish.Version{Title: p.Title, Issuer: p.RemoteOrg},
		// The body was sanitised with the publishing policy on receipt
		// (syndicate.Remote.Receive), as local bodies are on saving.
		Body: template.HTML(p.RemoteBody)}
	if p.RemoteValidity != "" {
		// The sender's repeal or expiry shows as the validity banner.
		pg.Item.Validity = publish.Validity(p.RemoteValidity)
	}
	if strings.HasPrefix(p.RemoteURL, "https://") || strings.HasPrefix(p.RemoteURL, "http://") {
		pg.Canonical = p.RemoteURL
	}
	pg.Crumbs = []crumb{{Name: "首页", URL: pg.Home()}}
	for i := range sc.Columns {
		if sc.Columns[i].ID == p.ColumnID {
			c := sc.Columns[i]
			pg.Column = &c
			for _, a := range ancestors(sc.Columns, c) {
				pg.Crumbs = append(pg.Crumbs, crumb{Name: a.Name, URL: pg.ColURL(a)})
			}
		}
	}
	pg.Crumbs = append(pg.Crumbs, crumb{Name: "正文"})
	return h.tmpl.Render(w, http.StatusOK, "item", pg)
}
