// Package account holds staff users, their roles in orgs, the Actor that a
// request or command acts as, and the rules for signing in: password hashing
// (argon2id), two-factor codes (TOTP) and throttling. It is a domain package:
// it imports apperr and org but never storage or HTTP.
package account

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
)

// Role is what a staff user may do in an org.
type Role string

const (
	RoleOfficer   Role = "officer"   // 信息员: drafts items, submits for review
	RoleSection   Role = "section"   // 科室负责人: first review of a section's items
	RoleReviewer  Role = "reviewer"  // 保密审查: mandatory confidentiality review
	RolePublisher Role = "publisher" // 办公室: publishes, manages columns and special topics
	RoleHandler   Role = "handler"   // 依申请公开经办人: handles disclosure applications
	RoleLeader    Role = "leader"    // 分管领导: approves extensions and sensitive releases
	RoleAdmin     Role = "admin"     // 管理员: users, roles, organisations, settings
)

// Roles lists every role in the order the staff UI shows them.
func Roles() []Role {
	return []Role{RoleOfficer, RoleSection, RoleReviewer, RolePublisher, RoleHandler, RoleLeader, RoleAdmin}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Label is the role's name in the staff UI.
func (r Role) Label() string {
	switch r {
	case RoleOfficer:
		return "信息员"
	case RoleSection:
		return "科室负责人"
	case RoleReviewer:
		return "保密审查员"
	case RolePublisher:
		return "办公室发布员"
	case RoleHandler:
		return "依申请公开经办人"
	case RoleLeader:
		return "分管领导"
	case RoleAdmin:
		return "系统管理员"
	}
	return string(r)
}

// NeedsTOTP reports whether holders of r must use two-factor sign-in: the
// roles that can make something public or change who can.
func (r Role) NeedsTOTP() bool {
	return r == RoleReviewer || r == RolePublisher || r == RoleAdmin
}

// ParseRoles parses a comma-separated list of role names.
func ParseRoles(s string) ([]Role, error) {
	var out []Role
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		r := Role(p)
		if !r.Valid() {
			names := make([]string, 0, len(Roles()))
			for _, k := range Roles() {
				names = append(names, string(k))
			}
			return nil, apperr.Invalidf("roles", "未知角色“%s”，可选：%s", p, strings.Join(names, ", "))
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Grant gives a user a role in an org. A grant covers the org and every org
// below it, so a city administrator manages the whole site group and a
// bureau's publisher also publishes for its subordinate units, while
// sibling bureaus never see each other's content.
type Grant struct {
	OrgID int64
	Role  Role
}

// User is a staff account.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	OrgID       int64 // home org, shown next to the name
	Grants      []Grant
	Disabled    bool
	// PasswordHash is the argon2id hash in PHC string form; never logged.
	PasswordHash string
	// TOTPSecret is the base32 TOTP secret, empty until enrolled; never logged.
	TOTPSecret string
	// TOTPLastStep is the last accepted time step, kept because the TOTP
	// library has no replay protection.
	TOTPLastStep int64
	// MustChangePassword is set for passwords an administrator issued.
	MustChangePassword bool
	// LockedUntil is when a sign-in lock after repeated failures ends.
	LockedUntil time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PasswordAt  time.Time
	LastLoginAt time.Time
}

// NeedsTOTP reports whether any of the user's roles requires two-factor
// sign-in.
func (u User) NeedsTOTP() bool {
	for _, g := range u.Grants {
		if g.Role.NeedsTOTP() {
			return true
		}
	}
	return false
}

// RoleLabels lists the user's roles for display, without repeats.
func (u User) RoleLabels() []string {
	var out []string
	for _, g := range u.Grants {
		if l := g.Role.Label(); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// Normalize trims and lower-cases the user name.
func (u *User) Normalize() {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
}

// Validate checks the user's fields. Uniqueness is checked by the store.
func (u *User) Validate() error {
	inv := &apperr.Invalid{}
	if !usernameRe.MatchString(u.Username) {
		inv.Add("username", "用户名须为2至32位小写字母、数字、点、下划线或连字符，以字母或数字开头")
	}
	if u.DisplayName == "" {
		inv.Add("display_name", "请填写姓名")
	} else if utf8.RuneCountInString(u.DisplayName) > 50 {
		inv.Add("display_name", "姓名不能超过50个字")
	}
	if u.OrgID == 0 {
		inv.Add("org_id", "请选择所属机构")
	}
	for _, g := range u.Grants {
		if !g.Role.Valid() {
			inv.Add("roles", "角色无效："+string(g.Role))
		}
	}
	return inv.Err()
}

// CheckPassword enforces the password policy: at least 10 characters, at
// least three of lower case, upper case, digits and symbols (the usual
// government network security rule), and not containing the user name.
func CheckPassword(password, username string) error {
	if utf8.RuneCountInString(password) < 10 {
		return apperr.Invalidf("password", "密码至少10位")
	}
	if utf8.RuneCountInString(password) > 128 {
		return apperr.Invalidf("password", "密码不能超过128位")
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	if n < 3 {
		return apperr.Invalidf("password", "密码须包含大写字母、小写字母、数字、符号中的至少三类")
	}
	if username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)) {
		return apperr.Invalidf("password", "密码不能包含用户名")
	}
	return nil
}
