// Package syndicate is how the orgs of a site group work together: a
// publisher pushes a published item to a column of an upper org's site
// (推送到上级门户), whose publisher accepts it into a column or declines it
// with a reason. The upper site never holds a copy of the text: it shows the
// original's live version, so updates, repeal and withdrawal follow at once,
// and a declined or withdrawn original is never visible upstream.
//
// It is a domain package: it must not import store, web, net/http or
// database/sql.
package syndicate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// State is where a push is.
type State string

const (
	StatePushed   State = "pushed"   // waiting in the upper org's inbox
	StateAccepted State = "accepted" // shown in the chosen column upstream
	StateDeclined State = "declined" // refused with a reason
)

// Label is the state's name in the staff UI.
func (s State) Label() string {
	switch s {
	case StatePushed:
		return "待处理"
	case StateAccepted:
		return "已采用"
	case StateDeclined:
		return "已退回"
	}
	return string(s)
}

// Push is one item offered to an upper org's site.
type Push struct {
	ID        int64
	ItemID    int64 // the original, on the sender's site
	FromOrgID int64
	ToOrgID   int64
	// ColumnID is the upper org's column: proposed by the sender, chosen
	// by the upper org on acceptance.
	ColumnID      int64
	State         State
	Note          string // the sender's note to the upper org
	Reason        string // why it was declined
	PushedBy      int64
	PushedByName  string
	PushedAt      time.Time
	DecidedBy     int64
	DecidedByName string
	DecidedAt     time.Time
	// Title is the original's current title, filled on read for listings
	// (for a push from another installation, the copy's title).
	Title string
	// A push from another installation (ItemID 0): the registered
	// sender's name and its copy of the item, replaced by later pushes.
	Sender          string
	RemoteID        string
	RemoteURL       string
	RemoteOrg       string
	RemoteBody      string
	RemoteDate      time.Time
	RemoteWithdrawn bool
	RemoteValidity  string // "", "expired" or "repealed"
}

// Remote reports whether the push came from another installation.
func (p Push) Remote() bool { return p.ItemID == 0 && p.Sender != "" }

// original is the item a decision is checked against: the local item, or
// for a remote push a stand-in that is public until the sender withdraws
// it.
func (p Push) original() *publish.Item {
	it := &publish.Item{State: publish.StatePublished, Live: 1}
	if p.RemoteWithdrawn {
		it.State = publish.StateWithdrawn
	}
	return it
}

// Visible reports whether the upper site shows the pushed item: only an
// accepted push of an item whose live version is public. A declined push
// or a withdrawn original is never shown.
func Visible(p Push, it *publish.Item) bool {
	return p.State == StateAccepted && it != nil && it.ID == p.ItemID && it.Public()
}

// IsAncestor reports whether upper is a strict ancestor of orgID.
func IsAncestor(orgs []org.Org, upper, orgID int64) bool {
	path := org.Path(orgs, orgID)
	return len(path) > 1 && slices.Contains(path[:len(path)-1], upper)
}

// Ancestors returns the strict ancestors of orgID, nearest first: the orgs
// an item of orgID may be pushed to.
func Ancestors(orgs []org.Org, orgID int64) []org.Org {
	path := org.Path(orgs, orgID)
	var out []org.Org
	for i := len(path) - 2; i >= 0; i-- {
		for _, o := range orgs {
			if o.ID == path[i] {
				out = append(out, o)
			}
		}
	}
	return out
}

// Receiving reports whether a column can take pushed items: a list or a
// special-topic column of the upper org.
func Receiving(c *org.Column, toOrgID int64) bool {
	return c != nil && c.OrgID == toOrgID && (c.Kind == org.ColumnList || c.Kind == org.ColumnTopic)
}

// CheckPush applies the rules of a new push of it to column col of org
// toOrgID, given the item's earlier pushes. It returns an *apperr.Invalid
// with the reason for a push of an unpublished item, to an org that is not
// an ancestor of the item's org, to a column that cannot take items, or a
// duplicate of a push that is waiting or accepted (a declined item may be
// offered again). Permissions are checked by the Service.
func CheckPush(orgs []org.Org, it *publish.Item, toOrgID int64, col *org.Column, earlier []Push) error {
	inv := &apperr.Invalid{}
	if !it.Public() {
		inv.Add("item", "只能推送已发布的信息")
	}
	if !IsAncestor(orgs, toOrgID, it.OrgID) {
		inv.Add("to_org", "只能推送到本单位的上级单位网站")
	} else if !Receiving(col, toOrgID) {
		inv.Add("column", "请选择上级网站的列表栏目或专题栏目")
	}
	for _, p := range earlier {
		if p.ToOrgID == toOrgID && p.ItemID == it.ID && p.State != StateDeclined {
			inv.Add("to_org", fmt.Sprintf("该信息已推送至该网站（%s），不能重复推送", p.State.Label()))
			break
		}
	}
	return inv.Err()
}

// CheckDecision applies the rules of accepting (accept true, into col) or
// declining (with reason) push p whose original is it: only a waiting push
// may be decided; an accepted one needs a receiving column of the upper
// org and a still public original; a declined one needs a reason.
func CheckDecision(p *Push, it *publish.Item, accept bool, col *org.Column, reason string) error {
	if p.State != StatePushed {
		return fmt.Errorf("push %d is %s: %w", p.ID, p.State, apperr.ErrConflict)
	}
	inv := &apperr.Invalid{}
	if accept {
		if !Receiving(col, p.ToOrgID) {
			inv.Add("column", "请选择本网站的列表栏目或专题栏目")
		}
		if !it.Public() {
			inv.Add("item", "原信息已撤回，不能采用")
		}
	} else if strings.TrimSpace(reason) == "" {
		inv.Add("reason", "请填写退回理由")
	} else if len([]rune(reason)) > 500 {
		inv.Add("reason", "退回理由不能超过500字")
	}
	return inv.Err()
}

// Counts are a sender's pushes in one year, for the annual report
// ("在随州市人民政府网站公开民政信息50余条"): every push counted once, and
// how many of them were accepted and declined.
type Counts struct {
	Pushed   int
	Accepted int
	Declined int
}

// canPush reports whether actor may push items of orgID: the publisher
// (办公室) of the org or of an org above it.
func canPush(actor account.Actor, orgs []org.Org, orgID int64) error {
	return actor.Require(org.Path(orgs, orgID), account.RolePublisher)
}

// canDecide reports whether actor may accept or decline pushes to orgID:
// the upper org's publisher.
func canDecide(actor account.Actor, orgs []org.Org, orgID int64) error {
	return actor.Require(org.Path(orgs, orgID), account.RolePublisher)
}

func isNotFound(err error) bool { return errors.Is(err, apperr.ErrNotFound) }
