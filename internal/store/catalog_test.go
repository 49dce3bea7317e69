package store_test

import (
	"fmt"
	"testing"
	"time"

	"gongkai/internal/catalog"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestCatalogPagesAreSlicesOfOneOrder pages through a filtered catalog:
// every page is the right slice of the newest-first order, filters whose
// values run together (genre "c" and issuer "ab", genre "ca" and
// issuer "b") stay apart, and a withdrawal
// shows once the cache generation moves.
func TestCatalogPagesAreSlicesOfOneOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o, col := putOrgColumn(t, db)
		start := time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)
		var relief []int64 // 社会救助 items, newest first
		for id := int64(1); id <= 70; id++ {
			at := start.Add(time.Duration(id) * time.Hour)
			putItem(t, db, id, o, col, "published", 1, "valid", at, fmt.Sprint("通知", id), "<p>正文</p>", "")
			topic, issuer, genre := "养老服务", "b", "ca"
			if id > 21 {
				issuer, genre = "x", "y"
			}
			if id%2 == 0 {
				topic, issuer, genre = "社会救助", "ab", "c"
				relief = append([]int64{id}, relief...)
			}
			if err := db.ExecForTest(ctx, `UPDATE item_versions SET topic = ?, issuer = ?, genre = ? WHERE item_id = ?`, topic, issuer, genre, id); err != nil {
				t.Fatal(err)
			}
			if err := db.ExecForTest(ctx, `UPDATE items SET first_published_at = ? WHERE id = ?`, timeArg(db, at), id); err != nil {
				t.Fatal(err)
			}
		}
		db.RefreshCacheGen(ctx)
		page := func(f catalog.Filter) ([]int64, int) {
			t.Helper()
			f.OrgID = o.ID
			rows, total, err := db.Catalog(ctx, f)
			if err != nil {
				t.Fatalf("Catalog(%+v): %v", f, err)
			}
			var ids []int64
			for _, r := range rows {
				ids = append(ids, r.ItemID)
				if r.Title != fmt.Sprint("通知", r.ItemID) || r.Topic != "社会救助" && f.Topic != "" {
					t.Errorf("row %d: title %q, topic %q", r.ItemID, r.Title, r.Topic)
				}
			}
			return ids, total
		}
		var all []int64
		for off := 0; off < 40; off += 15 {
			ids, total := page(catalog.Filter{Topic: "社会救助", Limit: 15, Offset: off})
			if total != 35 {
				t.Fatalf("total %d, want 35", total)
			}
			all = append(all, ids...)
		}
		if fmt.Sprint(all) != fmt.Sprint(relief) {
			t.Errorf("pages run together to %v, want %v", all, relief)
		}
		if ids, total := page(catalog.Filter{Topic: "社会救助", Limit: 15, Offset: 35}); len(ids) != 0 || total != 35 {
			t.Errorf("past the last page: %v of %d", ids, total)
		}
		if _, total := page(catalog.Filter{Issuer: "ab", Genre: "c", Limit: 5}); total != 35 {
			t.Errorf("issuer ab, genre c: %d items, want 35", total)
		}
		if _, total := page(catalog.Filter{Issuer: "b", Genre: "ca", Limit: 5}); total != 11 {
			t.Errorf("issuer b, genre ca: %d items, want 11", total)
		}
		if _, total := page(catalog.Filter{Issuer: "b", Genre: "c", Limit: 5}); total != 0 {
			t.Errorf("issuer b, genre c: %d items, want 0", total)
		}
		if err := db.ExecForTest(ctx, `UPDATE items SET state = 'withdrawn' WHERE id = ?`, relief[0]); err != nil {
			t.Fatal(err)
		}
		db.RefreshCacheGen(ctx)
		if ids, total := page(catalog.Filter{Topic: "社会救助", Limit: 1}); total != 34 || ids[0] != relief[1] {
			t.Errorf("after withdrawing %d: first %v of %d, want %d of 34", relief[0], ids, total, relief[1])
		}
	})
}
