package store_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		ms, err := db.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != ms[len(ms)-1].Version {
			t.Errorf("SchemaVersion() = %d, want %d", v, ms[len(ms)-1].Version)
		}
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", applied)
		}
	})
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if err := db.ExecForTest(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, 9999, "future", "2030-01-01T00:00:00.000000Z"); err != nil {
			t.Fatal(err)
		}
		_, err := db.Migrate(ctx)
		var tooNew *store.ErrSchemaTooNew
		if !errors.As(err, &tooNew) {
			t.Fatalf("Migrate() error = %v, want ErrSchemaTooNew", err)
		}
	})
}

// TestSchemaParity checks that both backends end with the same tables,
// columns and nullability.
func TestSchemaParity(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := t.Context()
	lite, err := storetest.OpenSQLite(t).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := storetest.OpenPostgres(t, url).Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("schema differs between SQLite and PostgreSQL (-sqlite +postgres):\n%s", diff)
	}
}

func TestOrgAndColumnRoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		city := &org.Org{Code: "CITY", Name: "随州市人民政府", Site: org.Site{PathPrefix: "szs", Host: "www.suizhou.gov.cn", SiteCode: "4213000001"}}
		bureau := &org.Org{Code: "MZJ", Name: "随州市民政局", ShortName: "市民政局", Site: org.Site{PathPrefix: "mzj", IsDefault: true, ICP: "鄂ICP备05003314号"}}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, city); err != nil {
				return err
			}
			bureau.ParentID = city.ID
			return tx.CreateOrg(ctx, bureau)
		})
		if err != nil {
			t.Fatal(err)
		}
		col := &org.Column{OrgID: bureau.ID, Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true, UpdateDays: 180}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreateColumn(ctx, col) }); err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			got, err := tx.Org(ctx, bureau.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(bureau, got); diff != "" {
				t.Errorf("Org() (-want +got):\n%s", diff)
			}
			gotCol, err := tx.ColumnBySlug(ctx, bureau.ID, "tzgg")
			if err != nil {
				return err
			}
			if diff := cmp.Diff(col, gotCol); diff != "" {
				t.Errorf("ColumnBySlug() (-want +got):\n%s", diff)
			}
			path, err := tx.OrgPath(ctx, bureau.ID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff([]int64{city.ID, bureau.ID}, path); diff != "" {
				t.Errorf("OrgPath() (-want +got):\n%s", diff)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A second default org takes the flag over; a duplicate code conflicts.
		err = db.Update(ctx, func(tx *store.Tx) error {
			city.Site.IsDefault = true
			return tx.UpdateOrg(ctx, city)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateOrg(ctx, &org.Org{Code: "MZJ", Name: "重复", Site: org.Site{PathPrefix: "dup"}})
		})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("CreateOrg(duplicate code) error = %v, want ErrConflict", err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			b, err := tx.Org(ctx, bureau.ID)
			if err != nil {
				return err
			}
			if b.Site.IsDefault {
				t.Errorf("bureau still default after city became default")
			}
			_, err = tx.Org(ctx, 999999)
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("Org(missing) error = %v, want ErrNotFound", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestUserGrantsAndThrottleRoundTrip(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o := &org.Org{Code: "MZJ", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		u := &account.User{Username: "li.officer", DisplayName: "李信息员", PasswordHash: "$argon2id$x",
			Grants: []account.Grant{{Role: account.RoleHandler}, {Role: account.RoleOfficer}}}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			u.OrgID = o.ID
			for i := range u.Grants {
				u.Grants[i].OrgID = o.ID
			}
			return tx.CreateUser(ctx, u)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateUser(ctx, &account.User{Username: "li.officer", DisplayName: "x", OrgID: o.ID, PasswordHash: "x"})
		})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("CreateUser(duplicate) error = %v, want ErrConflict", err)
		}
		locked := db.Now().Add(3600e9)
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.SaveCounter(ctx, "user:li.officer", account.Counter{Failures: 0, LockedUntil: locked})
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			got, err := tx.UserByName(ctx, "li.officer")
			if err != nil {
				return err
			}
			if diff := cmp.Diff(u.Grants, got.Grants); diff != "" {
				t.Errorf("grants (-want +got):\n%s", diff)
			}
			if !got.LockedUntil.Equal(locked.Truncate(1000)) {
				t.Errorf("LockedUntil = %v, want %v", got.LockedUntil, locked)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for i, act := range []audit.Action{audit.ActLogin, audit.ActOrgCreate, audit.ActColumnCreate, audit.ActLogout} {
			err := db.Update(ctx, func(tx *store.Tx) error {
				return tx.AppendAudit(ctx, audit.Record{ActorID: 1, ActorName: "admin", OrgID: 1, Action: act, ObjectType: "org", ObjectID: int64(i), Detail: "第" + string(rune('一'+i)) + "条", IP: "127.0.0.1"})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.VerifyAudit(ctx)
		if err != nil || n != 4 {
			t.Fatalf("VerifyAudit() = %d, %v; want 4, nil", n, err)
		}
		var recs []audit.Record
		err = db.View(ctx, func(tx *store.Tx) error {
			recs, err = tx.AuditRecords(ctx, audit.Filter{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		third := recs[1].ID // newest first
		if err := db.ExecForTest(ctx, `UPDATE audit_log SET detail = ? WHERE id = ?`, "改过的", third); err != nil {
			t.Fatal(err)
		}
		_, err = db.VerifyAudit(ctx)
		var broken *audit.BrokenError
		if !errors.As(err, &broken) || broken.ID != third {
			t.Fatalf("VerifyAudit() after tampering = %v, want BrokenError at %d", err, third)
		}
	})
}

func TestAuditChainDetectsDeletion(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for i := range 3 {
			err := db.Update(ctx, func(tx *store.Tx) error {
				return tx.AppendAudit(ctx, audit.Record{ActorName: "cli", Action: audit.ActOrgCreate, ObjectID: int64(i)})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var recs []audit.Record
		err := db.View(ctx, func(tx *store.Tx) (err error) {
			recs, err = tx.AuditRecords(ctx, audit.Filter{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = ?`, recs[1].ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.VerifyAudit(ctx)
		var broken *audit.BrokenError
		if !errors.As(err, &broken) || broken.ID != recs[0].ID {
			t.Fatalf("VerifyAudit() after deletion = %v, want BrokenError at %d", err, recs[0].ID)
		}
	})
}
