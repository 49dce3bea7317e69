package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

var hantQuestionRe = regexp.MustCompile(`驗證問題 \*：(.+?)</label>`)

// hantChallenge reads the challenge of a Traditional form page and answers
// it.
func hantChallenge(t *testing.T, b *browser, path string) (answer, token string) {
	t.Helper()
	page := b.get(path)
	q, tok := hantQuestionRe.FindStringSubmatch(page.body), tokenRe.FindStringSubmatch(page.body)
	if page.status != http.StatusOK || q == nil || tok == nil {
		t.Fatalf("GET %s = %d, no challenge:\n%s", path, page.status, excerpt(page.body))
	}
	simplified := strings.NewReplacer("等於幾", "等于几", "減", "减").Replace(q[1])
	return solveCaptcha(t, simplified), tok[1]
}

// TestFormsPostedFromTraditionalPagesStayTraditional submits the public
// forms from their /zh-hant pages: the answers come back in Traditional
// Chinese, links in them stay under /zh-hant, and the signed receipt is
// left exactly as signed, so it still verifies.
func TestFormsPostedFromTraditionalPagesStayTraditional(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()

		form := applicationForm()
		ans, tok := hantChallenge(t, b, "/zh-hant/apply")
		form.Set("captcha", ans)
		form.Set("captcha_token", tok)
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		r := b.postMultipart("/zh-hant/apply", form, "id_copy", "身份证.png", png)
		expect(t, "apply from a Traditional page", r, http.StatusOK)
		mustContain(t, "receipt", r.body, `lang="zh-Hant"`, "申請已提交", "電子回執", `href="/zh-hant/apply/track?no=`)
		m := regexp.MustCompile(`(?s)<pre class="receipt-note" lang="zh-Hans">(.*?)</pre>`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("the receipt is not kept out of the conversion:\n%s", excerpt(r.body))
		}
		signed := html.UnescapeString(m[1])
		verifier, err := note.NewVerifier(strings.TrimSpace(b.get("/apply/receipt-key").body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := note.Open([]byte(signed), note.VerifierList(verifier)); err != nil {
			t.Errorf("the receipt on the Traditional page does not verify: %v\n%s", err, signed)
		}

		// A refused form comes back in Traditional with what was typed.
		ans, tok = hantChallenge(t, b, "/zh-hant/interact/new")
		msg := url.Values{"kind": {"question"}, "org_id": {itoa(e.org("42130021").ID)}, "subject": {"請問低保申請材料"}, "body": {"請問申請城鄉低保需要準備哪些材料？"},
			"name": {"張三"}, "phone": {"123"}, "captcha": {ans}, "captcha_token": {tok}}
		r = b.post("/zh-hant/interact/new", msg)
		expect(t, "message with a bad phone number", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused message", r.body, `lang="zh-Hant"`, `action="/zh-hant/interact/new"`, "請問申請城鄉低保需要準備哪些材料？")

		ans, tok = hantChallenge(t, b, "/zh-hant/interact/new")
		msg.Set("phone", "13907221234")
		msg.Set("captcha", ans)
		msg.Set("captcha_token", tok)
		r = b.post("/zh-hant/interact/new", msg)
		expect(t, "message from a Traditional page", r, http.StatusOK)
		mustContain(t, "message receipt", r.body, `lang="zh-Hant"`, "留言已提交", `href="/zh-hant/interact/query`)
		mustNotContain(t, "message receipt", r.body, `href="/interact/query`)
	})
}
