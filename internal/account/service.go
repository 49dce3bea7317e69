package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/audit"
)

// Tx is what account operations read and write inside one transaction.
// internal/store implements it.
type Tx interface {
	User(ctx context.Context, id int64) (*User, error)
	UserByName(ctx context.Context, username string) (*User, error)
	Users(ctx context.Context) ([]User, error)
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error
	SetTOTP(ctx context.Context, userID int64, secret string, lastStep int64) error
	SetTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	SetLastLogin(ctx context.Context, userID int64, at time.Time) error
	Counter(ctx context.Context, key string) (Counter, error)
	SaveCounter(ctx context.Context, key string, c Counter) error
	ClearCounter(ctx context.Context, key string) error
	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	UpdateSession(ctx context.Context, s *Session) error
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID int64, keepID string) error
	// OrgPath returns the org IDs from the root down to orgID, or an
	// error wrapping apperr.ErrNotFound.
	OrgPath(ctx context.Context, orgID int64) ([]int64, error)
	AppendAudit(ctx context.Context, r audit.Record) error
}

// Store opens account transactions.
type Store interface {
	UpdateAccounts(ctx context.Context, fn func(Tx) error) error
}

// Service signs staff in and out and manages their accounts. Every change
// is recorded in the audit trail in the same transaction as the change.
type Service struct {
	store    Store
	hasher   *Hasher
	throttle Throttle
	now      func() time.Time
	issuer   string // shown in authenticator apps
}

// Config configures a Service.
type Config struct {
	Hasher   *Hasher
	Throttle Throttle
	Now      func() time.Time
	Issuer   string
}

// NewService returns a Service over store.
func NewService(store Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Hasher == nil {
		cfg.Hasher = NewHasher(DefaultHashParams, 4)
	}
	if cfg.Throttle == (Throttle{}) {
		cfg.Throttle = DefaultThrottle
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Gongkai"
	}
	return &Service{store: store, hasher: cfg.Hasher, throttle: cfg.Throttle, now: cfg.Now, issuer: cfg.Issuer}
}

// Sign-in failures. Their messages are for people, in Simplified Chinese,
// and deliberately do not say whether the user name exists.
var (
	ErrBadCredentials = errors.New("account: bad credentials")
	ErrLocked         = errors.New("account: locked after repeated failures")
	ErrDisabled       = errors.New("account: disabled")
	ErrBadCode        = errors.New("account: bad two-factor code")
)

// Message returns the Chinese text to show for a sign-in failure, and ""
// for other errors.
func Message(err error) string {
	switch {
	case errors.Is(err, ErrLocked):
		return "尝试次数过多，账号或当前网络地址已被暂时锁定，请15分钟后再试"
	case errors.Is(err, ErrDisabled):
		return "该账号已停用，请联系系统管理员"
	case errors.Is(err, ErrBadCredentials):
		return "用户名或密码错误"
	case errors.Is(err, ErrBadCode):
		return "动态验证码错误或已使用，请等待下一个验证码"
	}
	return ""
}

func userKey(name string) string { return "user:" + name }
func ipKey(ip string) string     { return "ip:" + ip }

func (s *Service) record(actor Actor, orgID int64, act audit.Action, objID int64, detail string) audit.Record {
	return audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: orgID, Action: act,
		ObjectType: "user", ObjectID: objID, Detail: detail, IP: actor.IP, At: s.now()}
}

