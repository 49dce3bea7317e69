package syndicate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// A push between two Gongkai installations (the city's and the
// province's) is an Envelope, sent as a signed note
// (golang.org/x/mod/sumdb/note: the JSON text, a blank line, and an
// Ed25519 signature line). The receiver's administrators register the
// sender's name and public key; a verified push lands in the receiving
// org's inbox like a local one, and a later push of the same item replaces
// the copy (update, repeal, withdrawal).

// RemoteItem is the pushed item as the sender publishes it.
type RemoteItem struct {
	ID          string    `json:"id"`  // the sender's item ID
	URL         string    `json:"url"` // the original on the sender's site
	Org         string    `json:"org"` // the sender org's name, shown as 来源
	Title       string    `json:"title"`
	Body        string    `json:"body"` // sanitised HTML as published
	PublishedAt time.Time `json:"published_at"`
	Validity    string    `json:"validity,omitempty"` // "", "expired" or "repealed"
	Withdrawn   bool      `json:"withdrawn"`
}

// Envelope is one push from another installation.
type Envelope struct {
	ToOrg  string     `json:"to_org"` // the receiving org's code
	Column string     `json:"column"` // slug of the proposed column; may be empty
	SentAt time.Time  `json:"sent_at"`
	Item   RemoteItem `json:"item"`
}

// Sender is another installation allowed to push to an org here.
type Sender struct {
	ID        int64
	Name      string // the key's name, e.g. gongkai-42130000
	PublicKey string // note verifier key
	ToOrgID   int64
	CreatedAt time.Time
}

// MaxClockSkew is how far a push's time may be from the receiver's clock;
// older pushes are refused, so a captured push cannot be replayed later.
const MaxClockSkew = 10 * time.Minute

// ErrBadSignature is returned for a push that is not signed by a
// registered sender; it wraps apperr.ErrForbidden.
var ErrBadSignature = fmt.Errorf("syndicate: push not signed by a registered sender: %w", apperr.ErrForbidden)

// Seal signs env with the note signer key skey.
func Seal(env Envelope, skey string) ([]byte, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("push signer: %w", err)
	}
	b, err := json.Marshal(env)
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: string(b) + "\n"}, signer)
}

