package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"

	"gongkai/internal/apply"
	"gongkai/internal/inspect"
	"gongkai/internal/interact"
	"gongkai/internal/job"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// InspectOptions tune a site inspection.
type InspectOptions struct {
	// External also checks links to other sites, at most PerHost
	// addresses per host, each within Timeout.
	External bool
	PerHost  int           // 0: 5
	Timeout  time.Duration // 0: 10 s
	// Client fetches outside addresses; nil: a client with Timeout.
	Client *http.Client
	// MaxPages bounds the crawl of the org's own pages; 0: 2000.
	MaxPages int
	// Progress, when set, is called after each page with the pages done
	// and the pages known so far.
	Progress func(done, known int)
}

// Inspect crawls the public site of the org with the given code through
// the application's own handler (no network), then applies the national
// spot check's rules to what it found.
func (a *App) Inspect(ctx context.Context, code string, opts InspectOptions) (inspect.Crawl, inspect.Report, error) {
	o, err := a.DB.OrgByCode(ctx, code)
	if err != nil {
		return inspect.Crawl{}, inspect.Report{}, err
	}
	now := a.DB.Now()
	c := inspect.Crawl{Org: o.Name, At: now}
	host, base := "inspect.invalid", ""
	if o.Site.PathPrefix != "" {
		base = "/" + o.Site.PathPrefix
	} else if o.Site.Host != "" {
		host = o.Site.Host
	}
	c.Start = base + "/"
	if opts.MaxPages == 0 {
		opts.MaxPages = 2000
	}
	c.Pages = a.crawl(ctx, host, base, opts)
	if opts.External {
		c.Pages = append(c.Pages, checkExternal(ctx, c.Pages, opts)...)
	}
	if err := a.inspectRegisters(ctx, o, &c); err != nil {
		return c, inspect.Report{}, err
	}
	return c, inspect.Check(c, now), nil
}

// inspectRegisters fills in the columns' publication dates and the
// interaction and application deadlines.
func (a *App) inspectRegisters(ctx context.Context, o *org.Org, c *inspect.Crawl) error {
	base := ""
	if o.Site.PathPrefix != "" {
		base = "/" + o.Site.PathPrefix
	}
	latest, _, err := a.DB.Items(ctx, publish.Filter{Public: true, OrgIDs: []int64{o.ID}, Limit: 1})
	if err != nil {
		return err
	}
	if len(latest) > 0 {
		c.HomeLatest = latest[0].Item.FirstPublishedAt
	}
	cols, err := a.DB.Columns(ctx, o.ID)
	if err != nil {
		return err
	}
	parents := map[int64]bool{}
	for _, col := range cols {
		parents[col.ParentID] = true
	}
	for _, col := range cols {
		if !col.Visible {
			continue
		}
		// A list column with subcolumns is a navigation level: its
		// subcolumns are checked, not it.
		ic := inspect.Column{Name: col.Name, URL: base + "/col/" + col.Slug, List: col.Kind == org.ColumnList && !parents[col.ID], UpdateDays: col.UpdateDays}
		if ic.List {
			rows, total, err := a.DB.Items(ctx, publish.Filter{Public: true, OrgIDs: []int64{o.ID}, ColumnID: col.ID, Limit: 1})
			if err != nil {
				return err
			}
			ic.Items = total
			if len(rows) > 0 {
				ic.Latest = rows[0].Item.FirstPublishedAt
			}
		}
		c.Columns = append(c.Columns, ic)
	}
	if a.Interact != nil {
		cal, today, err := a.Interact.CalendarNow(ctx)
		if err != nil {
			return err
		}
		msgs, err := a.DB.Messages(ctx, interact.Filter{OrgIDs: []int64{o.ID}, Open: true})
		if err != nil {
			return err
		}
		for i := range msgs {
			switch interact.MarkOf(cal, &msgs[i], today) {
			case interact.MarkStale:
				c.StaleMessages++
			case interact.MarkOverdue:
				c.OverdueMessages++
			}
		}
		if a.Apply != nil {
			apps, err := a.DB.Applications(ctx, []int64{o.ID}, true, 5000)
			if err != nil {
				return err
			}
			today := apply.Today(a.DB.Now())
			for _, ap := range apps {
				if a.Apply.Rules().Compute(cal, ap.Channel, ap.Events, today).Overdue(today) {
					c.OverdueApplications++
				}
			}
		}
	}
	return nil
}

// crawlSkip are paths that repeat other pages (another script, reading
// mode) or are not pages; the crawl does not follow them.
var crawlSkip = []string{"/zh-hant", "/elder", "/qr/", "/admin", "/api/", "/log/"}

