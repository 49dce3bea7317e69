package syndicate_test

import (
	"errors"
	"testing"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/syndicate"
)

// city ← bureau ← unit; other is a second bureau.
var orgs = []org.Org{{ID: 1, Name: "市政府"}, {ID: 2, ParentID: 1, Name: "市民政局"}, {ID: 3, ParentID: 2, Name: "市社会福利院"}, {ID: 4, ParentID: 1, Name: "市财政局"}}

func TestCheckPush(t *testing.T) {
	published := &publish.Item{ID: 10, OrgID: 2, State: publish.StatePublished, Live: 1}
	updating := &publish.Item{ID: 10, OrgID: 2, State: publish.StateDraft, Current: 2, Live: 1}
	draft := &publish.Item{ID: 10, OrgID: 2, State: publish.StateDraft, Current: 1}
	withdrawn := &publish.Item{ID: 10, OrgID: 2, State: publish.StateWithdrawn, Live: 1}
	unitItem := &publish.Item{ID: 11, OrgID: 3, State: publish.StatePublished, Live: 1}
	cityList := &org.Column{ID: 100, OrgID: 1, Kind: org.ColumnList}
	cityPage := &org.Column{ID: 101, OrgID: 1, Kind: org.ColumnPage}
	bureauList := &org.Column{ID: 200, OrgID: 2, Kind: org.ColumnList}
	tests := []struct {
		name    string
		item    *publish.Item
		to      int64
		col     *org.Column
		earlier []syndicate.Push
		field   string // "" when allowed
	}{
		{name: "published item to the parent's list column", item: published, to: 1, col: cityList},
		{name: "item being updated keeps its live version and may be pushed", item: updating, to: 1, col: cityList},
		{name: "unit item to the grandparent", item: unitItem, to: 1, col: cityList},
		{name: "unit item to the parent", item: unitItem, to: 2, col: bureauList},
		{name: "draft refused", item: draft, to: 1, col: cityList, field: "item"},
		{name: "withdrawn refused", item: withdrawn, to: 1, col: cityList, field: "item"},
		{name: "own org is not an upper org", item: published, to: 2, col: bureauList, field: "to_org"},
		{name: "sibling bureau refused", item: published, to: 4, col: nil, field: "to_org"},
		{name: "descendant refused", item: published, to: 3, col: nil, field: "to_org"},
		{name: "single page column refused", item: published, to: 1, col: cityPage, field: "column"},
		{name: "column of another org refused", item: published, to: 1, col: bureauList, field: "column"},
		{name: "no column refused", item: published, to: 1, col: nil, field: "column"},
		{name: "duplicate of a waiting push refused", item: published, to: 1, col: cityList,
			earlier: []syndicate.Push{{ItemID: 10, ToOrgID: 1, State: syndicate.StatePushed}}, field: "to_org"},
		{name: "duplicate of an accepted push refused", item: published, to: 1, col: cityList,
			earlier: []syndicate.Push{{ItemID: 10, ToOrgID: 1, State: syndicate.StateAccepted}}, field: "to_org"},
		{name: "declined item may be offered again", item: published, to: 1, col: cityList,
			earlier: []syndicate.Push{{ItemID: 10, ToOrgID: 1, State: syndicate.StateDeclined}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := syndicate.CheckPush(orgs, tt.item, tt.to, tt.col, tt.earlier)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("CheckPush = %v, want nil", err)
				}
				return
			}
			inv, ok := apperr.AsInvalid(err)
			if !ok || inv.Fields[tt.field] == "" {
				t.Fatalf("CheckPush = %v, want a message on %q", err, tt.field)
			}
		})
	}
}

func TestCheckDecision(t *testing.T) {
	live := &publish.Item{ID: 10, OrgID: 2, State: publish.StatePublished, Live: 1}
	gone := &publish.Item{ID: 10, OrgID: 2, State: publish.StateWithdrawn, Live: 1}
	waiting := syndicate.Push{ID: 1, ItemID: 10, FromOrgID: 2, ToOrgID: 1, State: syndicate.StatePushed}
	cityList := &org.Column{ID: 100, OrgID: 1, Kind: org.ColumnList}
	bureauList := &org.Column{ID: 200, OrgID: 2, Kind: org.ColumnList}
	tests := []struct {
		name    string
		push    syndicate.Push
		item    *publish.Item
		accept  bool
		col     *org.Column
		reason  string
		field   string
		wantErr error
	}{
		{name: "accept into own list column", push: waiting, item: live, accept: true, col: cityList},
		{name: "accept into the sender's column refused", push: waiting, item: live, accept: true, col: bureauList, field: "column"},
		{name: "accept of a withdrawn original refused", push: waiting, item: gone, accept: true, col: cityList, field: "item"},
		{name: "decline with a reason", push: waiting, item: live, reason: "与本网站栏目定位不符"},
		{name: "decline without a reason refused", push: waiting, item: live, reason: "  ", field: "reason"},
		{name: "decided push cannot be decided again", push: syndicate.Push{ID: 1, ToOrgID: 1, State: syndicate.StateAccepted}, item: live,
			accept: true, col: cityList, wantErr: apperr.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.push
			err := syndicate.CheckDecision(&p, tt.item, tt.accept, tt.col, tt.reason)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("CheckDecision = %v, want %v", err, tt.wantErr)
				}
			case tt.field != "":
				if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields[tt.field] == "" {
					t.Fatalf("CheckDecision = %v, want a message on %q", err, tt.field)
				}
			case err != nil:
				t.Fatalf("CheckDecision = %v, want nil", err)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	live := &publish.Item{ID: 10, State: publish.StatePublished, Live: 1}
	gone := &publish.Item{ID: 10, State: publish.StateWithdrawn, Live: 1}
	tests := []struct {
		name  string
		state syndicate.State
		item  *publish.Item
		want  bool
	}{
		{"accepted and live", syndicate.StateAccepted, live, true},
		{"accepted but withdrawn", syndicate.StateAccepted, gone, false},
		{"waiting", syndicate.StatePushed, live, false},
		{"declined", syndicate.StateDeclined, live, false},
	}
	for _, tt := range tests {
		if got := syndicate.Visible(syndicate.Push{ItemID: 10, State: tt.state}, tt.item); got != tt.want {
			t.Errorf("%s: Visible = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAncestors(t *testing.T) {
	got := syndicate.Ancestors(orgs, 3)
	if len(got) != 2 || got[0].ID != 2 || got[1].ID != 1 {
		t.Errorf("Ancestors(unit) = %v, want bureau then city", got)
	}
	if got := syndicate.Ancestors(orgs, 1); len(got) != 0 {
		t.Errorf("Ancestors(city) = %v, want none", got)
	}
}
