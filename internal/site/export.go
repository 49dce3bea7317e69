package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/net/html"
)

// ExportOptions configure Export.
type ExportOptions struct {
	Out   string   // directory to write into; created if missing
	Host  string   // Host header for requests, e.g. 127.0.0.1 or mzj.suizhou.gov.cn
	Seeds []string // paths to start from, e.g. "/" or "/mzj/"; their /zh-hant versions are added
	// DefaultSite is the path prefix ("/mzj") of the org whose site is
	// also served at the root, when both are exported: an item page at
	// the root is followed at once by the same item under the prefix,
	// while its data is still in the item memo.
	DefaultSite string
	// Workers render pages side by side; 0 means 4.
	Workers int
	// Prefetch, if set, is called with paths about to be requested, in
	// batches, so the handler can read what they show in one go
	// (Prefetcher). An error only costs the reading ahead.
	Prefetch func(ctx context.Context, paths []string) error
	// Progress, if set, is called after each file with the count so far.
	Progress func(done int, path string)
}

// ExportStats says what Export wrote.
type ExportStats struct {
	Pages int // HTML pages
	Files int // other files: styles, images, feeds, attachments
	Bytes int64
}

// exportSkip are paths a static mirror cannot serve: the staff area,
// forms, searches, APIs and redirects that need the server. They are
// matched at the root and below a site's prefix, in either script.
var exportSkip = []string{"/admin", "/api/", "/leave", "/elder", "/apply", "/interact", "/search", "/log/", "/healthz", "/metrics"}

// skipExport reports whether p (a cleaned absolute path) is one of them,
// at the root or below one of the sites (seeds).
func skipExport(p string, seeds []string) bool {
	if p == HantPrefix || strings.HasPrefix(p, HantPrefix+"/") {
		p = strings.TrimPrefix(p, HantPrefix)
	}
	under := func(p, s string) bool {
		seg := strings.TrimSuffix(s, "/")
		return p == seg || strings.HasPrefix(p, seg+"/")
	}
	for _, s := range exportSkip {
		if under(p, s) {
			return true
		}
		for _, seed := range seeds {
			if base := strings.TrimSuffix(seed, "/"); base != "" && strings.HasPrefix(p, base+"/") && under(strings.TrimPrefix(p, base), s) {
				return true
			}
		}
	}
	return false
}

// Export writes the public site, in Simplified and Traditional Chinese,
// as static files under opts.Out, for a CDN or a mirror: it requests the
// seed pages from h (the full application handler, so styles and
// attachments come too), follows every local link without a query
// string, and writes each answer where a static server finds it
// (/col/x/ → col/x/index.html, /item/5 → item/5/index.html); further pages
// of long lists have paths too (/col/x/page/2/). Links with a query string
// (catalog filters) are not followed.
func Export(ctx context.Context, h http.Handler, opts ExportOptions) (ExportStats, error) {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return ExportStats{}, err
	}
	var (
		mu       sync.Mutex
		seen     = map[string]bool{}
		queue    []string
		twins    []string // Traditional twins of pages just written, taken first
		stats    ExportStats
		pending  int
		firstErr error
		cond     = sync.NewCond(&mu)
		// ahead is how many paths at the front of queue were given to
		// Prefetch; fetching says a batch is being read.
		ahead    int
		fetching bool
	)
	add := func(p string) { // mu held
		if !seen[p] {
			seen[p] = true
			queue = append(queue, p)
			cond.Signal()
		}
	}
	mu.Lock()
	add("/robots.txt")
	for _, s := range opts.Seeds {
		add(s)
		add(HantPrefix + s)
		add(strings.TrimSuffix(s, "/") + "/sitemap.xml")
	}
	mu.Unlock()
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(queue)+len(twins) == 0 && pending > 0 && firstErr == nil && ctx.Err() == nil {
					cond.Wait()
				}
				if len(queue)+len(twins) == 0 || firstErr != nil || ctx.Err() != nil {
					mu.Unlock()
					cond.Broadcast()
					return
				}
				var p string
				if n := len(twins); n > 0 {
					p, twins = twins[n-1], twins[:n-1]
				} else {
					p, queue = queue[0], queue[1:]
					ahead = max(ahead-1, 0)
				}
				pending++
				// Keep a batch read ahead of the workers: when less than
				// one is left, this worker reads the next before its page.
				var batch []string
				if opts.Prefetch != nil && !fetching && ahead < prefetchBatch && ahead < len(queue) {
					batch = queue[ahead:min(len(queue), ahead+prefetchBatch)]
					ahead += len(batch)
					fetching = true
				}
				mu.Unlock()
				if batch != nil {
					_ = opts.Prefetch(ctx, batch)
					mu.Lock()
					fetching = false
					mu.Unlock()
				}

				links, isPage, n, err := exportOne(h, opts, p)

				mu.Lock()
				pending--
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if n > 0 {
					stats.Bytes += int64(n)
					if isPage {
						stats.Pages++
					} else {
						stats.Files++
					}
					if opts.Progress != nil {
						opts.Progress(stats.Pages+stats.Files, p)
					}
				}
				// A page's Traditional twin next, while what it shows is
				// still in the item memo.
				if tp := HantPrefix + p; isPage && !strings.HasPrefix(p, HantPrefix+"/") && p != HantPrefix && !seen[tp] {
					seen[tp] = true
					twins = append(twins, tp)
				}
				// Taken before the Traditional twin: the twins are a stack.
				if ap := opts.DefaultSite + p; isPage && opts.DefaultSite != "" && strings.HasPrefix(p, "/item/") && !seen[ap] {
					seen[ap] = true
					twins = append(twins, ap)
				}
				for _, l := range links {
					add(l)
				}
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return stats, firstErr
}

