package admin

import (
	"html/template"
	"net/http"

	"gongkai/internal/web"
)

func (h *handler) routes(mux *http.ServeMux) {
	// Signing in and out, second factor, own password.
	mux.Handle("GET /admin/login", h.public(h.loginForm))
	mux.Handle("POST /admin/login", h.public(h.login))
	mux.Handle("POST /admin/logout", h.page(stageTOTP, h.logout))
	mux.Handle("GET /admin/2fa", h.page(stageTOTP, h.totpForm))
	mux.Handle("POST /admin/2fa", h.page(stageTOTP, h.totpVerify))
	mux.Handle("GET /admin/2fa/enrol", h.page(stageTOTP, h.enrolForm))
	mux.Handle("POST /admin/2fa/enrol", h.page(stageTOTP, h.enrolConfirm))
	mux.Handle("GET /admin/password", h.page(stagePassword, h.passwordForm))
	mux.Handle("POST /admin/password", h.page(stagePassword, h.passwordChange))

	// Dashboard.
	mux.Handle("GET /admin/{$}", h.page(stageFull, h.dashboard))

	// Organisations.
	mux.Handle("GET /admin/orgs", h.page(stageFull, h.orgList))
	mux.Handle("GET /admin/orgs/new", h.page(stageFull, h.orgNew))
	mux.Handle("POST /admin/orgs", h.page(stageFull, h.orgCreate))
	mux.Handle("GET /admin/orgs/{id}/edit", h.page(stageFull, h.orgEdit))
	mux.Handle("POST /admin/orgs/{id}", h.page(stageFull, h.orgUpdate))

	// Columns of an org.
	mux.Handle("GET /admin/orgs/{id}/columns", h.page(stageFull, h.columnList))
	mux.Handle("GET /admin/orgs/{id}/columns/new", h.page(stageFull, h.columnNew))
	mux.Handle("POST /admin/orgs/{id}/columns", h.page(stageFull, h.columnCreate))
	mux.Handle("GET /admin/columns/{id}/edit", h.page(stageFull, h.columnEdit))
	mux.Handle("POST /admin/columns/{id}", h.page(stageFull, h.columnUpdate))
	mux.Handle("POST /admin/columns/{id}/move", h.page(stageFull, h.columnMove))
	mux.Handle("POST /admin/columns/{id}/visibility", h.page(stageFull, h.columnVisibility))

	// Users.
	mux.Handle("GET /admin/users", h.page(stageFull, h.userList))
	mux.Handle("GET /admin/users/new", h.page(stageFull, h.userNew))
	mux.Handle("POST /admin/users", h.page(stageFull, h.userCreate))
	mux.Handle("GET /admin/users/{id}/edit", h.page(stageFull, h.userEdit))
	mux.Handle("POST /admin/users/{id}", h.page(stageFull, h.userUpdate))
	mux.Handle("POST /admin/users/{id}/password", h.page(stageFull, h.userResetPassword))
	mux.Handle("POST /admin/users/{id}/disable", h.page(stageFull, h.userDisable))
	mux.Handle("POST /admin/users/{id}/enable", h.page(stageFull, h.userEnable))
	mux.Handle("POST /admin/users/{id}/totp-reset", h.page(stageFull, h.userResetTOTP))
	mux.Handle("POST /admin/users/{id}/unlock", h.page(stageFull, h.userUnlock))

	// Audit trail.
	mux.Handle("GET /admin/audit", h.page(stageFull, h.auditList))

	mux.Handle("/admin/", h.public(func(w http.ResponseWriter, r *http.Request) error {
		h.ErrorPage(w, r, http.StatusNotFound, "您访问的页面不存在。")
		return nil
	}))
}

func funcs(assets *web.Assets) template.FuncMap {
	f := web.Funcs(assets)
	f["roleLabel"] = roleLabel
	f["fieldArgs"] = func(name, label, value string, errs map[string]string, hint string) fieldArgs {
		return fieldArgs{Name: name, Label: label, Value: value, Errors: errs, Hint: hint}
	}
	return f
}

// fieldArgs carries one form field into the field partials.
type fieldArgs struct {
	Name, Label, Value, Hint string
	Errors                   map[string]string
}
