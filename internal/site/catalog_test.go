package site

import (
	"testing"

	"gongkai/internal/catalog"
)

// TestCatalogPageAddresses: one facet (or none) pages by path, so a
// static mirror holds it; more facets, the whole group or a value that
// cannot be a path segment page by query string.
func TestCatalogPageAddresses(t *testing.T) {
	tests := []struct {
		name   string
		filter catalog.Filter
		all    bool
		page   int
		want   string
	}{
		{"whole catalog", catalog.Filter{}, false, 1, "/mzj/catalog/"},
		{"whole catalog, page 3", catalog.Filter{}, false, 3, "/mzj/catalog/page/3/"},
		{"by topic", catalog.Filter{Topic: "民政"}, false, 2, "/mzj/catalog/topic/%E6%B0%91%E6%94%BF/page/2/"},
		{"by year", catalog.Filter{Year: 2026}, false, 1, "/mzj/catalog/year/2026/"},
		{"by validity", catalog.Filter{Validity: "expired"}, false, 2, "/mzj/catalog/validity/expired/page/2/"},
		{"two facets", catalog.Filter{Topic: "民政", Year: 2026}, false, 2, "/mzj/catalog?q&page=2"},
		{"whole group", catalog.Filter{}, true, 2, "/mzj/catalog?q&page=2"},
		{"slash in a value", catalog.Filter{Issuer: "民政局/社会救助科"}, false, 2, "/mzj/catalog?q&page=2"},
	}
	for _, tt := range tests {
		p := catalogPage{page: page{Base: "/mzj"}, Filter: tt.filter, All: tt.all, Query: "q"}
		if got := p.PageURL(tt.page); got != tt.want {
			t.Errorf("%s: PageURL(%d) = %q, want %q", tt.name, tt.page, got, tt.want)
		}
	}
}
