package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/publish"
	"gongkai/internal/site"
	"gongkai/internal/store"
)

// apiToken stores an API token (issue 3's table) with role in org code and
// returns its secret.
func (e *env) apiToken(orgCode string, role account.Role) string {
	e.t.Helper()
	secret := "gkapi_test_" + string(role) + "_" + orgCode
	err := e.app.DB.Update(e.t.Context(), func(tx *store.Tx) error {
		return tx.CreateAPIToken(e.t.Context(), &publish.Token{OrgID: e.org(orgCode).ID, Role: role, Name: "12345热线", Hash: publish.HashToken(secret)})
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// call sends a JSON request and decodes the JSON answer into out.
func (e *env) call(method, path, token string, body any, out any) int {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

func TestApplyAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		handler := e.apiToken("42130021", account.RoleHandler)
		officer := e.apiToken("42130021", account.RoleOfficer)

		// Staff: register a letter from the 12345 hotline, then record events.
		reg := site.ApplicationJSON{Channel: "letter", ReceivedOn: "2026-03-02", Description: "某小区养老服务设施规划",
			Applicant: site.ApplicantJSON{Kind: "person", Name: "孙八", IDType: "resident", IDNumber: applicantID, Phone: applicantPhone}, Form: "paper", Way: "pickup"}
		var s site.StatusJSON
		if code := e.call("POST", "/api/v1/apply/applications", handler, reg, &s); code != http.StatusCreated {
			t.Fatalf("register = %d %+v", code, s)
		}
		if s.DueOn != "2026-03-30" || s.QueryCode == "" || len(s.Explanation) == 0 {
			t.Errorf("registered = %+v", s)
		}
		id := itoa(s.ID)
		if code := e.call("POST", "/api/v1/apply/applications", officer, reg, nil); code != http.StatusForbidden {
			t.Errorf("officer token registers: %d, want 403", code)
		}
		if code := e.call("POST", "/api/v1/apply/applications", "", reg, nil); code != http.StatusUnauthorized {
			t.Errorf("no token: %d, want 401", code)
		}
		var bad struct {
			Fields map[string]string `json:"fields"`
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/events", handler, site.EventBody{Kind: "extended", On: "2026-03-03", Days: 30, NotifiedOn: "2026-03-03", Note: "x"}, &bad); code != http.StatusForbidden {
			t.Errorf("handler token extends: %d, want 403", code)
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/events", handler, site.EventBody{Kind: "consult_started", On: "2026-03-02", Party: "nobody"}, &bad); code != 422 || bad.Fields["party"] == "" || bad.Fields["note"] == "" {
			t.Errorf("bad consultation = %d %v", code, bad.Fields)
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/events", handler, site.EventBody{Kind: "consult_started", On: "2026-03-02", Party: "agency", Note: "征求市自然资源和规划局意见"}, &s); code != 200 || s.State != "consulting" {
			t.Errorf("consultation = %d %+v", code, s)
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/events", handler, site.EventBody{Kind: "consult_ended", On: "2026-03-02"}, &s); code != 200 || s.DueOn != "2026-03-30" {
			t.Errorf("opinion = %d %+v", code, s)
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/outcome", handler, map[string]string{"category": "refused", "reason": "process_info", "note": "属于过程性信息", "answered_on": "2026-03-02"}, &s); code != 200 || s.Outcome != "refused" {
			t.Errorf("outcome = %d %+v", code, s)
		}
		if code := e.call("POST", "/api/v1/apply/applications/"+id+"/delivery", handler, site.DeliveryBody{Way: "pickup", On: "2026-03-02"}, &s); code != 200 || s.State != "closed" {
			t.Errorf("delivery = %d %+v", code, s)
		}
		var got site.StatusJSON
		if code := e.call("GET", "/api/v1/apply/applications/"+id, handler, nil, &got); code != 200 || len(got.Events) < 5 {
			t.Errorf("show = %d %+v", code, got)
		}
		unit := e.apiToken("42130021-01", account.RoleHandler)
		if code := e.call("GET", "/api/v1/apply/applications/"+id, unit, nil, nil); code != http.StatusNotFound {
			t.Errorf("a unit's token reads the bureau's application: %d, want 404", code)
		}

		// Public: challenge, submit, track.
		var c struct{ Question, Token string }
		if code := e.call("GET", "/api/v1/apply/captcha", "", nil, &c); code != 200 || c.Question == "" {
			t.Fatalf("captcha = %d %+v", code, c)
		}
		sub := reg
		sub.Channel, sub.ReceivedOn, sub.Way, sub.Form = "", "", "email", "electronic"
		sub.Applicant.Email = "sb@example.cn"
		sub.Description = "某小区养老服务设施建设资金"
		sub.CaptchaToken, sub.Captcha = c.Token, "wrong"
		if code := e.call("POST", "/api/v1/apply/orgs/42130021/applications", "", sub, &bad); code != 422 || bad.Fields["captcha"] == "" {
			t.Errorf("wrong captcha = %d %v", code, bad.Fields)
		}
		sub.Captcha = solveCaptcha(t, c.Question)
		var rc site.StatusJSON
		if code := e.call("POST", "/api/v1/apply/orgs/42130021/applications", "", sub, &rc); code != http.StatusCreated || rc.QueryCode == "" || !strings.Contains(rc.Receipt, rc.TrackingNo) {
			t.Fatalf("submit = %d %+v", code, rc)
		}
		var tr site.StatusJSON
		if code := e.call("POST", "/api/v1/apply/track", "", map[string]string{"tracking_no": rc.TrackingNo, "query_code": rc.QueryCode}, &tr); code != 200 || tr.State != "pending" {
			t.Errorf("track = %d %+v", code, tr)
		}
		raw, _ := json.Marshal(tr)
		mustNotContain(t, "public tracking answer", string(raw), "孙八", applicantPhone, applicantID, "sb@example.cn")
		if code := e.call("POST", "/api/v1/apply/track", "", map[string]string{"tracking_no": rc.TrackingNo, "query_code": "WRONG"}, nil); code != 422 {
			t.Errorf("wrong code = %d, want 422", code)
		}
	})
}