// Login checks a user name and password from a client address. On success
// it starts a session (not yet past the second factor) and returns the user
// and the session's cookie token. Failures are counted per account and per
// address (ErrLocked once over the limit) and audited.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*User, string, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	var u *User
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		now := s.now()
		for _, key := range []string{userKey(username), ipKey(ip)} {
			c, err := tx.Counter(ctx, key)
			if err != nil {
				return err
			}
			if c.Locked(now) {
				return ErrLocked
			}
		}
		var err error
		u, err = tx.UserByName(ctx, username)
		if errors.Is(err, apperr.ErrNotFound) {
			u = nil
			return nil
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	ok := false
	if u != nil {
		ok, err = s.hasher.Check(ctx, u.PasswordHash, password)
		if err != nil && !errors.Is(err, ErrBadHash) {
			return nil, "", err
		}
	} else {
		s.hasher.DummyCheck(ctx) // same timing whether or not the name exists
	}
	if !ok {
		return nil, "", s.fail(ctx, u, username, ip, audit.ActLoginFailed, ErrBadCredentials)
	}
	if u.Disabled {
		return nil, "", s.fail(ctx, u, username, ip, audit.ActLoginFailed, ErrDisabled)
	}
	token, id := NewSessionToken()
	err = s.store.UpdateAccounts(ctx, func(tx Tx) error {
		now := s.now()
		sess := &Session{ID: id, UserID: u.ID, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(SessionAbsolute), IP: ip, UserAgent: truncate(userAgent, 200)}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		if err := tx.ClearCounter(ctx, userKey(username)); err != nil {
			return err
		}
		if err := tx.SetLastLogin(ctx, u.ID, now); err != nil {
			return err
		}
		detail := "密码验证通过"
		if u.TOTPSecret != "" || u.NeedsTOTP() {
			detail += "，待双因素认证"
		}
		return tx.AppendAudit(ctx, s.record(ActorFor(u, ip), u.OrgID, audit.ActLogin, u.ID, detail))
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

// fail counts a failed attempt against the account (when it exists) and the
// address, audits it, and returns cause (or ErrLocked if this attempt locked
// the account).
func (s *Service) fail(ctx context.Context, u *User, username, ip string, act audit.Action, cause error) error {
	locked := false
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		now := s.now()
		keys := []struct {
			key   string
			limit int
		}{{ipKey(ip), s.throttle.IPLimit}}
		if u != nil {
			keys = append(keys, struct {
				key   string
				limit int
			}{userKey(username), s.throttle.AccountLimit})
		}
		for _, k := range keys {
			c, err := tx.Counter(ctx, k.key)
			if err != nil {
				return err
			}
			c = s.throttle.Fail(c, now, k.limit)
			if c.Locked(now) {
				locked = true
			}
			if err := tx.SaveCounter(ctx, k.key, c); err != nil {
				return err
			}
		}
		r := audit.Record{Action: act, ObjectType: "user", IP: ip, At: now, ActorName: "anonymous", Detail: "用户不存在"}
		if u != nil {
			r.ActorID, r.ActorName, r.OrgID, r.ObjectID, r.Detail = u.ID, u.Username, u.OrgID, u.ID, failDetail(cause)
		}
		if locked {
			r.Detail += "；已锁定15分钟"
		}
		return tx.AppendAudit(ctx, r)
	})
	if err != nil {
		return err
	}
	if locked {
		return ErrLocked
	}
	return cause
}

func failDetail(cause error) string {
	switch {
	case errors.Is(cause, ErrDisabled):
		return "账号已停用"
	case errors.Is(cause, ErrBadCode):
		return "动态码错误"
	}
	return "密码错误"
}

// Authenticate returns the session and user for a cookie token. It fails
// with apperr.ErrUnauthenticated when the session is unknown, expired (idle
// or absolute) or its user disabled, and refreshes the idle timer.
func (s *Service) Authenticate(ctx context.Context, token string) (*User, *Session, error) {
	if token == "" {
		return nil, nil, apperr.ErrUnauthenticated
	}
	id := SessionID(token)
	var u *User
	var sess *Session
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		var err error
		sess, err = tx.Session(ctx, id)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.ErrUnauthenticated
		}
		if err != nil {
			return err
		}
		now := s.now()
		if sess.Expired(now) {
			if err := tx.DeleteSession(ctx, id); err != nil {
				return err
			}
			return apperr.ErrUnauthenticated
		}
		u, err = tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return apperr.ErrUnauthenticated
		}
		// Touch at most once a minute: it keeps writes down on busy pages.
		if now.Sub(sess.SeenAt) > time.Minute {
			sess.SeenAt = now
			return tx.UpdateSession(ctx, sess)
		}
		return nil
	})
	if errors.Is(err, apperr.ErrUnauthenticated) {
		// The expired session's deletion was rolled back with the error;
		// that is harmless, it will be refused again next time.
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	return u, sess, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string, ip string) error {
	id := SessionID(token)
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		sess, err := tx.Session(ctx, id)
		if errors.Is(err, apperr.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(ActorFor(u, ip), u.OrgID, audit.ActLogout, u.ID, ""))
	})
}

