package org_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
)

func TestCheckParentRefusesCycles(t *testing.T) {
	// 1 → 2 → 3
	parents := map[int64]int64{1: 0, 2: 1, 3: 2}
	parentOf := func(id int64) (int64, bool) { p, ok := parents[id]; return p, ok }
	tests := []struct {
		name       string
		id, parent int64
		ok         bool
	}{
		{"new org anywhere", 0, 3, true},
		{"move to root", 3, 0, true},
		{"move under a sibling branch", 3, 1, true},
		{"under itself", 2, 2, false},
		{"under its own child", 1, 3, false},
		{"unknown parent", 3, 99, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := org.CheckParent(tt.id, tt.parent, parentOf)
			if (err == nil) != tt.ok {
				t.Errorf("CheckParent(%d, %d) = %v, want ok=%v", tt.id, tt.parent, err, tt.ok)
			}
			if _, isInv := apperr.AsInvalid(err); err != nil && !isInv {
				t.Errorf("error %v is not *apperr.Invalid", err)
			}
		})
	}
}

func TestOrgValidate(t *testing.T) {
	good := org.Org{Code: "011043240", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj", Host: "mzj.suizhou.gov.cn"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	bad := org.Org{Code: "x", Site: org.Site{PathPrefix: "admin", Host: "bad host"}}
	err := bad.Validate()
	inv, ok := apperr.AsInvalid(err)
	if !ok {
		t.Fatalf("Validate(bad) = %v, want *apperr.Invalid", err)
	}
	for _, f := range []string{"code", "name", "path_prefix", "host"} {
		if inv.Fields[f] == "" {
			t.Errorf("no message for field %s", f)
		}
	}
}

func TestColumnValidate(t *testing.T) {
	tests := []struct {
		name  string
		col   org.Column
		field string
	}{
		{"valid list", org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告"}, ""},
		{"unknown kind", org.Column{Kind: "blog", Slug: "tzgg", Name: "通知公告"}, "kind"},
		{"slug with capitals", org.Column{Kind: org.ColumnList, Slug: "TZGG", Name: "通知公告"}, ""},
		{"slug with Chinese", org.Column{Kind: org.ColumnList, Slug: "通知", Name: "通知公告"}, "slug"},
		{"link without URL", org.Column{Kind: org.ColumnLink, Slug: "sz", Name: "市政府"}, "link_url"},
		{"javascript link", org.Column{Kind: org.ColumnLink, Slug: "sz", Name: "市政府", LinkURL: "javascript:alert(1)"}, "link_url"},
		{"negative interval", org.Column{Kind: org.ColumnList, Slug: "a", Name: "甲", UpdateDays: -1}, "update_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.col
			c.Normalize()
			err := c.Validate()
			inv, _ := apperr.AsInvalid(err)
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.field != "" && (inv == nil || inv.Fields[tt.field] == ""):
				t.Errorf("Validate() = %v, want a message for %s", err, tt.field)
			}
		})
	}
}

func TestTreeOrdersBySortAndKeepsOrphans(t *testing.T) {
	cols := []org.Column{
		{ID: 1, Name: "政务公开", Sort: 20},
		{ID: 2, Name: "领导班子", Sort: 10},
		{ID: 3, ParentID: 1, Name: "年报", Sort: 20},
		{ID: 4, ParentID: 1, Name: "指南", Sort: 10},
		{ID: 5, ParentID: 99, Name: "孤儿", Sort: 5},
	}
	var got []string
	for _, n := range org.Flatten(org.Tree(cols)) {
		got = append(got, n.Name)
	}
	want := []string{"孤儿", "领导班子", "政务公开", "指南", "年报"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Flatten(Tree()) (-want +got):\n%s", diff)
	}
}

func TestPathAndSubtree(t *testing.T) {
	orgs := []org.Org{{ID: 1}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 2}, {ID: 4, ParentID: 1}}
	if diff := cmp.Diff([]int64{1, 2, 3}, org.Path(orgs, 3)); diff != "" {
		t.Errorf("Path (-want +got):\n%s", diff)
	}
	if org.Path(orgs, 9) != nil {
		t.Error("Path of an unknown org is not nil")
	}
	if diff := cmp.Diff([]int64{2, 3}, org.Subtree(orgs, []int64{2})); diff != "" {
		t.Errorf("Subtree (-want +got):\n%s", diff)
	}
}
