package publish_test

import (
	"errors"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/publish"
)

const (
	city   int64 = 1
	bureau int64 = 2
	other  int64 = 3
)

var bureauPath = []int64{city, bureau}

func staff(id int64, orgID int64, roles ...account.Role) account.Actor {
	a := account.Actor{UserID: id, Name: "u"}
	for _, r := range roles {
		a.Grants = append(a.Grants, account.Grant{OrgID: orgID, Role: r})
	}
	return a
}

var (
	author        = staff(10, bureau, account.RoleOfficer)
	officer       = staff(11, bureau, account.RoleOfficer)
	section       = staff(12, bureau, account.RoleSection)
	reviewer      = staff(13, bureau, account.RoleReviewer)
	publisher     = staff(14, bureau, account.RolePublisher)
	authorRevwr   = staff(10, bureau, account.RoleOfficer, account.RoleReviewer) // wrote the version and holds the reviewer role
	editorRevwr   = staff(15, bureau, account.RoleReviewer, account.RoleOfficer) // edited the version
	cityReviewer  = staff(16, city, account.RoleReviewer)                        // grant on the parent covers the bureau
	otherReviewer = staff(17, other, account.RoleReviewer)
	otherPublish  = staff(18, other, account.RolePublisher)
	leader        = staff(19, bureau, account.RoleLeader)
	system        = account.System("test")
)

func itemIn(state publish.State, live int) *publish.Item {
	return &publish.Item{ID: 1, OrgID: bureau, State: state, Current: live + 1, Live: live}
}

