package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"gongkai/internal/site"
)

// TestHandlerTokenFromTheAdminRegistersApplications creates a token with
// the request-handler role through the staff UI and uses it on the
// applications API, as a 12345 hotline system would.
func TestHandlerTokenFromTheAdminRegistersApplications(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		adm := e.browser()
		adm.loginFull("mzj.admin")
		bureau := e.org("42130021")
		r := adm.post("/admin/tokens", url.Values{"org_id": {itoa(bureau.ID)}, "name": {"12345热线"}, "role": {"handler"}})
		m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("create handler token = %d", r.status)
		}
		mustContain(t, "token list", r.body, "依申请公开经办人")
		reg := site.ApplicationJSON{Channel: "letter", ReceivedOn: "2026-03-02", Description: "某社区养老服务中心建设情况",
			Applicant: site.ApplicantJSON{Kind: "person", Name: "周九", IDType: "passport", IDNumber: "E12345678", Phone: "0722-3300000"}, Form: "paper", Way: "pickup"}
		var s site.StatusJSON
		if code := e.call("POST", "/api/v1/apply/applications", m[1], reg, &s); code != http.StatusCreated {
			t.Fatalf("register with the admin-made handler token = %d %+v", code, s)
		}
		if r := adm.post("/admin/tokens", url.Values{"org_id": {itoa(bureau.ID)}, "name": {"x"}, "role": {"admin"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("admin-role token = %d, want 422", r.status)
		}
	})
}