// crawl fetches the org's pages breadth first from its home page through
// h, following links under base, and fetches once every other local
// address they link to (files, assets, other orgs' pages) for its status.
func (a *App) crawl(ctx context.Context, host, base string, opts InspectOptions) []inspect.Page {
	start := base + "/"
	queue := []string{start}
	from := map[string]string{start: ""}
	var pages []inspect.Page
	external := map[string]string{}
	for len(queue) > 0 && ctx.Err() == nil {
		p := queue[0]
		queue = queue[1:]
		status, ctype, body := fetchLocal(a.crawlHandler, host, p)
		pg := inspect.Page{URL: p, Status: status, From: from[p]}
		follow := (p == start || strings.HasPrefix(p, base+"/")) && strings.HasPrefix(ctype, "text/html") && status == http.StatusOK
		if follow {
			links, imgs := pageLinks(body)
			pg.Images = imgs
			for _, l := range links {
				u, ok := resolveLink(l, p, host)
				if !ok {
					continue
				}
				if u.Host != "" {
					if _, seen := external[u.String()]; !seen {
						external[u.String()] = p
					}
					continue
				}
				target := u.Path
				if u.RawQuery != "" {
					target += "?" + u.RawQuery
				}
				if _, seen := from[target]; seen || skipped(target, base) || len(from) >= opts.MaxPages {
					continue
				}
				from[target] = p
				queue = append(queue, target)
			}
		}
		pages = append(pages, pg)
		if opts.Progress != nil {
			opts.Progress(len(pages), len(from))
		}
	}
	// Outside links are kept for checkExternal, marked as not yet fetched.
	keys := make([]string, 0, len(external))
	for k := range external {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pages = append(pages, inspect.Page{URL: k, From: external[k], External: true, Status: -1})
	}
	return pages
}

func skipped(p, base string) bool {
	rest := strings.TrimPrefix(p, base)
	for _, s := range crawlSkip {
		if strings.HasPrefix(p, s) || strings.HasPrefix(rest, s) {
			return true
		}
	}
	// Paging and filters of lists beyond a few pages add nothing new.
	if i := strings.Index(p, "?"); i >= 0 {
		q, _ := url.ParseQuery(p[i+1:])
		if len(q) != 1 || q.Get("page") == "" || len(q.Get("page")) > 1 {
			return true
		}
	}
	return false
}

// fetchLocal serves GET p through h, as a reader on the org's host.
func fetchLocal(h http.Handler, host, p string) (status int, ctype string, body []byte) {
	req := httptest.NewRequest(http.MethodGet, "http://"+host+p, nil)
	req.Host = host
	req.RemoteAddr = "127.0.0.1:0"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()
}

// pageLinks lists the href and src addresses of a page, and its images.
func pageLinks(page []byte) (links []string, imgs []inspect.Image) {
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return links, imgs
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		var img inspect.Image
		isImg := string(name) == "img"
		for hasAttr {
			var key, val []byte
			key, val, hasAttr = z.TagAttr()
			switch string(key) {
			case "href":
				if string(name) == "a" || string(name) == "link" {
					links = append(links, string(val))
				}
			case "src":
				links = append(links, string(val))
				img.Src = string(val)
			case "alt":
				img.Alt, img.HasAlt = string(val), true
			}
		}
		if isImg {
			imgs = append(imgs, img)
		}
	}
}

// resolveLink makes a link absolute against the page; ok is false for
// links that are not addresses (mailto:, javascript:, fragments).
func resolveLink(link, page, host string) (*url.URL, bool) {
	link = strings.TrimSpace(link)
	if link == "" || strings.HasPrefix(link, "#") {
		return nil, false
	}
	u, err := url.Parse(link)
	if err != nil {
		return nil, false
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return nil, false
	}
	if u.Host == host {
		u.Scheme, u.Host = "", ""
	}
	if u.Host == "" {
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = path.Join(path.Dir(strings.SplitN(page, "?", 2)[0]+"x"), u.Path)
		}
		u.Fragment = ""
		return u, u.Path != ""
	}
	u.Fragment = ""
	return u, true
}