func TestTransition(t *testing.T) {
	cur := &publish.Version{Number: 1, AuthorID: author.UserID, Editors: []int64{author.UserID, editorRevwr.UserID}}
	tests := []struct {
		name    string
		from    publish.State
		live    int
		actor   account.Actor
		act     publish.Action
		want    publish.State
		wantErr error
	}{
		// Drafting.
		{name: "officer saves draft", from: publish.StateDraft, actor: officer, act: publish.ActSave, want: publish.StateDraft},
		{name: "section head may edit a draft", from: publish.StateDraft, actor: section, act: publish.ActSave, want: publish.StateDraft},
		{name: "reviewer cannot edit a draft", from: publish.StateDraft, actor: reviewer, act: publish.ActSave, wantErr: apperr.ErrForbidden},
		{name: "leader cannot edit a draft", from: publish.StateDraft, actor: leader, act: publish.ActSave, wantErr: apperr.ErrForbidden},
		{name: "submitted version cannot be edited", from: publish.StateSectionReview, actor: author, act: publish.ActSave, wantErr: publish.ErrInvalidTransition},
		{name: "approved version cannot be edited", from: publish.StateApproved, actor: author, act: publish.ActSave, wantErr: publish.ErrInvalidTransition},
		{name: "published item cannot be edited in place", from: publish.StatePublished, live: 1, actor: author, act: publish.ActSave, wantErr: publish.ErrInvalidTransition},
		{name: "officer submits draft", from: publish.StateDraft, actor: author, act: publish.ActSubmit, want: publish.StateSectionReview},
		{name: "cannot submit twice", from: publish.StateSectionReview, actor: author, act: publish.ActSubmit, wantErr: publish.ErrInvalidTransition},
		{name: "another bureau's publisher cannot submit", from: publish.StateDraft, actor: otherPublish, act: publish.ActSubmit, wantErr: apperr.ErrForbidden},

		// Section review.
		{name: "section head passes to confidentiality review", from: publish.StateSectionReview, actor: section, act: publish.ActSectionApprove, want: publish.StateConfidentialityReview},
		{name: "officer cannot pass section review", from: publish.StateSectionReview, actor: officer, act: publish.ActSectionApprove, wantErr: apperr.ErrForbidden},
		{name: "reviewer cannot skip section review", from: publish.StateSectionReview, actor: reviewer, act: publish.ActApprove, wantErr: publish.ErrInvalidTransition},
		{name: "section head rejects", from: publish.StateSectionReview, actor: section, act: publish.ActReject, want: publish.StateDraft},
		{name: "reviewer cannot reject at section review", from: publish.StateSectionReview, actor: reviewer, act: publish.ActReject, wantErr: apperr.ErrForbidden},
		{name: "section approve of a draft is refused", from: publish.StateDraft, actor: section, act: publish.ActSectionApprove, wantErr: publish.ErrInvalidTransition},

		// Confidentiality review.
		{name: "reviewer approves", from: publish.StateConfidentialityReview, actor: reviewer, act: publish.ActApprove, want: publish.StateApproved},
		{name: "reviewer of the parent org approves", from: publish.StateConfidentialityReview, actor: cityReviewer, act: publish.ActApprove, want: publish.StateApproved},
		{name: "author cannot pass own confidentiality review", from: publish.StateConfidentialityReview, actor: authorRevwr, act: publish.ActApprove, wantErr: apperr.ErrForbidden},
		{name: "editor cannot pass the review of what they edited", from: publish.StateConfidentialityReview, actor: editorRevwr, act: publish.ActApprove, wantErr: publish.ErrOwnReview},
		{name: "system cannot review what it wrote", from: publish.StateConfidentialityReview, actor: account.Actor{System: true, Name: "system:x", UserID: author.UserID}, act: publish.ActApprove, wantErr: publish.ErrOwnReview},
		{name: "another bureau's reviewer cannot approve", from: publish.StateConfidentialityReview, actor: otherReviewer, act: publish.ActApprove, wantErr: apperr.ErrForbidden},
		{name: "section head cannot approve confidentiality", from: publish.StateConfidentialityReview, actor: section, act: publish.ActApprove, wantErr: apperr.ErrForbidden},
		{name: "reviewer rejects", from: publish.StateConfidentialityReview, actor: reviewer, act: publish.ActReject, want: publish.StateDraft},
		{name: "section head cannot reject at confidentiality review", from: publish.StateConfidentialityReview, actor: section, act: publish.ActReject, wantErr: apperr.ErrForbidden},
		{name: "publisher cannot publish before review", from: publish.StateConfidentialityReview, actor: publisher, act: publish.ActPublish, wantErr: publish.ErrInvalidTransition},

		// Publishing.
		{name: "publisher publishes", from: publish.StateApproved, actor: publisher, act: publish.ActPublish, want: publish.StatePublished},
		{name: "publisher schedules", from: publish.StateApproved, actor: publisher, act: publish.ActSchedule, want: publish.StateApproved},
		{name: "scheduler publishes as the system", from: publish.StateApproved, actor: system, act: publish.ActPublish, want: publish.StatePublished},
		{name: "publisher rejects an approved item", from: publish.StateApproved, actor: publisher, act: publish.ActReject, want: publish.StateDraft},
		{name: "reviewer cannot publish", from: publish.StateApproved, actor: reviewer, act: publish.ActPublish, wantErr: apperr.ErrForbidden},
		{name: "officer cannot publish", from: publish.StateApproved, actor: author, act: publish.ActPublish, wantErr: apperr.ErrForbidden},
		{name: "another bureau's publisher cannot publish", from: publish.StateApproved, actor: otherPublish, act: publish.ActPublish, wantErr: apperr.ErrForbidden},
		{name: "draft cannot be published", from: publish.StateDraft, actor: publisher, act: publish.ActPublish, wantErr: publish.ErrInvalidTransition},
		{name: "draft cannot be scheduled", from: publish.StateDraft, actor: publisher, act: publish.ActSchedule, wantErr: publish.ErrInvalidTransition},
		{name: "published item cannot be published again", from: publish.StatePublished, live: 1, actor: publisher, act: publish.ActPublish, wantErr: publish.ErrInvalidTransition},

		// After publication.
		{name: "officer starts an update", from: publish.StatePublished, live: 1, actor: officer, act: publish.ActUpdate, want: publish.StateDraft},
		{name: "reviewer cannot start an update", from: publish.StatePublished, live: 1, actor: reviewer, act: publish.ActUpdate, wantErr: apperr.ErrForbidden},
		{name: "update of an update in progress is refused", from: publish.StateDraft, live: 1, actor: officer, act: publish.ActUpdate, wantErr: publish.ErrInvalidTransition},
		{name: "draft never published cannot be updated", from: publish.StateDraft, actor: officer, act: publish.ActUpdate, wantErr: publish.ErrInvalidTransition},
		{name: "publisher marks expired", from: publish.StatePublished, live: 1, actor: publisher, act: publish.ActExpire, want: publish.StatePublished},
		{name: "publisher repeals during an update", from: publish.StateSectionReview, live: 1, actor: publisher, act: publish.ActRepeal, want: publish.StateSectionReview},
		{name: "officer cannot repeal", from: publish.StatePublished, live: 1, actor: officer, act: publish.ActRepeal, wantErr: apperr.ErrForbidden},
		{name: "unpublished item cannot expire", from: publish.StateApproved, actor: publisher, act: publish.ActExpire, wantErr: publish.ErrInvalidTransition},
		{name: "publisher withdraws", from: publish.StatePublished, live: 1, actor: publisher, act: publish.ActWithdraw, want: publish.StateWithdrawn},
		{name: "publisher withdraws during an update", from: publish.StateDraft, live: 2, actor: publisher, act: publish.ActWithdraw, want: publish.StateWithdrawn},
		{name: "officer cannot withdraw", from: publish.StatePublished, live: 1, actor: officer, act: publish.ActWithdraw, wantErr: apperr.ErrForbidden},
		{name: "unpublished item cannot be withdrawn", from: publish.StateDraft, actor: publisher, act: publish.ActWithdraw, wantErr: publish.ErrInvalidTransition},
		{name: "withdrawn item cannot be withdrawn again", from: publish.StateWithdrawn, live: 1, actor: publisher, act: publish.ActWithdraw, wantErr: publish.ErrInvalidTransition},
		{name: "withdrawn item cannot be updated", from: publish.StateWithdrawn, live: 1, actor: officer, act: publish.ActUpdate, wantErr: publish.ErrInvalidTransition},
		{name: "withdrawn item cannot change validity", from: publish.StateWithdrawn, live: 1, actor: publisher, act: publish.ActRepeal, wantErr: publish.ErrInvalidTransition},
		{name: "withdrawn item cannot be rejected", from: publish.StateWithdrawn, live: 1, actor: publisher, act: publish.ActReject, wantErr: publish.ErrInvalidTransition},
		{name: "published item cannot be rejected", from: publish.StatePublished, live: 1, actor: publisher, act: publish.ActReject, wantErr: publish.ErrInvalidTransition},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := publish.Transition(itemIn(tt.from, tt.live), cur, bureauPath, tt.actor, tt.act)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Transition(%s, %s) error = %v, want %v", tt.from, tt.act, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("Transition(%s, %s) = %s, want %s", tt.from, tt.act, got, tt.want)
			}
		})
	}
}

