package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/site"
)

func runExport(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "export", "export --out DIR [--org CODE] [--host HOST]\n\nWrites the public site (Simplified and Traditional Chinese) as static files for a CDN or a mirror.\nServe DIR with a static server that maps /path/ and /path to /path/index.html.")
	load := config.Register(fs, e.getenv, "data", "database-url")
	out := fs.String("out", "", "directory to write the site into (required)")
	orgCode := fs.String("org", "", "export only this org's site (default: every org of the site group)")
	host := fs.String("host", "127.0.0.1", "host name the pages are rendered for; absolute links in feeds and QR codes use it")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if *out == "" {
		return e.errorf(exitUsage, "export: --out is required")
	}
	a, code := loadApp(ctx, e, "export", load)
	if a == nil {
		return code
	}
	defer a.Close()
	orgs, err := a.DB.Orgs(ctx)
	if err != nil {
		return e.errorf(exitFailure, "export: %v", err)
	}
	var seeds []string
	for _, o := range orgs {
		if *orgCode == "" || o.Code == *orgCode {
			seeds = append(seeds, "/"+o.Site.PathPrefix+"/")
		}
	}
	if len(seeds) == 0 {
		return e.errorf(exitUsage, "export: no org with code %q (see 'gongkai org list')", *orgCode)
	}
	defaultSite := ""
	if *orgCode == "" {
		seeds = append(seeds, "/")
		for _, o := range orgs {
			if o.Site.IsDefault && o.Site.Host == "" && o.Site.PathPrefix != "" {
				defaultSite = "/" + o.Site.PathPrefix
			}
		}
	}
	tuneForExport(a)
	start := time.Now()
	progress := func(done int, _ string) {
		if done%100 == 0 {
			rate := float64(done) / time.Since(start).Seconds()
			fmt.Fprintf(e.stderr, "\rexported %d files (%.0f/s)", done, rate)
		}
	}
	stats, err := site.Export(ctx, a.Handler, site.ExportOptions{Out: *out, Host: *host, Seeds: seeds, DefaultSite: defaultSite, Progress: progress,
		Prefetch: a.Prefetch})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return e.errorf(exitFailure, "export: %v", err)
	}
	d := time.Since(start)
	fmt.Fprintf(e.stdout, "exported %d pages and %d other files (%.1f MB) to %s in %.1fs (%.0f pages/s)\n",
		stats.Pages, stats.Files, float64(stats.Bytes)/1e6, *out, d.Seconds(), float64(stats.Pages)/d.Seconds())
	return exitOK
}

// tuneForExport trades memory for speed in a process that only exports:
// each page is asked for once, so the page cache keeps just enough for a
// page's twins, and the garbage collector runs a quarter as often (most
// of what a page allocates is garbage once it is written), within a
// memory limit. GOGC and GOMEMLIMIT, when set, are left to rule.
func tuneForExport(a *app.App) {
	a.Pages.SetMax(1 << 20)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