// checkExternal fetches the outside addresses found by the crawl, at most
// PerHost per host and a few at once, each within Timeout; the others
// stay unchecked and are dropped.
func checkExternal(ctx context.Context, pages []inspect.Page, opts InspectOptions) []inspect.Page {
	if opts.PerHost == 0 {
		opts.PerHost = 5
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout}
	}
	perHost := map[string]int{}
	var todo []inspect.Page
	for _, p := range pages {
		if !p.External {
			continue
		}
		u, _ := url.Parse(p.URL)
		if perHost[u.Host] >= opts.PerHost {
			continue
		}
		perHost[u.Host]++
		todo = append(todo, p)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			todo[i].Status, todo[i].Err = fetchOutside(ctx, client, todo[i].URL, opts.Timeout)
		}()
	}
	wg.Wait()
	return todo
}

// fetchOutside asks an outside address with HEAD, and with GET when HEAD
// is refused.
func fetchOutside(ctx context.Context, client *http.Client, u string, timeout time.Duration) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	for _, m := range []string{http.MethodHead, http.MethodGet} {
		req, err := http.NewRequestWithContext(ctx, m, u, nil)
		if err != nil {
			return 0, "地址无效"
		}
		req.Header.Set("User-Agent", "Gongkai site inspection")
		res, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		res.Body.Close()
		if m == http.MethodHead && (res.StatusCode == http.StatusMethodNotAllowed || res.StatusCode == http.StatusNotImplemented) {
			continue
		}
		return res.StatusCode, ""
	}
	if ctx.Err() != nil {
		return 0, "超时"
	}
	return 0, fmt.Sprintf("连接失败（%T）", last)
}

// JobInspectDaily starts an inspection of every org's site each night.
const JobInspectDaily = "inspect.daily"

// setupInspect registers the inspection jobs: a run started from the
// admin or by the daily schedule is carried out by inspect.run.
func (a *App) setupInspect() error {
	a.Jobs.Handle(inspect.JobRun, a.runInspection)
	a.Jobs.Handle(JobInspectDaily, func(ctx context.Context, _ job.Job) error {
		orgs, err := a.DB.Orgs(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if _, err := a.DB.StartInspection(ctx, o.ID, "scheduled", 0); err != nil {
				return err
			}
		}
		return nil
	})
	// At 02:00 China time: a crawl of every page belongs in the quiet
	// hours, never at start-up or in the morning rush.
	return a.Jobs.Daily(JobInspectDaily, 18*time.Hour, nil)
}

// runInspection carries out one run, recording progress every few pages
// so the admin page can show it.
func (a *App) runInspection(ctx context.Context, j job.Job) error {
	var p inspect.RunPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("inspect.run payload: %v: %w", err, job.ErrPermanent)
	}
	run, _, err := a.DB.InspectionRun(ctx, p.RunID)
	if err != nil {
		return fmt.Errorf("%v: %w", err, job.ErrPermanent)
	}
	if run.State != inspect.RunRunning {
		return nil // already finished: the job ran before
	}
	o, err := a.DB.Org(ctx, run.OrgID)
	if err != nil {
		return err
	}
	opts := InspectOptions{Progress: func(done, known int) {
		if done%10 == 0 {
			// Progress is informative only: a failed update is not worth
			// failing the run for.
			_ = a.DB.InspectionProgress(ctx, run.ID, done, known)
		}
	}}
	_, report, err := a.Inspect(ctx, o.Code, opts)
	if err != nil {
		if ferr := a.DB.FinishInspection(ctx, run.ID, inspect.Report{}, "检查未能完成，请稍后重试"); ferr != nil {
			return ferr
		}
		return fmt.Errorf("inspect org %d: %v: %w", o.ID, err, job.ErrPermanent)
	}
	return a.DB.FinishInspection(ctx, run.ID, report, "")
}

// mapSource gathers the published items of orgs for the map self-check.
type mapSource struct{ a *App }

// MapImages lists the map images of the orgs' published items.
func (m mapSource) MapImages(ctx context.Context, orgIDs []int64) ([]inspect.MapImage, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	var srcs []inspect.MapSource
	for offset := 0; ; offset += 200 {
		rows, total, err := m.a.DB.Items(ctx, publish.Filter{Public: true, OrgIDs: orgIDs, Limit: 200, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, l := range rows {
			v, err := m.a.DB.ItemVersion(ctx, l.Item.ID, l.Item.Live)
			if err != nil {
				return nil, err
			}
			atts, err := m.a.DB.ItemAttachments(ctx, l.Item.ID, l.Item.Live)
			if err != nil {
				return nil, err
			}
			srcs = append(srcs, inspect.MapSource{ItemID: l.Item.ID, OrgID: l.Item.OrgID, Title: v.Title, Body: v.Body, Attachments: atts})
		}
		if offset+len(rows) >= total || len(rows) == 0 {
			break
		}
	}
	return inspect.MapImages(srcs), nil
}
