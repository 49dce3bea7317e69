package app_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/account"
	"gongkai/internal/apply"
	"gongkai/internal/workday"
)

var (
	questionRe = regexp.MustCompile(`验证问题 \*：(.+?)</label>`)
	tokenRe    = regexp.MustCompile(`name="captcha_token" value="([^"]+)"`)
	trackingRe = regexp.MustCompile(`<dt>申请编号</dt><dd><strong class="code">([^<]+)</strong>`)
	codeRe     = regexp.MustCompile(`<dt>查询码</dt><dd><strong class="code">([^<]+)</strong>`)
)

// solveCaptcha answers the text challenge the way a person reads it.
func solveCaptcha(t *testing.T, q string) string {
	t.Helper()
	nums := map[string]int{}
	for i, d := range []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
		nums[d] = i
	}
	parse := func(s string) int {
		switch r := []rune(s); {
		case len(r) == 1:
			return nums[s]
		case len(r) == 2 && r[0] == '十':
			return 10 + nums[string(r[1])]
		case len(r) == 2:
			return nums[string(r[0])] * 10
		default:
			return nums[string(r[0])]*10 + nums[string(r[2])]
		}
	}
	q = strings.TrimSuffix(q, "等于几？")
	if a, b, ok := strings.Cut(q, "加"); ok {
		return strconv.Itoa(parse(a) + parse(b))
	}
	a, b, _ := strings.Cut(q, "减")
	return strconv.Itoa(parse(a) - parse(b))
}

// postMultipart posts fields and an optional file as multipart/form-data.
func (b *browser) postMultipart(path string, fields url.Values, fileField, fileName string, file []byte) resp {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, _ := mw.CreateFormFile(fileField, fileName)
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

const (
	applicantName  = "欧阳明"
	applicantPhone = "13907221234"
	applicantID    = "11010519491231002X"
)

func applicationForm() url.Values {
	return url.Values{"kind": {"person"}, "name": {applicantName}, "id_type": {"resident"}, "id_number": {applicantID},
		"phone": {applicantPhone}, "email": {"oym@example.cn"}, "address": {"随州市曾都区某街道88号"},
		"description": {"2025年度城乡最低生活保障资金发放明细"}, "doc_no": {"随民发〔2025〕3号"}, "form": {"electronic"}, "way": {"email"}}
}

// submitOnline fills in the public form with a solved challenge and
// returns the tracking number and query code from the receipt.
func submitOnline(t *testing.T, b *browser, form url.Values) (string, string, resp) {
	t.Helper()
	page := b.get("/apply")
	if page.status != 200 {
		t.Fatalf("GET /apply = %d", page.status)
	}
	q, tok := questionRe.FindStringSubmatch(page.body), tokenRe.FindStringSubmatch(page.body)
	if q == nil || tok == nil {
		t.Fatalf("form has no challenge:\n%s", page.body)
	}
	form.Set("captcha", solveCaptcha(t, q[1]))
	form.Set("captcha_token", tok[1])
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	r := b.postMultipart("/apply", form, "id_copy", "身份证.png", png)
	if r.status != 200 && r.status != 422 {
		t.Fatalf("POST /apply = %d:\n%s", r.status, r.body)
	}
	no, code := trackingRe.FindStringSubmatch(r.body), codeRe.FindStringSubmatch(r.body)
	if no == nil || code == nil {
		return "", "", r
	}
	return no[1], code[1], r
}

func TestPublicApplication(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		no, code, r := submitOnline(t, b, applicationForm())
		if no == "" {
			t.Fatalf("receipt shows no tracking number:\n%s", r.body)
		}
		mustContain(t, "receipt", r.body, "电子回执", "application "+no, "— gongkai-receipts", "SHA-256", "验证公钥")
		key := b.get("/apply/receipt-key")
		verifier, err := note.NewVerifier(strings.TrimSpace(key.body))
		if err != nil {
			t.Fatalf("receipt key %q: %v", key.body, err)
		}
		signed := html.UnescapeString(regexp.MustCompile(`(?s)<pre class="receipt-note"[^>]*>(.*?)</pre>`).FindStringSubmatch(r.body)[1])
		if n, err := note.Open([]byte(signed), note.VerifierList(verifier)); err != nil || !strings.Contains(n.Text, no) {
			t.Errorf("the receipt on the page does not verify with the published key: %v", err)
		}

		// The same application again is recognised, not duplicated.
		_, _, again := submitOnline(t, b, applicationForm())
		mustContain(t, "second submission", again.body, "请勿重复提交", no)
		apps, err := e.app.DB.Applications(t.Context(), []int64{e.org("42130021").ID}, false, 10)
		if err != nil || len(apps) != 1 {
			t.Fatalf("stored applications = %d, %v; want 1", len(apps), err)
		}
		_, _, as, _, _ := e.app.DB.ApplicationRecords(t.Context(), apps[0].ID)
		if len(as) != 1 || as[0].Kind != apply.AttachIDCopy || as[0].ContentType != "image/png" {
			t.Errorf("attachments = %+v, want the private ID copy", as)
		}

		// Tracking: a wrong code and an unknown number look the same.
		wrong := b.post("/apply/track", url.Values{"no": {no}, "code": {"AAAAAAAAAA"}})
		unknown := b.post("/apply/track", url.Values{"no": {"YSQ20990101-000000"}, "code": {code}})
		if wrong.status != 422 || unknown.status != 422 {
			t.Errorf("wrong code = %d, unknown number = %d; want 422 both", wrong.status, unknown.status)
		}
		mustContain(t, "wrong code", wrong.body, "申请编号或查询码不正确")
		mustContain(t, "unknown number", unknown.body, "申请编号或查询码不正确")

		// Staff move it on; the tracking page shows the timeline and the
		// reply notice but none of the applicant's personal data.
		ctx := t.Context()
		u, _ := e.app.DB.UserByName(ctx, "yishenqing")
		handler := account.ActorFor(u, "127.0.0.1")
		id := apps[0].ID
		today := apply.Today(e.clock.Now())
		if _, err := e.app.Apply.ConfirmReceipt(ctx, handler, id, today); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.app.Apply.RecordOutcome(ctx, handler, id, apply.Outcome{Category: apply.CatDisclosed, Note: "信息见附件，联系电话" + applicantPhone, AnsweredOn: today}, "", "随州市民政局"); err != nil {
			t.Fatal(err)
		}
		tr := b.post("/apply/track", url.Values{"no": {no}, "code": {code}})
		if tr.status != 200 {
			t.Fatalf("tracking = %d:\n%s", tr.status, tr.body)
		}
		body := html.UnescapeString(tr.body)
		mustContain(t, "tracking page", body, no, "确认收到申请", "作出答复", "予以公开", "政府信息公开申请答复告知书", "行政诉讼")
		mustNotContain(t, "tracking page", body, applicantName, applicantPhone, applicantID, "oym@example.cn", "某街道88号")
		if got := tr.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("tracking Cache-Control = %q, want no-store", got)
		}
	})
}

