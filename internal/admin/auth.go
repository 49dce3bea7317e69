package admin

import (
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/qrcode"
	"gongkai/internal/web"
)

type loginPage struct {
	web.Page
	Username string
	Next     string
	Error    string
}

func (h *handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := r.URL.Query().Get("next")
	if !web.SafeLocalPath(next) || !strings.HasPrefix(next, "/admin/") {
		next = ""
	}
	p := loginPage{Page: web.Page{Title: "工作人员登录", Flash: web.TakeFlash(w, r), RequestID: web.RequestID(r)}, Next: next}
	return h.tmpl.Render(w, http.StatusOK, "auth/login", p)
}

func (h *handler) login(w http.ResponseWriter, r *http.Request) error {
	p := loginPage{Page: web.Page{Title: "工作人员登录", RequestID: web.RequestID(r)},
		Username: strings.TrimSpace(r.PostFormValue("username")), Next: r.PostFormValue("next")}
	if !web.SafeLocalPath(p.Next) || !strings.HasPrefix(p.Next, "/admin/") {
		p.Next = ""
	}
	if !h.LoginLimit.Allow(web.ClientIP(r)) {
		p.Error = "登录请求过于频繁，请稍后再试"
		return h.tmpl.Render(w, http.StatusTooManyRequests, "auth/login", p)
	}
	password := r.PostFormValue("password")
	if p.Username == "" || password == "" {
		p.Error = "请输入用户名和密码"
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "auth/login", p)
	}
	u, token, err := h.Accounts.Login(r.Context(), p.Username, password, web.ClientIP(r), r.UserAgent())
	if msg := account.Message(err); msg != "" {
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "login failed", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
		p.Error = msg
		status := http.StatusUnauthorized
		if errors.Is(err, account.ErrLocked) {
			status = http.StatusTooManyRequests
		}
		return h.tmpl.Render(w, status, "auth/login", p)
	}
	if err != nil {
		return err
	}
	h.setSession(w, token)
	a := &auth{user: u, sess: &account.Session{}, token: token}
	if _, where := sessionStage(a); where != "" {
		http.Redirect(w, r, where, http.StatusSeeOther)
		return nil
	}
	to := "/admin/"
	if p.Next != "" {
		to = p.Next
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) error {
	a := authOf(r)
	if err := h.Accounts.Logout(r.Context(), a.token, web.ClientIP(r)); err != nil {
		return err
	}
	h.clearSession(w)
	redirect(w, r, "/admin/login", "您已安全退出")
	return nil
}

type totpPage struct {
	basePage
	Error string
	// For enrolment:
	Secret string
	QR     template.URL // data: URL of a PNG made here, never from input
}

func (h *handler) totpForm(w http.ResponseWriter, r *http.Request) error {
	a := authOf(r)
	if a.user.TOTPSecret == "" {
		http.Redirect(w, r, "/admin/2fa/enrol", http.StatusSeeOther)
		return nil
	}
	if a.sess.MFAOK {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return nil
	}
	return h.tmpl.Render(w, http.StatusOK, "auth/totp", totpPage{basePage: h.base(w, r, "双因素认证")})
}

func (h *handler) totpVerify(w http.ResponseWriter, r *http.Request) error {
	a := authOf(r)
	newToken, err := h.Accounts.VerifyTOTP(r.Context(), a.token, r.PostFormValue("code"), web.ClientIP(r))
	if msg := account.Message(err); msg != "" {
		p := totpPage{basePage: h.base(w, r, "双因素认证"), Error: msg}
		return h.tmpl.Render(w, http.StatusUnauthorized, "auth/totp", p)
	}
	if err != nil {
		return err
	}
	h.setSession(w, newToken)
	to := "/admin/"
	if a.user.MustChangePassword {
		to = "/admin/password"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (h *handler) enrolPage(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	a := authOf(r)
	if a.user.TOTPSecret != "" {
		http.Redirect(w, r, "/admin/2fa", http.StatusSeeOther)
		return nil
	}
	e, err := h.Accounts.BeginEnrol(r.Context(), a.token)
	if err != nil {
		return err
	}
	code, err := qrcode.Encode(e.URL)
	if err != nil {
		return err
	}
	p := totpPage{basePage: h.base(w, r, "绑定身份验证器"), Error: errMsg, Secret: e.Secret,
		QR: template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(code.SVG()))}
	return h.tmpl.Render(w, status, "auth/enrol", p)
}

func (h *handler) enrolForm(w http.ResponseWriter, r *http.Request) error {
	return h.enrolPage(w, r, http.StatusOK, "")
}

func (h *handler) enrolConfirm(w http.ResponseWriter, r *http.Request) error {
	a := authOf(r)
	newToken, err := h.Accounts.ConfirmEnrol(r.Context(), a.token, r.PostFormValue("code"), web.ClientIP(r))
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.enrolPage(w, r, http.StatusUnprocessableEntity, inv.Fields["code"])
	}
	if err != nil {
		return err
	}
	h.setSession(w, newToken)
	to := "/admin/"
	if a.user.MustChangePassword {
		to = "/admin/password"
	}
	redirect(w, r, to, "身份验证器绑定成功，今后登录需输入动态验证码")
	return nil
}

type passwordPage struct {
	basePage
	Errors map[string]string
	Forced bool
}

func (h *handler) passwordForm(w http.ResponseWriter, r *http.Request) error {
	p := passwordPage{basePage: h.base(w, r, "修改密码"), Forced: authOf(r).user.MustChangePassword}
	return h.tmpl.Render(w, http.StatusOK, "auth/password", p)
}

func (h *handler) passwordChange(w http.ResponseWriter, r *http.Request) error {
	a := authOf(r)
	p := passwordPage{basePage: h.base(w, r, "修改密码"), Forced: a.user.MustChangePassword}
	newPW := r.PostFormValue("new_password")
	if newPW != r.PostFormValue("confirm_password") {
		p.Errors = map[string]string{"confirm_password": "两次输入的新密码不一致"}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "auth/password", p)
	}
	err := h.Accounts.ChangePassword(r.Context(), actor(r), a.token, r.PostFormValue("old_password"), newPW)
	if inv, ok := apperr.AsInvalid(err); ok {
		p.Errors = inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "auth/password", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/", "密码已修改，其他设备上的登录已退出")
	return nil
}
