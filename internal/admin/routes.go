package admin

import (
	"html/template"
	"net/http"

	"gongkai/internal/publish"
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

	// Site group: pushes to upper sites, submissions, required disclosures (issue 9).
	h.syndicateRoutes(mux)

	// Items and their review (issue 3).
	mux.Handle("GET /admin/items", h.page(stageFull, h.itemList))
	mux.Handle("GET /admin/items/new", h.page(stageFull, h.itemNew))
	mux.Handle("POST /admin/items", h.page(stageFull, h.itemCreate))
	mux.Handle("GET /admin/items/{id}", h.page(stageFull, h.itemShow))
	mux.Handle("GET /admin/items/{id}/edit", h.page(stageFull, h.itemEdit))
	mux.Handle("POST /admin/items/{id}", h.page(stageFull, h.itemUpdate))
	mux.Handle("GET /admin/items/{id}/history", h.page(stageFull, h.itemHistory))
	mux.Handle("POST /admin/items/{id}/submit", h.page(stageFull, h.itemAction(publish.ActSubmit, "已提交科室审核")))
	mux.Handle("POST /admin/items/{id}/section-approve", h.page(stageFull, h.itemAction(publish.ActSectionApprove, "已通过科室审核，转保密审查")))
	mux.Handle("POST /admin/items/{id}/approve", h.page(stageFull, h.itemAction(publish.ActApprove, "已通过保密审查，待发布")))
	mux.Handle("POST /admin/items/{id}/reject", h.page(stageFull, h.itemAction(publish.ActReject, "已退回给作者")))
	mux.Handle("POST /admin/items/{id}/publish", h.page(stageFull, h.itemAction(publish.ActPublish, "已发布")))
	mux.Handle("POST /admin/items/{id}/schedule", h.page(stageFull, h.itemAction(publish.ActSchedule, "已定时发布")))
	mux.Handle("POST /admin/items/{id}/update", h.page(stageFull, h.itemAction(publish.ActUpdate, "已建立新版本，请修改后提交审核；修改期间公开页面仍显示原版本")))
	mux.Handle("POST /admin/items/{id}/expire", h.page(stageFull, h.itemAction(publish.ActExpire, "已标记为失效")))
	mux.Handle("POST /admin/items/{id}/repeal", h.page(stageFull, h.itemAction(publish.ActRepeal, "已标记为废止")))
	mux.Handle("POST /admin/items/{id}/withdraw", h.page(stageFull, h.itemAction(publish.ActWithdraw, "已从网站撤回")))
	mux.Handle("POST /admin/items/{id}/attachments", h.page(stageFull, h.attachmentAdd))
	mux.Handle("GET /admin/items/{id}/attachments/{att}", h.page(stageFull, h.attachmentDownload))
	mux.Handle("POST /admin/items/{id}/attachments/{att}/delete", h.page(stageFull, h.attachmentRemove))
	mux.Handle("POST /admin/items/{id}/import", h.page(stageFull, h.itemImport))
	mux.Handle("GET /admin/items/{id}/files/{sha}/{name}", h.page(stageFull, h.itemFile))
	mux.Handle("GET /admin/review", h.page(stageFull, h.reviewQueues))
	mux.Handle("GET /admin/tokens", h.page(stageFull, h.tokenList))
	mux.Handle("POST /admin/tokens", h.page(stageFull, h.tokenCreate))
	mux.Handle("POST /admin/tokens/{id}/revoke", h.page(stageFull, h.tokenRevoke))
	mux.Handle("GET /admin/topics", h.page(stageFull, h.topicList))
	mux.Handle("POST /admin/topics", h.page(stageFull, h.topicAdd))
	mux.Handle("POST /admin/topics/remove", h.page(stageFull, h.topicRemove))

	// Pre-publication screening: findings on the item page, word list (admin/screening.go).
	mux.Handle("POST /admin/items/{id}/findings/{fid}/mask", h.page(stageFull, h.findingMask))
	mux.Handle("POST /admin/items/{id}/findings/{fid}/override", h.page(stageFull, h.findingOverride))
	mux.Handle("POST /admin/items/{id}/attachments/{att}/mask-column", h.page(stageFull, h.columnMask))
	mux.Handle("POST /admin/items/{id}/mask-all", h.page(stageFull, h.maskAll))
	mux.Handle("GET /admin/screening/words", h.page(stageFull, h.wordsShow))
	mux.Handle("POST /admin/screening/words", h.page(stageFull, h.wordsSave))

	// Disclosure on application and the holiday calendar (admin/apply.go).
	h.applyRoutes(mux)

	// Public interaction: inbox, handling, settings, consultations (admin/interact.go).
	h.interactRoutes(mux)

	// Annual report and statistics (admin/report.go).
	h.reportRoutes(mux)

	// Site inspection and security findings (admin/inspect.go; issue 10).
	h.inspectRoutes(mux)
	h.findingRoutes(mux)

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
