package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// formPathRe matches pages that need the server (forms with a challenge,
// search), at the root or below a site, in either script.
var formPathRe = regexp.MustCompile(`^(zh-hant/)?([a-z0-9]+/)?(admin|apply|search|interact|leave|elder)(/|$)`)

func TestExportWritesTheSiteInBothScripts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	out := filepath.Join(t.TempDir(), "mirror")
	vars := map[string]string{"GONGKAI_DATA": dir}
	// Enough generated items for columns of several pages.
	if code, _, e := run(t, vars, "", "demo", "--items", "200"); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	code, stdout, stderr := run(t, vars, "", "export", "--out", out)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	m := regexp.MustCompile(`exported (\d+) pages`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("export output %q", stdout)
	}
	for _, f := range []string{"index.html", "mzj/index.html", "szf/index.html", "col/ldbz/index.html", "zh-hant/index.html",
		"zh-hant/col/nb2017/index.html", "orgs/index.html", "feed.xml", "sitemap.xml", "catalog/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("mirror lacks %s: %v", f, err)
		}
	}
	for _, pattern := range []string{"col/*/page/2/index.html", "zh-hant/col/*/page/2/index.html", "mzj/col/*/page/3/index.html"} {
		if m, _ := filepath.Glob(filepath.Join(out, pattern)); len(m) == 0 {
			t.Errorf("mirror has no further column pages (%s)", pattern)
		}
	}
	// The catalog by each facet, and its further pages, in both scripts.
	for _, pattern := range []string{"catalog/page/2/index.html", "catalog/topic/*/index.html", "catalog/genre/*/index.html",
		"catalog/issuer/*/index.html", "catalog/year/*/index.html", "catalog/validity/valid/index.html",
		"zh-hant/catalog/genre/*/index.html", "mzj/catalog/year/*/page/2/index.html"} {
		if m, _ := filepath.Glob(filepath.Join(out, pattern)); len(m) == 0 {
			t.Errorf("mirror has no catalog pages %s", pattern)
		}
	}
	hant, _ := os.ReadFile(filepath.Join(out, "zh-hant", "index.html"))
	if !strings.Contains(string(hant), "隨州市民政局") {
		t.Error("Traditional home page not converted")
	}
	var css, items, qr int
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(out, p)
		switch {
		case strings.HasPrefix(rel, "static") && strings.HasSuffix(rel, ".css"):
			css++
		case strings.HasPrefix(rel, "item"+string(filepath.Separator)):
			items++
		case strings.HasPrefix(rel, "qr"+string(filepath.Separator)):
			qr++
		case formPathRe.MatchString(filepath.ToSlash(rel)):
			t.Errorf("mirror holds %s, which needs the server", rel)
		}
		return nil
	})
	if css == 0 || qr == 0 {
		t.Errorf("mirror has %d stylesheets and %d QR codes", css, qr)
	}
	if items == 0 {
		t.Error("mirror has no item pages")
	}
}
