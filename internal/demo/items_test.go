package demo_test

import (
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/demo"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestLoadItems publishes the demo items through the service on both
// databases: they land in their columns, the log and the audit trail are
// real, and one item waits in the confidentiality review queue.
func TestLoadItems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		accounts := account.NewService(db, account.Config{Hasher: account.NewHasher(account.TestHashParams, 1), Now: time.Now, Issuer: "test"})
		if _, err := demo.Load(ctx, db, org.NewService(db), accounts); err != nil {
			t.Fatal(err)
		}
		svc := publish.NewService(db, publish.Options{})
		if err := demo.LoadItems(ctx, db, svc, time.Now()); err != nil {
			t.Fatalf("LoadItems: %v", err)
		}
		public, total, err := db.Items(ctx, publish.Filter{Public: true, Limit: 100})
		if err != nil || total != 8 {
			t.Fatalf("public items = %d, %v; want 8", total, err)
		}
		repealed, updated := 0, 0
		for _, l := range public {
			if l.Item.Validity == publish.ValidityRepealed {
				repealed++
			}
			if l.Item.Live > 1 {
				updated++
			}
		}
		if repealed != 1 || updated != 1 {
			t.Errorf("repealed %d, updated %d; want 1 and 1", repealed, updated)
		}
		waiting, _, err := db.Items(ctx, publish.Filter{States: []publish.State{publish.StateConfidentialityReview}})
		if err != nil || len(waiting) != 1 {
			t.Errorf("items waiting for review = %d, %v; want 1", len(waiting), err)
		}
		if size, err := db.LogSize(ctx); err != nil || size != 10 {
			t.Errorf("log size = %d, %v; want 8 publishes, 1 update, 1 repeal", size, err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("VerifyAudit: %v", err)
		}
	})
}