// Open verifies msg against the registered senders and decodes it. It
// returns ErrBadSignature when no registered sender signed it, and an
// *apperr.Invalid for a push outside MaxClockSkew of now or without an
// item.
func Open(msg []byte, senders []Sender, now time.Time) (Envelope, Sender, error) {
	var env Envelope
	var vs []note.Verifier
	byName := map[string]Sender{}
	for _, s := range senders {
		v, err := note.NewVerifier(s.PublicKey)
		if err != nil {
			continue // a key that no longer parses verifies nothing
		}
		vs = append(vs, v)
		byName[s.Name] = s
	}
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil || len(n.Sigs) == 0 {
		return env, Sender{}, ErrBadSignature
	}
	s := byName[n.Sigs[0].Name]
	dec := json.NewDecoder(bytes.NewReader([]byte(n.Text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return env, s, apperr.Invalidf("push", "推送内容格式错误")
	}
	if d := now.Sub(env.SentAt); d > MaxClockSkew || d < -MaxClockSkew {
		return env, s, apperr.Invalidf("sent_at", "推送时间与本平台时间相差过大")
	}
	env.Item.Title, env.Item.ID = strings.TrimSpace(env.Item.Title), strings.TrimSpace(env.Item.ID)
	if env.Item.ID == "" || (env.Item.Title == "" && !env.Item.Withdrawn) {
		return env, s, apperr.Invalidf("item", "推送的信息缺少编号或标题")
	}
	return env, s, nil
}

// RemoteTx is what receiving a push from another installation reads and
// writes in one transaction. internal/store implements it.
type RemoteTx interface {
	Tx
	Senders(ctx context.Context) ([]Sender, error)
	CreateSender(ctx context.Context, s *Sender) error
	Columns(ctx context.Context, orgID int64) ([]org.Column, error)
	RemotePush(ctx context.Context, sender, remoteID string, toOrgID int64) (*Push, bool, error)
	CreateRemotePush(ctx context.Context, p *Push) error
	SaveRemoteCopy(ctx context.Context, p *Push) error
}

// RemoteStore opens remote push transactions.
type RemoteStore interface {
	UpdateRemote(ctx context.Context, fn func(RemoteTx) error) error
}

// Remote receives pushes from other installations.
type Remote struct {
	store RemoteStore
	now   func() time.Time
}

// NewRemote returns the service.
func NewRemote(store RemoteStore, now func() time.Time) *Remote {
	return &Remote{store: store, now: now}
}

// Receive verifies and stores a signed push: a new one waits in the
// receiving org's inbox; a later push of the same item replaces the copy,
// whatever the push's state, so an accepted copy follows the original's
// updates and withdrawal. It returns the push (nil when a withdrawal
// arrives for an item never received). Errors: ErrBadSignature,
// *apperr.Invalid.
func (r *Remote) Receive(ctx context.Context, msg []byte) (*Push, error) {
	var out *Push
	err := r.store.UpdateRemote(ctx, func(tx RemoteTx) error {
		senders, err := tx.Senders(ctx)
		if err != nil {
			return err
		}
		env, s, err := Open(msg, senders, r.now())
		if err != nil {
			return err
		}
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		var to *org.Org
		for i := range orgs {
			if orgs[i].Code == env.ToOrg {
				to = &orgs[i]
			}
		}
		if to == nil || to.ID != s.ToOrgID {
			return fmt.Errorf("sender %s may not push to %q: %w", s.Name, env.ToOrg, apperr.ErrForbidden)
		}
		p, found, err := tx.RemotePush(ctx, s.Name, env.Item.ID, to.ID)
		if err != nil {
			return err
		}
		if !found {
			if env.Item.Withdrawn {
				return nil
			}
			p = &Push{ToOrgID: to.ID, State: StatePushed, Sender: s.Name, PushedByName: "remote:" + s.Name}
		}
		p.RemoteID, p.RemoteURL, p.RemoteOrg = env.Item.ID, env.Item.URL, env.Item.Org
		if env.Item.Title != "" {
			p.Title = env.Item.Title
		}
		body, err := publish.Sanitize(env.Item.Body)
		if err != nil {
			return apperr.Invalidf("item", "推送的正文无法解析")
		}
		p.RemoteBody, p.RemoteDate, p.RemoteWithdrawn = body, env.Item.PublishedAt, env.Item.Withdrawn
		if v := publish.Validity(env.Item.Validity); v == publish.ValidityExpired || v == publish.ValidityRepealed {
			p.RemoteValidity = string(v)
		} else {
			p.RemoteValidity = ""
		}
		if !found {
			cols, err := tx.Columns(ctx, to.ID)
			if err != nil {
				return err
			}
			for i := range cols {
				if cols[i].Slug == env.Column && Receiving(&cols[i], to.ID) {
					p.ColumnID = cols[i].ID
				}
			}
			if err := tx.CreateRemotePush(ctx, p); err != nil {
				return err
			}
		} else if err := tx.SaveRemoteCopy(ctx, p); err != nil {
			return err
		}
		out = p
		what := "收到外部推送"
		if found {
			what = "外部推送更新"
			if env.Item.Withdrawn {
				what = "外部推送的原文已撤回"
			}
		}
		return tx.AppendAudit(ctx, audit.Record{ActorName: "remote:" + s.Name, OrgID: to.ID, Action: audit.ActPushSend,
			ObjectType: "push", ObjectID: p.ID, Detail: fmt.Sprintf("%s：%s（%s）", what, env.Item.Title, env.Item.Org)})
	})
	return out, err
}

// AddSender registers another installation's public key (a note verifier
// key, whose name is the sender's name) as allowed to push to orgID. The
// actor must be an administrator of the org.
func (r *Remote) AddSender(ctx context.Context, actor account.Actor, orgID int64, key string) (*Sender, error) {
	key = strings.TrimSpace(key)
	var out *Sender
	err := r.store.UpdateRemote(ctx, func(tx RemoteTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if err := actor.Require(org.Path(orgs, orgID), account.RoleAdmin); err != nil {
			return err
		}
		v, err := note.NewVerifier(key)
		if err != nil {
			return apperr.Invalidf("public_key", "公钥格式错误，应为对方平台“推送公钥”处显示的一行文字")
		}
		s := &Sender{Name: v.Name(), PublicKey: key, ToOrgID: orgID}
		if err := tx.CreateSender(ctx, s); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return apperr.Invalidf("public_key", "该来源已登记")
			}
			return err
		}
		out = s
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: audit.ActSenderKeyAdd,
			ObjectType: "push_sender", ObjectID: s.ID, Detail: "登记推送来源 " + s.Name, IP: actor.IP})
	})
	return out, err
}

// Fingerprint is what a push of it to another installation carries that
// may change: the live version, whether it is public, and its validity.
// The sender sends the item again when it differs from what was sent.
func Fingerprint(it *publish.Item) string {
	return fmt.Sprintf("%d/%t/%s", it.Live, it.Public(), it.Validity)
}

// Target is an item this installation pushed to an org of another
// installation, with the fingerprint last sent.
type Target struct {
	ID       int64
	ItemID   int64
	URL      string
	ToOrg    string
	Column   string
	Sent     string
	SentAt   time.Time
	Current  string // the item's fingerprint now, filled on read
	Withdraw bool   // filled on read: the item is withdrawn
}
