package site

import (
	"context"
	"net/http"
	"strconv"

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