// rotate replaces the session under oldID by a new one with the same
// state, so a token seen before a privilege change is worthless after it.
func rotate(ctx context.Context, tx Tx, sess *Session) (string, error) {
	token, id := NewSessionToken()
	if err := tx.DeleteSession(ctx, sess.ID); err != nil {
		return "", err
	}
	sess.ID = id
	if err := tx.CreateSession(ctx, sess); err != nil {
		return "", err
	}
	return token, nil
}

// VerifyTOTP checks a second-factor code for the session of token. On
// success the session is marked as past the second factor and rotated; the
// new token is returned. Wrong codes count towards the account lock.
func (s *Service) VerifyTOTP(ctx context.Context, token, code, ip string) (string, error) {
	var u *User
	var newToken string
	var bad bool
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		sess, err := tx.Session(ctx, SessionID(token))
		if err != nil {
			return apperr.ErrUnauthenticated
		}
		if u, err = tx.User(ctx, sess.UserID); err != nil {
			return err
		}
		c, err := tx.Counter(ctx, userKey(u.Username))
		if err != nil {
			return err
		}
		if c.Locked(s.now()) {
			return ErrLocked
		}
		step, ok := CheckTOTP(u.TOTPSecret, code, s.now(), u.TOTPLastStep)
		if !ok {
			bad = true
			return nil
		}
		if won, err := tx.SetTOTPStep(ctx, u.ID, step); err != nil || !won {
			bad = err == nil
			return err
		}
		sess.MFAOK = true
		sess.SeenAt = s.now()
		if newToken, err = rotate(ctx, tx, sess); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(ActorFor(u, ip), u.OrgID, audit.ActLogin, u.ID, "双因素认证通过"))
	})
	if err != nil {
		return "", err
	}
	if bad {
		return "", s.fail(ctx, u, u.Username, ip, audit.ActTOTPFailed, ErrBadCode)
	}
	return newToken, nil
}

// Enrolment is what a user needs to add Gongkai to an authenticator app.
type Enrolment struct {
	Secret string // base32, for typing in by hand
	URL    string // otpauth:// URL, shown as a QR code
}

// BeginEnrol creates (or returns the pending) TOTP secret for the session's
// user. The secret is kept in the session until ConfirmEnrol.
func (s *Service) BeginEnrol(ctx context.Context, token string) (Enrolment, error) {
	var e Enrolment
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		sess, err := tx.Session(ctx, SessionID(token))
		if err != nil {
			return apperr.ErrUnauthenticated
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		if u.TOTPSecret != "" {
			return fmt.Errorf("user %d already enrolled: %w", u.ID, apperr.ErrConflict)
		}
		secret := sess.PendingTOTP
		if secret == "" {
			key, err := NewTOTPKey(s.issuer, u.Username)
			if err != nil {
				return err
			}
			secret = key.Secret()
			sess.PendingTOTP = secret
			if err := tx.UpdateSession(ctx, sess); err != nil {
				return err
			}
		}
		e = Enrolment{Secret: secret, URL: otpURL(s.issuer, u.Username, secret)}
		return nil
	})
	return e, err
}

func otpURL(issuer, username, secret string) string {
	return fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=30",
		escapeLabel(issuer), escapeLabel(username), secret, escapeLabel(issuer))
}

