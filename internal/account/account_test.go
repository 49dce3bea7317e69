package account_test

import (
	"errors"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		username string
		ok       bool
	}{
		{"three classes and long enough", "Minzheng-2026", "li", true},
		{"generated passwords pass", account.RandomPassword(), "li", true},
		{"too short", "Ab1-", "li", false},
		{"only two classes", "minzheng2026", "li", false},
		{"contains the user name", "Zhangsan-2026", "zhangsan", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := account.CheckPassword(tt.password, tt.username)
			if (err == nil) != tt.ok {
				t.Errorf("CheckPassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
			}
			var inv *apperr.Invalid
			if err != nil && !errors.As(err, &inv) {
				t.Errorf("error %v is not *apperr.Invalid", err)
			}
		})
	}
}

func TestHasherRoundTrip(t *testing.T) {
	h := account.NewHasher(account.TestHashParams, 2)
	hash, err := h.Hash(t.Context(), "Minzheng-2026")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Check(t.Context(), hash, "Minzheng-2026"); !ok || err != nil {
		t.Errorf("Check(right) = %v, %v", ok, err)
	}
	if ok, _ := h.Check(t.Context(), hash, "minzheng-2026"); ok {
		t.Error("Check(wrong) = true")
	}
	if _, err := h.Check(t.Context(), "$bcrypt$x", "x"); !errors.Is(err, account.ErrBadHash) {
		t.Errorf("Check(malformed) error = %v, want ErrBadHash", err)
	}
	// Hashes made with other parameters still verify.
	other := account.NewHasher(account.HashParams{Memory: 2048, Time: 1, Threads: 1}, 1)
	if ok, _ := other.Check(t.Context(), hash, "Minzheng-2026"); !ok {
		t.Error("hash not verifiable with different current parameters")
	}
}

func TestCheckTOTPRejectsReplayAndDrift(t *testing.T) {
	key, err := account.NewTOTPKey("政务公开", "baomi")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)
	code, _ := account.TOTPCode(key.Secret(), now)
	step, ok := account.CheckTOTP(key.Secret(), code, now, 0)
	if !ok {
		t.Fatal("current code rejected")
	}
	if _, ok := account.CheckTOTP(key.Secret(), code, now, step); ok {
		t.Error("replayed code accepted")
	}
	prev, _ := account.TOTPCode(key.Secret(), now.Add(-30*time.Second))
	if _, ok := account.CheckTOTP(key.Secret(), prev, now, 0); !ok {
		t.Error("code from the previous step (clock drift) rejected")
	}
	old, _ := account.TOTPCode(key.Secret(), now.Add(-2*time.Minute))
	if _, ok := account.CheckTOTP(key.Secret(), old, now, 0); ok {
		t.Error("two-minute-old code accepted")
	}
	if _, ok := account.CheckTOTP(key.Secret(), "12345", now, 0); ok {
		t.Error("five-digit code accepted")
	}
}

func TestThrottleLocksAtLimitAndForgetsOldFailures(t *testing.T) {
	th := account.Throttle{AccountLimit: 3, IPLimit: 10, Window: 10 * time.Minute, LockFor: 15 * time.Minute}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var c account.Counter
	c = th.Fail(c, now, 3)
	c = th.Fail(c, now.Add(time.Minute), 3)
	if c.Locked(now.Add(time.Minute)) {
		t.Fatal("locked after 2 of 3 failures")
	}
	// A failure after the window starts counting afresh.
	c = th.Fail(c, now.Add(20*time.Minute), 3)
	if c.Locked(now.Add(20*time.Minute)) || c.Failures != 1 {
		t.Fatalf("old failures not forgotten: %+v", c)
	}
	c = th.Fail(c, now.Add(21*time.Minute), 3)
	c = th.Fail(c, now.Add(22*time.Minute), 3)
	if !c.Locked(now.Add(22 * time.Minute)) {
		t.Fatal("not locked after 3 failures within the window")
	}
	if c.Locked(now.Add(22*time.Minute + 15*time.Minute)) {
		t.Error("still locked after LockFor")
	}
}

func TestActorHasCoversSubtreeOnly(t *testing.T) {
	// city 1 → bureau 2 → unit 3; bureau 4 is a sibling.
	a := account.Actor{Name: "mzj.admin", Grants: []account.Grant{{OrgID: 2, Role: account.RoleAdmin}, {OrgID: 2, Role: account.RoleOfficer}}}
	tests := []struct {
		name string
		role account.Role
		path []int64
		want bool
	}{
		{"own org", account.RoleAdmin, []int64{1, 2}, true},
		{"unit below", account.RoleAdmin, []int64{1, 2, 3}, true},
		{"parent above", account.RoleAdmin, []int64{1}, false},
		{"sibling bureau", account.RoleAdmin, []int64{1, 4}, false},
		{"role not held", account.RoleReviewer, []int64{1, 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := a.Has(tt.role, tt.path); got != tt.want {
				t.Errorf("Has(%s, %v) = %v, want %v", tt.role, tt.path, got, tt.want)
			}
		})
	}
	if !account.System("cli").Has(account.RoleAdmin, []int64{1}) {
		t.Error("system actor lacks a role")
	}
	if err := a.Require([]int64{1}, account.RoleAdmin); !errors.Is(err, apperr.ErrForbidden) {
		t.Errorf("Require outside scope = %v, want ErrForbidden", err)
	}
}

func TestRolesNeedingTOTP(t *testing.T) {
	for _, r := range account.Roles() {
		want := r == account.RoleReviewer || r == account.RolePublisher || r == account.RoleAdmin
		if r.NeedsTOTP() != want {
			t.Errorf("%s.NeedsTOTP() = %v, want %v", r, r.NeedsTOTP(), want)
		}
	}
	if _, err := account.ParseRoles("officer, king"); err == nil {
		t.Error("ParseRoles accepted an unknown role")
	}
}