func TestPublicApplicationBadInput(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		page := b.get("/apply")
		tok := tokenRe.FindStringSubmatch(page.body)
		form := url.Values{"kind": {"person"}, "name": {"张三"}, "id_type": {"resident"}, "id_number": {"110105194912310021"},
			"phone": {""}, "email": {"not-an-email"}, "description": {"我要低保名单"}, "form": {"paper"}, "way": {"post"},
			"captcha": {"999"}, "captcha_token": {tok[1]}}
		r := b.postMultipart("/apply", form, "id_copy", "virus.exe", []byte("MZ\x90\x00 this is not an image"))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("status = %d, want 422", r.status)
		}
		mustContain(t, "form with errors", r.body,
			"公民身份号码不正确", "请填写联系电话", "电子邮箱格式不正确", "选择邮寄方式时请填写通信地址",
			"验证问题回答不正确", "只接受JPG、PNG图片或PDF文件",
			`value="张三"`, `value="110105194912310021"`, `value="not-an-email"`, "我要低保名单", `aria-invalid="true"`)
		apps, _ := e.app.DB.Applications(t.Context(), []int64{e.org("42130021").ID}, false, 10)
		if len(apps) != 0 {
			t.Errorf("an invalid application was stored")
		}
		org := url.Values{"kind": {"org"}, "name": {"某律师事务所"}, "credit_code": {"91350100M000100Y44"}, "phone": {"0722-1234567"},
			"description": {"某文件"}, "form": {"paper"}, "way": {"pickup"}}
		_, _, r2 := submitOnline(t, b, org)
		mustContain(t, "organisation form", r2.body, "统一社会信用代码不正确", "请填写法定代表人或负责人", "请填写联系人", "请选择单位类型", "91350100M000100Y44")
	})
}

func TestTrackingIsThrottled(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		var last int
		for range 15 {
			last = b.post("/apply/track", url.Values{"no": {"YSQ20260302-000001"}, "code": {"WRONG"}}).status
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("15th wrong code = %d, want 429", last)
		}
	})
}

// dueOf reads the stored due date of an application.
func (e *env) dueOf(id int64) string {
	e.t.Helper()
	a, err := e.app.DB.Application(e.t.Context(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	if a.DueOn.IsZero() {
		return ""
	}
	return a.DueOn.String()
}

// at sets the test clock to 09:00 China time on day s.
func (e *env) at(s string) {
	d, err := workday.Parse(s)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.mu.Lock()
	e.clock.t = time.Date(d.Year(), d.Month(), d.Day(), 1, 0, 0, 0, time.UTC)
	e.clock.mu.Unlock()
}
