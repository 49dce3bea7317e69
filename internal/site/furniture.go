package site

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/qrcode"
	"gongkai/internal/web"
)

// Page furniture the report's site has on every page: the QR code of the
// page for phones, the notice before leaving the site, the notice for
// outdated browsers (in the layout, CSS only), and the elderly-friendly
// mode (适老化).

const elderCookie = "gk_elder"

// elderMode reports whether the reader chose the elderly-friendly mode.
func elderMode(r *http.Request) bool {
	c, err := r.Cookie(elderCookie)
	return err == nil && c.Value == "1"
}

// elder switches the elderly-friendly mode on or off and returns the
// reader to the page they came from.
func (h *handler) elder(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("on") == "1"
	c := &http.Cookie{Name: elderCookie, Value: "1", Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if !on {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	back := r.URL.Query().Get("back")
	if !web.SafeLocalPath(back) {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// qr serves the QR code of a page of this site as SVG, at
// /qr/{base64url of the path}.svg. It only encodes addresses on this
// site, so it cannot be used to make codes for others.
func (h *handler) qr(w http.ResponseWriter, r *http.Request) error {
	enc := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/qr/"), ".svg")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	p := string(raw)
	if err != nil || !web.SafeLocalPath(p) || len(p) > 512 {
		return apperr.ErrNotFound
	}
	svg, err := h.qrCodes.svg(h.absURL(r, p))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(svg)
	return err
}

// qrCache keeps recently drawn QR codes: a rush on one page asks for its
// code from every reader's browser. Safe for concurrent use.
type qrCache struct {
	mu    sync.Mutex
	codes map[string][]byte // guarded by mu
}

// svg draws the QR code of address as SVG.
func (c *qrCache) svg(address string) ([]byte, error) {
	c.mu.Lock()
	out, ok := c.codes[address]
	c.mu.Unlock()
	if ok {
		return out, nil
	}
	code, err := qrcode.Encode(address)
	if err != nil {
		return nil, err
	}
	b := code.SVG()
	c.mu.Lock()
	if c.codes == nil || len(c.codes) >= 2000 {
		c.codes = map[string][]byte{}
	}
	c.codes[address] = b
	c.mu.Unlock()
	return b, nil
}

// absURL makes a site path absolute with the configured base URL, or the
// request's own scheme and host.
func (h *handler) absURL(r *http.Request, p string) string {
	if h.BaseURL != "" {
		return strings.TrimRight(h.BaseURL, "/") + p
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + p
}

// footerLinks are the outside addresses every page's footer links to.
var footerLinks = []string{"https://beian.miit.gov.cn/", "https://beian.mps.gov.cn/"}

// LinkSource lists outside addresses that appear in published content
// (items' bodies), so the leaving notice can forward to them. The
// publishing feature provides it; nil means only columns and the footer.
type LinkSource interface {
	PublishedLinks(ctx context.Context, target string) (bool, error)
}

// allowedExternal reports whether target appears in published content:
// a link column of any org, the footer, or an item (through LinkSource).
// Anything else is refused, so /leave is no open redirect.
func (h *handler) allowedExternal(ctx context.Context, orgs []org.Org, target string) (bool, error) {
	if !org.ValidExternalURL(target) {
		return false, nil
	}
	if slices.Contains(footerLinks, target) {
		return true, nil
	}
	for _, o := range orgs {
		cols, err := h.Reader.Columns(ctx, o.ID)
		if err != nil {
			return false, err
		}
		for _, c := range cols {
			if c.Kind == org.ColumnLink && c.Visible && c.LinkURL == target {
				return true, nil
			}
		}
	}
	if h.Links != nil {
		return h.Links.PublishedLinks(ctx, target)
	}
	return false, nil
}

type leavePage struct {
	page
	Target  string
	Host    string
	Allowed bool
}

// leave shows the notice before following a link to another site
// ('您访问的链接即将离开…门户网站，是否继续？').
func (h *handler) leave(w http.ResponseWriter, r *http.Request) error {
	sc := siteOf(r)
	target := r.URL.Query().Get("to")
	ok, err := h.allowedExternal(r.Context(), sc.Orgs, target)
	if err != nil {
		return err
	}
	p := leavePage{page: newPage(r, sc, "即将离开本站"), Target: target, Allowed: ok}
	if u, err := url.Parse(target); err == nil {
		p.Host = u.Host
	}
	status := http.StatusOK
	if !ok {
		status = http.StatusNotFound
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.tmpl.Render(w, status, "leave", p)
}
