package org

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
)

// Tx is what org operations read and write inside one transaction.
// internal/store implements it.
type Tx interface {
	Org(ctx context.Context, id int64) (*Org, error)
	Orgs(ctx context.Context) ([]Org, error)
	CreateOrg(ctx context.Context, o *Org) error
	UpdateOrg(ctx context.Context, o *Org) error
	Column(ctx context.Context, id int64) (*Column, error)
	Columns(ctx context.Context, orgID int64) ([]Column, error)
	CreateColumn(ctx context.Context, c *Column) error
	UpdateColumn(ctx context.Context, c *Column) error
	AppendAudit(ctx context.Context, r audit.Record) error
}

// Store opens org transactions.
type Store interface {
	UpdateOrgs(ctx context.Context, fn func(Tx) error) error
}

// Service changes orgs and columns, checking permissions, validating input
// and recording every change in the audit trail in the same transaction.
type Service struct {
	store Store
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Path returns the IDs from the root down to id (id last), or nil when id
// is not among orgs. Permission checks use it: a grant on any org of the
// path covers id.
func Path(orgs []Org, id int64) []int64 {
	parent := make(map[int64]int64, len(orgs))
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
	}
	if _, ok := parent[id]; !ok {
		return nil
	}
	var path []int64
	for p, n := id, 0; p != 0 && n <= len(orgs); p, n = parent[p], n+1 {
		path = append(path, p)
	}
	slices.Reverse(path)
	return path
}

// Subtree returns roots and every org below them.
func Subtree(orgs []Org, roots []int64) []int64 {
	children := map[int64][]int64{}
	for _, o := range orgs {
		children[o.ParentID] = append(children[o.ParentID], o.ID)
	}
	seen := map[int64]bool{}
	var out []int64
	var walk func(int64)
	walk = func(id int64) {
		if seen[id] {
			return
		}
		seen[id] = true
		out = append(out, id)
		for _, c := range children[id] {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// Scope returns the orgs in which actor holds any of roles, subtrees
// included, or every org for the system actor.
func Scope(orgs []Org, actor account.Actor, roles ...account.Role) []int64 {
	if actor.System {
		ids := make([]int64, len(orgs))
		for i, o := range orgs {
			ids[i] = o.ID
		}
		return ids
	}
	var roots []int64
	for _, r := range roles {
		roots = append(roots, actor.OrgIDs(r)...)
	}
	return Subtree(orgs, roots)
}

func auditRecord(actor account.Actor, orgID int64, act audit.Action, objType string, objID int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: objType, ObjectID: objID, Detail: detail, IP: actor.IP}
}

// checkOrgUnique returns an *apperr.Invalid when o's code, host or path
// prefix is used by another org.
func checkOrgUnique(orgs []Org, o *Org) error {
	inv := &apperr.Invalid{}
	for _, x := range orgs {
		if x.ID == o.ID {
			continue
		}
		if x.Code == o.Code {
			inv.Add("code", fmt.Sprintf("机构代码“%s”已被“%s”使用", o.Code, x.Name))
		}
		if x.Site.PathPrefix == o.Site.PathPrefix {
			inv.Add("path_prefix", fmt.Sprintf("路径前缀“%s”已被“%s”使用", o.Site.PathPrefix, x.Name))
		}
		if o.Site.Host != "" && x.Site.Host == o.Site.Host {
			inv.Add("host", fmt.Sprintf("域名“%s”已被“%s”使用", o.Site.Host, x.Name))
		}
	}
	return inv.Err()
}

// conflictAsInvalid turns a uniqueness race lost at insert into a message.
func conflictAsInvalid(err error, field, msg string) error {
	if errors.Is(err, apperr.ErrConflict) {
		return apperr.Invalidf(field, "%s", msg)
	}
	return err
}

// CreateOrg adds o. A root org may only be created by the system actor (the
// operator's command line); an org below a parent needs the administrator
// role on the parent.
func (s *Service) CreateOrg(ctx context.Context, actor account.Actor, o *Org) error {
	o.Normalize()
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		if o.ParentID == 0 {
			if !actor.System {
				return fmt.Errorf("create root org: %w", apperr.ErrForbidden)
			}
		} else {
			path := Path(orgs, o.ParentID)
			if path == nil {
				return apperr.Invalidf("parent_id", "上级机构不存在")
			}
			if err := actor.Require(path, account.RoleAdmin); err != nil {
				return err
			}
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if err := checkOrgUnique(orgs, o); err != nil {
			return err
		}
		if err := tx.CreateOrg(ctx, o); err != nil {
			return conflictAsInvalid(err, "code", "机构代码、路径前缀或域名已被使用")
		}
		return tx.AppendAudit(ctx, auditRecord(actor, o.ID, audit.ActOrgCreate, "org", o.ID, o.Code+" "+o.Name))
	})
}

// UpdateOrg stores changes to an existing org. It needs the administrator
// role on the org and, when the parent changes, on the new parent; a move
// that would create a cycle is refused.
func (s *Service) UpdateOrg(ctx context.Context, actor account.Actor, o *Org) error {
	o.Normalize()
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		orgs, err := tx.Orgs(ctx)
		if err != nil {
			return err
		}
		old, err := tx.Org(ctx, o.ID)
		if err != nil {
			return err
		}
		if err := actor.Require(Path(orgs, o.ID), account.RoleAdmin); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if o.ParentID != old.ParentID {
			if o.ParentID == 0 && !actor.System {
				return apperr.Invalidf("parent_id", "只有系统运维人员可以把机构设为顶级机构")
			}
			if o.ParentID != 0 {
				if err := actor.Require(Path(orgs, o.ParentID), account.RoleAdmin); err != nil {
					return err
				}
			}
			parentOf := func(id int64) (int64, bool) {
				for _, x := range orgs {
					if x.ID == id {
						return x.ParentID, true
					}
				}
				return 0, false
			}
			if err := CheckParent(o.ID, o.ParentID, parentOf); err != nil {
				return err
			}
		}
		if err := checkOrgUnique(orgs, o); err != nil {
			return err
		}
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return conflictAsInvalid(err, "code", "机构代码、路径前缀或域名已被使用")
		}
		return tx.AppendAudit(ctx, auditRecord(actor, o.ID, audit.ActOrgUpdate, "org", o.ID, o.Code+" "+o.Name))
	})
}

