package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/catalog"
	"gongkai/internal/search"
	"gongkai/internal/store"
)

func TestDemoGeneratesItemsForLoadTests(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	vars := map[string]string{"GONGKAI_DATA": dir}
	if code, out, e := run(t, vars, "", "demo", "--items", "40"); code != 0 || !strings.Contains(out, "added 40 generated items") {
		t.Fatalf("demo --items 40 = %d %q %q", code, out, e)
	}
	if code, out, e := run(t, vars, "", "demo", "--items", "10"); code != 0 || !strings.Contains(out, "added 10 generated items") {
		t.Fatalf("demo --items 10 on a loaded database = %d %q %q", code, out, e)
	}
	db, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bureau, err := db.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	_, total, err := db.Catalog(t.Context(), catalog.Filter{OrgID: bureau.ID, Limit: 1})
	if err != nil || total < 50 {
		t.Errorf("catalog holds %d items, want at least the 50 generated: %v", total, err)
	}
	hits, n, err := db.Search(t.Context(), search.ParseQuery("民政"), search.Filter{Limit: 5}, db.Now())
	if err != nil || n < 10 || len(hits) == 0 {
		t.Errorf("search over generated items found %d: %v", n, err)
	}
}