func escapeLabel(s string) string {
	r := strings.NewReplacer(" ", "%20", ":", "%3A", "&", "%26", "?", "%3F", "/", "%2F", "#", "%23")
	return r.Replace(s)
}

// ConfirmEnrol checks a code against the pending secret and, when it is
// right, stores the secret on the user, marks the session as past the
// second factor and rotates it.
func (s *Service) ConfirmEnrol(ctx context.Context, token, code, ip string) (string, error) {
	var newToken string
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		sess, err := tx.Session(ctx, SessionID(token))
		if err != nil {
			return apperr.ErrUnauthenticated
		}
		if sess.PendingTOTP == "" {
			return apperr.Invalidf("code", "请先打开绑定页面获取密钥")
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		step, ok := CheckTOTP(sess.PendingTOTP, code, s.now(), 0)
		if !ok {
			return apperr.Invalidf("code", "动态验证码不正确，请核对手机时间后重试")
		}
		if err := tx.SetTOTP(ctx, u.ID, sess.PendingTOTP, step); err != nil {
			return err
		}
		sess.PendingTOTP = ""
		sess.MFAOK = true
		if newToken, err = rotate(ctx, tx, sess); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(ActorFor(u, ip), u.OrgID, audit.ActTOTPEnrol, u.ID, "绑定身份验证器"))
	})
	return newToken, err
}

// ChangePassword lets a signed-in user replace their own password. Other
// sessions of the user are ended.
func (s *Service) ChangePassword(ctx context.Context, actor Actor, token, oldPassword, newPassword string) error {
	var u *User
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		var err error
		u, err = tx.User(ctx, actor.UserID)
		return err
	})
	if err != nil {
		return err
	}
	ok, err := s.hasher.Check(ctx, u.PasswordHash, oldPassword)
	if err != nil && !errors.Is(err, ErrBadHash) {
		return err
	}
	if !ok {
		return apperr.Invalidf("old_password", "原密码不正确")
	}
	if err := CheckPassword(newPassword, u.Username); err != nil {
		return renameField(err, "new_password")
	}
	if newPassword == oldPassword {
		return apperr.Invalidf("new_password", "新密码不能与原密码相同")
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return err
	}
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		if err := tx.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, SessionID(token)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActPasswordSet, u.ID, "本人修改密码"))
	})
}

func renameField(err error, field string) error {
	if inv, ok := apperr.AsInvalid(err); ok {
		out := &apperr.Invalid{}
		for _, msg := range inv.Fields {
			out.Add(field, msg)
		}
		return out
	}
	return err
}

// requireAdminOf checks that actor administers every org the user belongs
// to or is granted roles in, so that an administrator cannot reach beyond
// their subtree by editing a user.
func requireAdminOf(ctx context.Context, tx Tx, actor Actor, orgIDs ...int64) error {
	for _, id := range orgIDs {
		path, err := tx.OrgPath(ctx, id)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Invalidf("org_id", "机构不存在")
		}
		if err != nil {
			return err
		}
		if err := actor.Require(path, RoleAdmin); err != nil {
			return err
		}
	}
	return nil
}

func grantOrgs(u *User) []int64 {
	ids := []int64{u.OrgID}
	for _, g := range u.Grants {
		if !slices.Contains(ids, g.OrgID) {
			ids = append(ids, g.OrgID)
		}
	}
	return ids
}