// columnRoles may manage an org's columns: its administrators and the
// office publishers who run the site (DESIGN: 办公室 manages columns and
// special topics).
var columnRoles = []account.Role{account.RoleAdmin, account.RolePublisher}

func (s *Service) checkColumn(ctx context.Context, tx Tx, actor account.Actor, c *Column) error {
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return err
	}
	path := Path(orgs, c.OrgID)
	if path == nil {
		return apperr.Invalidf("org_id", "机构不存在")
	}
	if err := actor.Require(path, columnRoles...); err != nil {
		return err
	}
	// Report shape and uniqueness problems together.
	inv := &apperr.Invalid{}
	if err := c.Validate(); err != nil {
		v, ok := apperr.AsInvalid(err)
		if !ok {
			return err
		}
		inv = v
	}
	cols, err := tx.Columns(ctx, c.OrgID)
	if err != nil {
		return err
	}
	for _, x := range cols {
		if x.ID != c.ID && x.Slug == c.Slug {
			inv.Add("slug", fmt.Sprintf("栏目标识“%s”已被栏目“%s”使用", c.Slug, x.Name))
		}
	}
	if c.ParentID != 0 {
		parentOf := func(id int64) (int64, bool) {
			for _, x := range cols {
				if x.ID == id {
					return x.ParentID, true
				}
			}
			return 0, false
		}
		if _, ok := parentOf(c.ParentID); !ok {
			inv.Add("parent_id", "上级栏目不存在或不属于本机构")
		} else if c.ID != 0 {
			if err := CheckParent(c.ID, c.ParentID, parentOf); err != nil {
				inv.Add("parent_id", "不能把栏目移到它自己或它的下级栏目之下")
			}
		}
	}
	return inv.Err()
}

