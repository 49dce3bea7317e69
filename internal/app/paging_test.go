package app_test

import (
	"net/http"
	"testing"
)

// TestColumnPagesHaveAddresses checks that a long column is paged by
// path (/col/x/page/2/), in both scripts and below a site prefix, that
// pages beyond the last are missing, and that the former ?page= addresses
// lead to the new ones.
func TestColumnPagesHaveAddresses(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		o := e.org("42130021")
		if err := e.app.DB.BulkItems(t.Context(), o.ID, o.Code, []int64{e.column("42130021", "tzgg").ID}, 45, e.clock.Now(), nil); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		tests := []struct {
			path   string
			status int
			wants  []string
			nots   []string
		}{
			{"/col/tzgg/", 200, []string{"共45条，第1/3页", `href="/col/tzgg/page/2/" rel="next"`, `<span aria-current="page">1</span>`,
				`<a href="/col/tzgg/page/3/" aria-label="第3页">3</a>`, `<a href="/col/tzgg/page/3/">尾页</a>`, `<form method="get" action="/col/tzgg/" class="jump">`}, []string{`rel="prev"`, `<a href="/col/tzgg/">首页</a>`}},
			{"/col/tzgg/page/2/", 200, []string{"第2/3页", `href="/col/tzgg/" rel="prev"`, `href="/col/tzgg/page/3/" rel="next"`}, nil},
			{"/col/tzgg/page/3/", 200, []string{"第3/3页", `href="/col/tzgg/page/2/" rel="prev"`, `<a href="/col/tzgg/">首页</a>`}, []string{`rel="next"`, "尾页"}},
			{"/mzj/col/tzgg/page/2/", 200, []string{`href="/mzj/col/tzgg/page/3/" rel="next"`}, nil},
			{"/zh-hant/col/tzgg/page/2/", 200, []string{"第2/3頁", `href="/zh-hant/col/tzgg/page/3/" rel="next"`}, nil},
			{"/col/tzgg/page/4/", 404, nil, nil},
			{"/col/tzgg/page/1/", 404, nil, nil},
			{"/col/tzgg/page/02/", 404, nil, nil},
			{"/col/tzgg/page/x/", 404, nil, nil},
			{"/col/jgzn/page/2/", 404, nil, nil},
		}
		for _, tt := range tests {
			r := b.get(tt.path)
			if r.status != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, r.status, tt.status)
				continue
			}
			mustContain(t, tt.path, r.body, tt.wants...)
			mustNotContain(t, tt.path, r.body, tt.nots...)
		}
		for from, to := range map[string]string{"/col/tzgg/?page=3": "/col/tzgg/page/3/", "/col/tzgg/?page=1": "/col/tzgg/", "/mzj/col/tzgg/?page=2": "/mzj/col/tzgg/page/2/",
			"/col/tzgg/?page=99": "/col/tzgg/page/3/", "/col/tzgg/?page=abc": "/col/tzgg/"} {
			r := b.get(from)
			if r.status != http.StatusMovedPermanently || r.location != to {
				t.Errorf("GET %s = %d to %q, want 301 to %q", from, r.status, r.location, to)
			}
		}
	})
}
