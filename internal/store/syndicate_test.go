package store_test

import (
	"testing"

	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/syndicate"
)

// TestPushCountsByChinaYear checks the annual report's counts of pushes:
// per sending org, by the year in China time, with the accepted and
// declined among them.
func TestPushCountsByChinaYear(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		city := &org.Org{Code: "42130000", Name: "随州市人民政府", Site: org.Site{PathPrefix: "szf"}}
		bureau := &org.Org{Code: "42130021", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		other := &org.Org{Code: "42130022", Name: "随州市财政局", Site: org.Site{PathPrefix: "czj"}}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, city); err != nil {
				return err
			}
			bureau.ParentID, other.ParentID = city.ID, city.ID
			if err := tx.CreateOrg(ctx, bureau); err != nil {
				return err
			}
			return tx.CreateOrg(ctx, other)
		})
		if err != nil {
			t.Fatalf("create orgs: %v", err)
		}
		rows := []struct {
			item  int
			from  int64
			state syndicate.State
			at    string
		}{
			{1, bureau.ID, syndicate.StateAccepted, "2025-12-31T16:00:00.000000Z"}, // 2026-01-01 00:00 in China
			{2, bureau.ID, syndicate.StateDeclined, "2026-06-30T04:00:00.000000Z"},
			{3, bureau.ID, syndicate.StatePushed, "2026-12-31T15:59:59.000000Z"},
			{4, bureau.ID, syndicate.StateAccepted, "2025-12-31T15:59:59.000000Z"}, // still 2025 in China
			{5, bureau.ID, syndicate.StateAccepted, "2026-12-31T16:00:00.000000Z"}, // 2027 in China
			{6, other.ID, syndicate.StateAccepted, "2026-03-01T00:00:00.000000Z"},
		}
		for _, r := range rows {
			if err := db.ExecForTest(ctx, `INSERT INTO pushes (item_id, from_org_id, to_org_id, state, pushed_at) VALUES (?, ?, ?, ?, ?)`,
				r.item, r.from, city.ID, r.state, r.at); err != nil {
				t.Fatalf("insert push: %v", err)
			}
		}
		tests := []struct {
			name string
			orgs []int64
			year int
			want syndicate.Counts
		}{
			{"bureau in 2026", []int64{bureau.ID}, 2026, syndicate.Counts{Pushed: 3, Accepted: 1, Declined: 1}},
			{"bureau in 2025", []int64{bureau.ID}, 2025, syndicate.Counts{Pushed: 1, Accepted: 1}},
			{"both bureaus in 2026", []int64{bureau.ID, other.ID}, 2026, syndicate.Counts{Pushed: 4, Accepted: 2, Declined: 1}},
			{"no orgs", nil, 2026, syndicate.Counts{}},
		}
		for _, tt := range tests {
			got, err := db.PushCounts(ctx, tt.orgs, tt.year)
			if err != nil || got != tt.want {
				t.Errorf("%s: PushCounts = %+v, %v; want %+v", tt.name, got, err, tt.want)
			}
		}
	})
}