// TestTransitionEveryPair checks every state and action for every role:
// nothing but the listed pairs moves an item, and every refusal is a
// conflict or a forbidden error, never a panic or a silent success.
func TestTransitionEveryPair(t *testing.T) {
	allowed := map[publish.State][]publish.Action{
		publish.StateDraft:                 {publish.ActSave, publish.ActSubmit},
		publish.StateSectionReview:         {publish.ActSectionApprove, publish.ActReject},
		publish.StateConfidentialityReview: {publish.ActApprove, publish.ActReject},
		publish.StateApproved:              {publish.ActPublish, publish.ActSchedule, publish.ActReject},
		publish.StatePublished:             {publish.ActUpdate, publish.ActExpire, publish.ActRepeal, publish.ActWithdraw},
		publish.StateWithdrawn:             nil,
	}
	acts := []publish.Action{publish.ActSave, publish.ActSubmit, publish.ActSectionApprove, publish.ActApprove, publish.ActReject,
		publish.ActPublish, publish.ActSchedule, publish.ActUpdate, publish.ActExpire, publish.ActRepeal, publish.ActWithdraw}
	cur := &publish.Version{Number: 1, AuthorID: 999}
	for _, st := range publish.States() {
		live := 0
		if st == publish.StatePublished || st == publish.StateWithdrawn {
			live = 1
		}
		for _, act := range acts {
			_, err := publish.Transition(itemIn(st, live), cur, bureauPath, system, act)
			want := false
			for _, a := range allowed[st] {
				want = want || a == act
			}
			if want && err != nil {
				t.Errorf("Transition(%s, %s) by system = %v, want allowed", st, act, err)
			}
			if !want && !errors.Is(err, publish.ErrInvalidTransition) {
				t.Errorf("Transition(%s, %s) by system = %v, want ErrInvalidTransition", st, act, err)
			}
			if _, err := publish.Transition(itemIn(st, live), cur, bureauPath, account.Actor{UserID: 50}, act); err == nil {
				t.Errorf("Transition(%s, %s) by a user without roles succeeded", st, act)
			}
			if _, err := publish.Transition(itemIn(st, live), cur, nil, system, act); want && !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("Transition(%s, %s) without an org path = %v, want forbidden", st, act, err)
			}
		}
	}
}

func TestIndexNo(t *testing.T) {
	tests := []struct {
		code    string
		year, n int
		want    string
	}{
		{"42130021", 2026, 1, "42130021/2026-00001"},
		{"42130021-01", 2026, 123, "42130021-01/2026-00123"},
		{"011043240", 2027, 99999, "011043240/2027-99999"},
		{"MZJ", 2026, 100000, "MZJ/2026-100000"},
	}
	for _, tt := range tests {
		got := publish.FormatIndexNo(tt.code, tt.year, tt.n)
		if got != tt.want {
			t.Errorf("FormatIndexNo(%q, %d, %d) = %q, want %q", tt.code, tt.year, tt.n, got, tt.want)
		}
		code, year, n, ok := publish.ParseIndexNo(got)
		if !ok || code != tt.code || year != tt.year || n != tt.n {
			t.Errorf("ParseIndexNo(%q) = %q, %d, %d, %v", got, code, year, n, ok)
		}
	}
	for _, bad := range []string{"", "42130021", "42130021/2026", "/2026-00001", "42130021/26-00001", "42130021/2026-0001x", "42130021/2026-00000"} {
		if _, _, _, ok := publish.ParseIndexNo(bad); ok {
			t.Errorf("ParseIndexNo(%q) ok, want refused", bad)
		}
	}
}