// CreateColumn adds c to its org; it needs the administrator or publisher
// role on the org.
func (s *Service) CreateColumn(ctx context.Context, actor account.Actor, c *Column) error {
	c.Normalize()
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		if err := s.checkColumn(ctx, tx, actor, c); err != nil {
			return err
		}
		if err := tx.CreateColumn(ctx, c); err != nil {
			return conflictAsInvalid(err, "slug", "栏目标识已被使用")
		}
		return tx.AppendAudit(ctx, auditRecord(actor, c.OrgID, audit.ActColumnCreate, "column", c.ID, c.Slug+" "+c.Name))
	})
}

// UpdateColumn stores changes to a column; its org cannot change.
func (s *Service) UpdateColumn(ctx context.Context, actor account.Actor, c *Column) error {
	c.Normalize()
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		old, err := tx.Column(ctx, c.ID)
		if err != nil {
			return err
		}
		c.OrgID = old.OrgID
		if err := s.checkColumn(ctx, tx, actor, c); err != nil {
			return err
		}
		act := audit.ActColumnUpdate
		if old.Visible != c.Visible {
			act = audit.ActColumnShow
			if !c.Visible {
				act = audit.ActColumnHide
			}
		}
		if err := tx.UpdateColumn(ctx, c); err != nil {
			return conflictAsInvalid(err, "slug", "栏目标识已被使用")
		}
		return tx.AppendAudit(ctx, auditRecord(actor, c.OrgID, act, "column", c.ID, c.Slug+" "+c.Name))
	})
}

// SetColumnVisible shows or hides a column on the public site.
func (s *Service) SetColumnVisible(ctx context.Context, actor account.Actor, id int64, visible bool) error {
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		c, err := tx.Column(ctx, id)
		if err != nil {
			return err
		}
		if err := s.checkColumn(ctx, tx, actor, c); err != nil {
			return err
		}
		if c.Visible == visible {
			return nil
		}
		c.Visible = visible
		if err := tx.UpdateColumn(ctx, c); err != nil {
			return err
		}
		act := audit.ActColumnShow
		if !visible {
			act = audit.ActColumnHide
		}
		return tx.AppendAudit(ctx, auditRecord(actor, c.OrgID, act, "column", c.ID, c.Slug+" "+c.Name))
	})
}

// MoveColumn moves a column one place up (delta -1) or down (+1) among its
// siblings, renumbering the siblings' sort order so it stays dense.
func (s *Service) MoveColumn(ctx context.Context, actor account.Actor, id int64, delta int) error {
	if delta != -1 && delta != 1 {
		return apperr.Invalidf("", "只能上移或下移一位")
	}
	return s.store.UpdateOrgs(ctx, func(tx Tx) error {
		c, err := tx.Column(ctx, id)
		if err != nil {
			return err
		}
		if err := s.checkColumn(ctx, tx, actor, c); err != nil {
			return err
		}
		cols, err := tx.Columns(ctx, c.OrgID)
		if err != nil {
			return err
		}
		var sibs []*ColumnNode
		for _, n := range Tree(cols) {
			sibs = append(sibs, siblingsOf(n, c.ParentID)...)
		}
		if c.ParentID == 0 {
			sibs = nil
			for _, n := range Tree(cols) {
				sibs = append(sibs, n)
			}
		}
		i := slices.IndexFunc(sibs, func(n *ColumnNode) bool { return n.ID == id })
		j := i + delta
		if i < 0 || j < 0 || j >= len(sibs) {
			return nil // already first or last: nothing to do
		}
		sibs[i], sibs[j] = sibs[j], sibs[i]
		for k, n := range sibs {
			if n.Sort == (k+1)*10 {
				continue
			}
			col := n.Column
			col.Sort = (k + 1) * 10
			if err := tx.UpdateColumn(ctx, &col); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, auditRecord(actor, c.OrgID, audit.ActColumnMove, "column", c.ID, c.Slug+" "+c.Name))
	})
}

// siblingsOf finds the children of parentID within the tree rooted at n.
func siblingsOf(n *ColumnNode, parentID int64) []*ColumnNode {
	if n.ID == parentID {
		return n.Children
	}
	for _, c := range n.Children {
		if s := siblingsOf(c, parentID); s != nil {
			return s
		}
	}
	return nil
}