// CreateUser adds a staff account with password (empty: a random one is
// made and returned, and the user must change it at first sign-in).
func (s *Service) CreateUser(ctx context.Context, actor Actor, u *User, password string) (string, error) {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return "", err
	}
	u.MustChangePassword = password == ""
	if password == "" {
		password = RandomPassword()
	} else if err := CheckPassword(password, u.Username); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", err
	}
	u.PasswordHash = hash
	err = s.store.UpdateAccounts(ctx, func(tx Tx) error {
		if err := requireAdminOf(ctx, tx, actor, grantOrgs(u)...); err != nil {
			return err
		}
		if _, err := tx.UserByName(ctx, u.Username); err == nil {
			return apperr.Invalidf("username", "用户名“%s”已存在，请换一个", u.Username)
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return apperr.Invalidf("username", "用户名“%s”已存在，请换一个", u.Username)
			}
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActUserCreate, u.ID, u.Username+" 角色："+strings.Join(u.RoleLabels(), "、")))
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// UpdateUser changes a user's display name, home org and grants. The actor
// must administer the orgs before and after the change. Removing the last
// grant that needs two-factor sign-in keeps the enrolled secret.
func (s *Service) UpdateUser(ctx context.Context, actor Actor, u *User) error {
	u.Normalize()
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		old, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		u.Username = old.Username
		u.Disabled = old.Disabled
		if err := u.Validate(); err != nil {
			return err
		}
		if err := requireAdminOf(ctx, tx, actor, append(grantOrgs(old), grantOrgs(u)...)...); err != nil {
			return err
		}
		if actor.UserID == u.ID && !slices.ContainsFunc(u.Grants, func(g Grant) bool { return g.Role == RoleAdmin }) {
			return apperr.Invalidf("roles", "不能取消自己的系统管理员角色，请由其他管理员操作")
		}
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		// Roles changed: the user's other sessions must sign in again.
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActUserUpdate, u.ID, u.Username+" 角色："+strings.Join(u.RoleLabels(), "、")))
	})
}

// SetDisabled disables or re-enables a user; disabling ends their sessions.
func (s *Service) SetDisabled(ctx context.Context, actor Actor, userID int64, disabled bool) error {
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if err := requireAdminOf(ctx, tx, actor, grantOrgs(u)...); err != nil {
			return err
		}
		if disabled && actor.UserID == userID {
			return apperr.Invalidf("", "不能停用自己的账号")
		}
		if u.Disabled == disabled {
			return nil
		}
		u.Disabled = disabled
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		act := audit.ActUserEnable
		if disabled {
			act = audit.ActUserDisable
			if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, act, u.ID, u.Username))
	})
}

// ResetPassword gives a user a new random password, which they must change
// at next sign-in, ends their sessions and lifts a lock. It returns the new
// password for the administrator to pass on.
func (s *Service) ResetPassword(ctx context.Context, actor Actor, userID int64, password string) (string, error) {
	var u *User
	err := s.store.UpdateAccounts(ctx, func(tx Tx) error {
		var err error
		if u, err = tx.User(ctx, userID); err != nil {
			return err
		}
		return requireAdminOf(ctx, tx, actor, grantOrgs(u)...)
	})
	if err != nil {
		return "", err
	}
	mustChange := password == ""
	if password == "" {
		password = RandomPassword()
	} else if err := CheckPassword(password, u.Username); err != nil {
		return "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return "", err
	}
	err = s.store.UpdateAccounts(ctx, func(tx Tx) error {
		if err := tx.SetPassword(ctx, u.ID, hash, mustChange); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		if err := tx.ClearCounter(ctx, userKey(u.Username)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActPasswordReset, u.ID, u.Username))
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// ResetTOTP removes a user's authenticator, for a lost phone; the user
// enrols again at next sign-in.
func (s *Service) ResetTOTP(ctx context.Context, actor Actor, userID int64) error {
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if err := requireAdminOf(ctx, tx, actor, grantOrgs(u)...); err != nil {
			return err
		}
		if err := tx.SetTOTP(ctx, u.ID, "", 0); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActTOTPReset, u.ID, u.Username))
	})
}

// Unlock lifts a sign-in lock on a user.
func (s *Service) Unlock(ctx context.Context, actor Actor, userID int64) error {
	return s.store.UpdateAccounts(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		if err := requireAdminOf(ctx, tx, actor, grantOrgs(u)...); err != nil {
			return err
		}
		if err := tx.ClearCounter(ctx, userKey(u.Username)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.record(actor, u.OrgID, audit.ActUserUnlock, u.ID, u.Username))
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
