package publish

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

// Token is an API token with which another system creates and submits
// items for one org, acting with one role. Only its SHA-256 is stored; the
// secret is shown once, when it is created.
type Token struct {
	ID         int64
	OrgID      int64
	Role       account.Role
	Name       string // what the token is for, e.g. 市政务服务平台
	Hash       string // hex SHA-256 of the secret
	CreatedBy  int64
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// TokenRoles are the roles a token may carry: systems that feed items in
// write and submit them (officer); systems such as the 12345 hotline or a
// provincial platform register disclosure applications and record their
// steps (request handler). Tokens never review, approve or publish.
var TokenRoles = []account.Role{account.RoleOfficer, account.RoleHandler}

// tokenPrefix marks Gongkai API tokens, so that secret scanners and people
// recognise one.
const tokenPrefix = "gkapi_"

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Actor is the actor a token acts as. Its user ID is the token's ID
// negated, so that the items it writes are never confused with a staff
// user's in the review rules.
func (t *Token) Actor() account.Actor {
	return account.Actor{UserID: -t.ID, Name: "api:" + t.Name, Grants: []account.Grant{{OrgID: t.OrgID, Role: t.Role}}}
}

// TokenTx is what token operations read and write in one transaction.
type TokenTx interface {
	Now() time.Time
	Orgs(ctx context.Context) ([]org.Org, error)
	CreateAPIToken(ctx context.Context, t *Token) error
	APIToken(ctx context.Context, id int64) (*Token, error)
	APITokenByHash(ctx context.Context, hash string) (*Token, error)
	SaveAPIToken(ctx context.Context, t *Token) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// TokenStore opens token transactions.
type TokenStore interface {
	UpdateTokens(ctx context.Context, fn func(TokenTx) error) error
}

// Tokens manages API tokens. Administrators of an org create and revoke
// them; the JSON API turns a presented secret into an Actor.
type Tokens struct {
	store TokenStore
}

// NewTokens returns a token manager over store.
func NewTokens(store TokenStore) *Tokens { return &Tokens{store: store} }

func tokenRecord(actor account.Actor, t *Token, act audit.Action) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: t.OrgID, Action: act, ObjectType: "api_token",
		ObjectID: t.ID, Detail: t.Name + "（" + t.Role.Label() + "）", IP: actor.IP}
}

// Create makes a token for orgID with role; it needs the administrator
// role in the org. It returns the secret, which is not kept.
func (s *Tokens) Create(ctx context.Context, actor account.Actor, orgID int64, role account.Role, name string) (string, *Token, error) {
	name = strings.TrimSpace(name)
	inv := &apperr.Invalid{}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		inv.Add("name", "请填写令牌用途（1至100个字），例如：市政务服务平台推送")
	}
	ok := false
	for _, r := range TokenRoles {
		ok = ok || r == role
	}
	if !ok {
		inv.Add("role", "接口令牌只能具有信息员或依申请公开经办人权限")
	}
	if err := inv.Err(); err != nil {
		return "", nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("token secret: %w", err)
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := &Token{OrgID: orgID, Role: role, Name: name, Hash: HashToken(secret), CreatedBy: actor.UserID}
	err := s.store.UpdateTokens(ctx, func(tx TokenTx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		path := org.Path(orgs, orgID)
		if path == nil {
			return apperr.Invalidf("org_id", "机构不存在")
		}
		if err := actor.Require(path, account.RoleAdmin); err != nil {
			return err
		}
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, tokenRecord(actor, t, audit.ActAPITokenCreate))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Revoke ends a token; it needs the administrator role in the token's org.
func (s *Tokens) Revoke(ctx context.Context, actor account.Actor, id int64) error {
	return s.store.UpdateTokens(ctx, func(tx TokenTx) error {
		t, err := tx.APIToken(ctx, id)
		if err != nil {
			return err
		}
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if err := actor.Require(org.Path(orgs, t.OrgID), account.RoleAdmin); err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		t.RevokedAt = tx.Now()
		if err := tx.SaveAPIToken(ctx, t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, tokenRecord(actor, t, audit.ActAPITokenRevoke))
	})
}

// Authenticate returns the actor for a presented secret, recording its
// use, or an error wrapping apperr.ErrUnauthenticated for an unknown or
// revoked token.
func (s *Tokens) Authenticate(ctx context.Context, secret, ip string) (account.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return account.Actor{}, fmt.Errorf("api token: %w", apperr.ErrUnauthenticated)
	}
	var a account.Actor
	err := s.store.UpdateTokens(ctx, func(tx TokenTx) error {
		t, err := tx.APITokenByHash(ctx, HashToken(secret))
		if err != nil || !t.RevokedAt.IsZero() {
			return fmt.Errorf("api token: %w", apperr.ErrUnauthenticated)
		}
		t.LastUsedAt = tx.Now()
		if err := tx.SaveAPIToken(ctx, t); err != nil {
			return err
		}
		a = t.Actor()
		a.IP = ip
		return nil
	})
	return a, err
}
