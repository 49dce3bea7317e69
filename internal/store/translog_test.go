package store_test

import (
	"testing"
	"time"

	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/translog"
)

// TestPublicationLogStorage appends leaves one transaction at a time and
// checks the stored tree against translog's in-memory log: same root at
// every size, and inclusion and consistency proofs that verify.
func TestPublicationLogStorage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o := &org.Org{Code: "42130021", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		c := &org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		it := &publish.Item{State: publish.StateDraft, Current: 1, Validity: publish.ValidityValid, Title: "测试"}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			c.OrgID, it.OrgID = o.ID, o.ID
			if err := tx.CreateColumn(ctx, c); err != nil {
				return err
			}
			it.ColumnID = c.ID
			return tx.CreateItem(ctx, it)
		})
		if err != nil {
			t.Fatal(err)
		}
		var mem translog.MemStore
		var roots []translog.Hash
		const n = 37
		for i := range n {
			l := translog.Leaf{OrgID: o.ID, OrgCode: o.Code, ItemID: it.ID, Version: i + 1, Action: translog.ActionPublish,
				Time: time.Date(2026, 3, 2, 1, 0, i, 0, time.UTC), ContentHash: translog.Digest{byte(i + 1)}}
			var idx int64
			if err := db.Update(ctx, func(tx *store.Tx) (err error) { idx, err = tx.AppendLeaf(ctx, l); return err }); err != nil {
				t.Fatalf("AppendLeaf %d: %v", i, err)
			}
			a, err := mem.Append(l)
			if err != nil {
				t.Fatal(err)
			}
			if idx != int64(i) {
				t.Fatalf("AppendLeaf %d returned index %d", i, idx)
			}
			size, root, err := db.LogHead(ctx)
			if err != nil || size != int64(i+1) || root != a.Root {
				t.Fatalf("LogHead after %d leaves = %d %v, %v; want root %v", i+1, size, root, err, a.Root)
			}
			roots = append(roots, root)
		}
		for _, old := range []int64{1, 2, 7, 16, 36} {
			p, err := db.LogProveTree(ctx, n, old)
			if err != nil {
				t.Fatal(err)
			}
			if err := translog.CheckTree(p, translog.Checkpoint{Origin: "x", Size: old, Root: roots[old-1]}, translog.Checkpoint{Origin: "x", Size: n, Root: roots[n-1]}); err != nil {
				t.Errorf("consistency %d→%d: %v", old, n, err)
			}
		}
		for _, i := range []int64{0, 5, 31, 36} {
			l, err := db.LogLeafAt(ctx, i)
			if err != nil {
				t.Fatal(err)
			}
			p, err := db.LogProveRecord(ctx, n, i)
			if err != nil {
				t.Fatal(err)
			}
			if err := translog.CheckRecord(p, translog.Checkpoint{Origin: "x", Size: n, Root: roots[n-1]}, i, []byte(l.Text)); err != nil {
				t.Errorf("inclusion of leaf %d: %v", i, err)
			}
		}
		if _, err := db.LogProveRecord(ctx, n+1, 0); err == nil {
			t.Error("proof for a tree larger than the log succeeded")
		}
		if _, err := db.LogLeafAt(ctx, n); err == nil {
			t.Errorf("leaf %d beyond the log found", n)
		}
	})
}
