package syndicate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// Tx is what a push step reads and writes inside one transaction.
// internal/store implements it.
type Tx interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	Column(ctx context.Context, id int64) (*org.Column, error)
	Item(ctx context.Context, id int64) (*publish.Item, error)
	Push(ctx context.Context, id int64) (*Push, error)
	ItemPushes(ctx context.Context, itemID int64) ([]Push, error)
	CreatePush(ctx context.Context, p *Push) error
	SavePush(ctx context.Context, p *Push) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// Store opens push transactions.
type Store interface {
	UpdateSyndicate(ctx context.Context, fn func(Tx) error) error
}

// Service pushes items to upper orgs and decides on them, checking
// permissions and recording each step in the audit trail in the same
// transaction.
type Service struct {
	store Store
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// PushItem offers the published item itemID to column columnID of the
// ancestor org toOrgID. The actor must be a publisher of the item's org.
// Errors: apperr.ErrNotFound for an unknown item, apperr.ErrForbidden, or
// an *apperr.Invalid with the reason the push is refused (see CheckPush).
func (s *Service) PushItem(ctx context.Context, actor account.Actor, itemID, toOrgID, columnID int64, note string) (*Push, error) {
	note = strings.TrimSpace(note)
	var out *Push
	err := s.store.UpdateSyndicate(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		it, err := tx.Item(ctx, itemID)
		if err != nil {
			return err
		}
		if err := canPush(actor, orgs, it.OrgID); err != nil {
			return err
		}
		var col *org.Column
		if columnID != 0 {
			if col, err = tx.Column(ctx, columnID); err != nil && !isNotFound(err) {
				return err
			}
		}
		earlier, err := tx.ItemPushes(ctx, itemID)
		if err != nil {
			return err
		}
		if err := CheckPush(orgs, it, toOrgID, col, earlier); err != nil {
			return err
		}
		if len([]rune(note)) > 500 {
			return apperr.Invalidf("note", "附言不能超过500字")
		}
		p := &Push{ItemID: it.ID, FromOrgID: it.OrgID, ToOrgID: toOrgID, ColumnID: columnID, State: StatePushed, Note: note,
			PushedBy: actor.UserID, PushedByName: actor.Name}
		if err := tx.CreatePush(ctx, p); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				// A concurrent push of the same item won the unique index.
				return apperr.Invalidf("to_org", "该信息已推送至该网站，不能重复推送")
			}
			return err
		}
		out = p
		return tx.AppendAudit(ctx, record(actor, it.OrgID, audit.ActPushSend, p.ID,
			fmt.Sprintf("信息 %d 推送至 %s", it.ID, orgName(orgs, toOrgID))))
	})
	return out, err
}

// Accept puts push id into column columnID of the upper org's site. The
// actor must be a publisher of the upper org.
func (s *Service) Accept(ctx context.Context, actor account.Actor, id, columnID int64) error {
	return s.decide(ctx, actor, id, true, columnID, "")
}

// Decline refuses push id with reason. The actor must be a publisher of
// the upper org.
func (s *Service) Decline(ctx context.Context, actor account.Actor, id int64, reason string) error {
	return s.decide(ctx, actor, id, false, 0, strings.TrimSpace(reason))
}

func (s *Service) decide(ctx context.Context, actor account.Actor, id int64, accept bool, columnID int64, reason string) error {
	return s.store.UpdateSyndicate(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		p, err := tx.Push(ctx, id)
		if err != nil {
			return err
		}
		if err := canDecide(actor, orgs, p.ToOrgID); err != nil {
			return err
		}
		it := p.original()
		if !p.Remote() {
			if it, err = tx.Item(ctx, p.ItemID); err != nil {
				return err
			}
		}
		var col *org.Column
		if accept && columnID != 0 {
			if col, err = tx.Column(ctx, columnID); err != nil && !isNotFound(err) {
				return err
			}
		}
		if err := CheckDecision(p, it, accept, col, reason); err != nil {
			return err
		}
		act, detail := audit.ActPushDecline, "退回："+reason
		p.State, p.Reason = StateDeclined, reason
		if accept {
			act, detail = audit.ActPushAccept, "采用至栏目 "+col.Name
			p.State, p.ColumnID = StateAccepted, col.ID
		}
		p.DecidedBy, p.DecidedByName = actor.UserID, actor.Name
		if err := tx.SavePush(ctx, p); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, p.ToOrgID, act, p.ID, pushDetail(orgs, p, detail)))
	})
}

func record(actor account.Actor, orgID int64, act audit.Action, id int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: "push", ObjectID: id, Detail: detail, IP: actor.IP}
}

func orgName(orgs []org.Org, id int64) string {
	for _, o := range orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return fmt.Sprint(id)
}

func pushDetail(orgs []org.Org, p *Push, detail string) string {
	if p.Remote() {
		return fmt.Sprintf("%s（外部平台 %s）推送的信息 %s %s", p.RemoteOrg, p.Sender, p.RemoteID, detail)
	}
	return fmt.Sprintf("%s推送的信息 %d %s", orgName(orgs, p.FromOrgID), p.ItemID, detail)
}