// prefetchBatch is how many queued paths Export gives Prefetch at once.
const prefetchBatch = 128

// exportOne fetches p, writes it and returns the local links it has.
func exportOne(h http.Handler, opts ExportOptions, p string) (links []string, isPage bool, n int, err error) {
	req, err := http.NewRequest(http.MethodGet, "http://"+opts.Host+p, nil)
	if err != nil {
		return nil, false, 0, nil
	}
	req.Host = opts.Host
	req.RemoteAddr = "127.0.0.1:0"
	rec := &bufferedResponse{header: http.Header{}}
	h.ServeHTTP(rec, req)
	if rec.status != 0 && rec.status != http.StatusOK {
		return nil, false, 0, nil // redirects and missing pages are not mirrored
	}
	body := rec.body.Bytes()
	isPage = strings.HasPrefix(rec.header.Get("Content-Type"), "text/html")
	file := exportPath(p, isPage)
	dst := filepath.Join(opts.Out, filepath.FromSlash(file))
	if !strings.HasPrefix(dst, filepath.Clean(opts.Out)+string(filepath.Separator)) {
		return nil, false, 0, fmt.Errorf("export %s: path leaves the output directory", p)
	}
	if err := makeDir(filepath.Dir(dst)); err != nil {
		return nil, false, 0, err
	}
	if err := os.WriteFile(dst, body, 0o644); err != nil {
		return nil, false, 0, err
	}
	switch {
	case isPage:
		links = localLinks(body, p, opts.Seeds)
	case strings.HasSuffix(p, "sitemap.xml"):
		// The sitemap names every item, whatever links reach it.
		for _, l := range sitemapLinks(body) {
			if !skipExport(l, opts.Seeds) {
				links = append(links, l)
			}
		}
	}
	return links, isPage, len(body), nil
}

// makeDir makes dir. Most pages have a directory of their own
// (item/5/index.html) whose parent exists, so one mkdir makes it, where
// os.MkdirAll would stat twice first; for a directory that exists it
// costs what MkdirAll's stat does.
func makeDir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case errors.Is(err, fs.ErrExist):
		return nil // a file in its place fails the write that follows
	}
	return err
}

// exportPath is where a static server looks for the answer to p.
func exportPath(p string, isPage bool) string {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	if p == "" || p == "." {
		return "index.html"
	}
	if isPage && path.Ext(p) == "" {
		return p + "/index.html"
	}
	return p
}

// localLinks lists the local addresses a page links to or loads: the
// values of its href and src attributes, each once, in order. It looks
// for href=" and src=" after a space instead of parsing the page (which
// cost a tenth of the export): every page comes from our templates,
// which quote attribute values, with bodies that passed the sanitizer,
// which writes them quoted too, and a quote in text is escaped, so these
// can only begin an attribute.
func localLinks(page []byte, from string, seeds []string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; ; {
		j := bytes.Index(page[i:], []byte(`="`))
		if j < 0 {
			return out
		}
		start := i + j + 2
		name := page[:i+j]
		i = start
		if !hasAttrName(name, "href") && !hasAttrName(name, "src") {
			continue
		}
		end := bytes.IndexByte(page[start:], '"')
		if end < 0 {
			return out
		}
		i = start + end + 1
		v := string(page[start : start+end])
		if seen[v] {
			continue
		}
		seen[v] = true
		link := v
		if strings.IndexByte(link, '&') >= 0 {
			link = html.UnescapeString(link)
		}
		if l, ok := exportable(link, from, seeds); ok {
			out = append(out, l)
		}
	}
}

// hasAttrName reports whether b ends with a space and then name.
func hasAttrName(b []byte, name string) bool {
	n := len(b) - len(name)
	if n < 1 || string(b[n:]) != name {
		return false
	}
	switch b[n-1] {
	case ' ', '\n', '\t', '\r':
		return true
	}
	return false
}

// exportable reports whether a link is a local path a mirror can hold.
func exportable(link, from string, seeds []string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(from), p)
	}
	if skipExport(p, seeds) {
		return "", false
	}
	return p, true
}

// sitemapLinks lists the local paths a sitemap names.
func sitemapLinks(b []byte) []string {
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		return nil
	}
	var out []string
	for _, u := range set.URLs {
		if pu, err := url.Parse(u.Loc); err == nil && pu.RawQuery == "" && strings.HasPrefix(pu.Path, "/") {
			out = append(out, pu.Path)
		}
	}
	return out
}
