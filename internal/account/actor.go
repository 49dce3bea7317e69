package account

import (
	"fmt"
	"log/slog"
	"slices"

	"gongkai/internal/apperr"
)

// Actor is who performs an action: a signed-in staff user, or the system
// itself (the command line run by the server's operator, background jobs).
type Actor struct {
	UserID int64
	Name   string // user name or "system:cli"
	Grants []Grant
	System bool
	IP     string // client address, for the audit trail
}

// System returns the actor for work done by the server's operator from the
// command line or by background jobs; it may do everything.
func System(name string) Actor {
	return Actor{Name: "system:" + name, System: true}
}

// ActorFor returns the actor for a signed-in user.
func ActorFor(u *User, ip string) Actor {
	return Actor{UserID: u.ID, Name: u.Username, Grants: slices.Clone(u.Grants), IP: ip}
}

// LogValue keeps the actor's address out of logs.
func (a Actor) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("user_id", a.UserID), slog.String("name", a.Name))
}

// Has reports whether the actor holds role in the org whose path from the
// root is orgPath (the org itself last, its ancestors before it). A grant
// on an ancestor covers its descendants.
func (a Actor) Has(role Role, orgPath []int64) bool {
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role == role && slices.Contains(orgPath, g.OrgID) {
			return true
		}
	}
	return false
}

// HasAny reports whether the actor holds any of roles in the org.
func (a Actor) HasAny(orgPath []int64, roles ...Role) bool {
	for _, r := range roles {
		if a.Has(r, orgPath) {
			return true
		}
	}
	return false
}

// HasRole reports whether the actor holds role anywhere.
func (a Actor) HasRole(role Role) bool {
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// Require returns an error wrapping apperr.ErrForbidden unless the actor
// holds one of roles in the org at orgPath.
func (a Actor) Require(orgPath []int64, roles ...Role) error {
	if a.HasAny(orgPath, roles...) {
		return nil
	}
	return fmt.Errorf("%s lacks %v: %w", a.Name, roles, apperr.ErrForbidden)
}

// OrgIDs lists the orgs in which the actor holds role (nil for the system
// actor, which means all); callers expand them to subtrees.
func (a Actor) OrgIDs(role Role) []int64 {
	var out []int64
	for _, g := range a.Grants {
		if g.Role == role && !slices.Contains(out, g.OrgID) {
			out = append(out, g.OrgID)
		}
	}
	return out
}
