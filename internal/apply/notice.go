package apply

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/apperr"
)

// Remedies is the paragraph every reply notice ends with: the applicant's
// right to administrative reconsideration within 60 days (行政复议法 2023,
// art. 20: "可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请")
// and to an administrative lawsuit within six months (行政诉讼法 art. 46:
// "应当自知道或者应当知道作出行政行为之日起六个月内提出"), as 条例 art. 51
// allows. The two limits come from secondary copies of those laws [S]; they
// are not quoted in REGULATIONS.md.
const Remedies = "如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国政府信息公开条例》第五十一条、《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"

// Placeholders lists what a notice template may contain, with what each
// stands for; templates are plain text with these replaced.
func Placeholders() [][2]string {
	return [][2]string{
		{"{申请人}", "申请人姓名或名称"}, {"{编号}", "申请编号"}, {"{收到日期}", "收到申请之日"},
		{"{申请内容}", "所需信息描述"}, {"{处理结果}", "处理结果"}, {"{具体情形}", "具体情形"},
		{"{理由}", "说明与理由"}, {"{法律依据}", "法律依据"}, {"{机关}", "本机关名称"},
		{"{答复日期}", "答复日期"}, {"{救济途径}", "复议和诉讼的权利与期限"},
	}
}

// DefaultTemplate returns the built-in reply notice text for category c.
// Each org may replace it with its own (NoticeTemplate).
func DefaultTemplate(c Category) string {
	head := "{申请人}：\n本机关于{收到日期}收到您（单位）提出的政府信息公开申请（编号：{编号}），申请获取：{申请内容}。\n"
	tail := "\n{救济途径}\n\n{机关}\n{答复日期}"
	var body string
	switch c {
	case CatDisclosed:
		body = "经审查，您申请的政府信息属于公开范围，根据{法律依据}的规定，现予以公开，随本告知书提供（或告知获取方式、途径和时间）。\n{理由}"
	case CatPartial:
		body = "经审查，您申请的政府信息中含有不应当公开的内容，但能够作区分处理。根据{法律依据}的规定，本机关向您提供可以公开的部分；不予公开部分的理由如下：\n{理由}"
	case CatRefused:
		body = "经审查，您申请的政府信息{具体情形}，根据{法律依据}的规定，不予公开。理由如下：\n{理由}"
	case CatUnavailable:
		body = "经检索和审查，{具体情形}，根据{法律依据}的规定，本机关无法提供。\n{理由}"
	case CatNotProcessed:
		body = "经审查，您的申请属于“{具体情形}”的情形，根据{法律依据}的规定，本机关不作为政府信息公开申请处理。\n{理由}"
	default:
		body = "您的申请属于“{具体情形}”的情形，根据{法律依据}的规定，本机关不再处理该政府信息公开申请。\n{理由}"
	}
	return head + body + tail
}

// NoticeData is what fills a reply notice template.
type NoticeData struct {
	Applicant   string
	TrackingNo  string
	ReceivedOn  string
	Description string
	Outcome     Outcome
	OrgName     string
}

// RenderNotice replaces the placeholders of template tmpl. The result is
// plain text; callers escape it for HTML.
func RenderNotice(tmpl string, d NoticeData) string {
	reason := d.Outcome.Reason.Label()
	if i := strings.IndexRune(reason, '.'); i >= 0 {
		reason = reason[i+1:]
	}
	r := strings.NewReplacer(
		"{申请人}", d.Applicant, "{编号}", d.TrackingNo, "{收到日期}", d.ReceivedOn,
		"{申请内容}", d.Description, "{处理结果}", d.Outcome.Category.Label(), "{具体情形}", reason,
		"{理由}", d.Outcome.Note, "{法律依据}", d.Outcome.Basis(), "{机关}", d.OrgName,
		"{答复日期}", d.Outcome.AnsweredOn.String(), "{救济途径}", Remedies,
	)
	return r.Replace(tmpl)
}

// CheckTemplate validates a notice template an administrator edits.
func CheckTemplate(body string) error {
	switch {
	case strings.TrimSpace(body) == "":
		return apperr.Invalidf("body", "请填写告知书模板")
	case utf8.RuneCountInString(body) > 20000:
		return apperr.Invalidf("body", "模板不能超过20000字")
	case !strings.Contains(body, "{救济途径}"):
		// The remedies must always be stated (条例 art. 51).
		return apperr.Invalidf("body", "模板必须包含{救济途径}，告知申请人复议和诉讼的权利与期限")
	}
	return nil
}

// Notice is a reply notice (告知书) as issued.
type Notice struct {
	ID            int64
	ApplicationID int64
	Category      Category
	Title         string
	Body          string // plain text, paragraphs separated by newlines
	ActorName     string
	CreatedAt     time.Time
}

// NoticeTitle is the heading of a reply notice for category c.
func NoticeTitle(c Category) string {
	switch c {
	case CatDisclosed:
		return "政府信息公开申请答复告知书（予以公开）"
	case CatPartial:
		return "政府信息公开申请答复告知书（部分公开）"
	case CatRefused:
		return "政府信息公开申请答复告知书（不予公开）"
	case CatUnavailable:
		return "政府信息公开申请答复告知书（无法提供）"
	case CatNotProcessed:
		return "政府信息公开申请答复告知书（不予处理）"
	}
	return "政府信息公开申请答复告知书"
}

// codeAlphabet avoids characters easily confused when copied by hand.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

// NewTrackingNo returns a tracking number: the day of submission and six
// random digits, e.g. YSQ20260302-048213. Uniqueness is enforced by the
// store; callers retry on conflict.
func NewTrackingNo(t time.Time) string {
	return "YSQ" + t.In(China).Format("20060102") + "-" + randomString("0123456789", 6)
}

// NewQueryCode returns a query code of 10 characters (about 50 bits).
func NewQueryCode() string { return randomString(codeAlphabet, 10) }

// HashCode returns what is stored for a query code: the hex SHA-256 of the
// tracking number and the code, upper-cased and without spaces, so the same
// code for another number does not match.
func HashCode(trackingNo, code string) string {
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	sum := sha256.Sum256([]byte("gongkai-apply-code\x00" + trackingNo + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// ReceiptText is the text of a receipt before signing: a signed note
// (golang.org/x/mod/sumdb/note) whose body names the tracking number, the
// time of submission and the SHA-256 of what was submitted.
func ReceiptText(origin, trackingNo string, at time.Time, digest string) string {
	return fmt.Sprintf("%s\napplication %s\nsubmitted %s\nsha256 %s\n", origin, trackingNo, at.UTC().Format(time.RFC3339), digest)
}

// SignReceipt signs the receipt text with signer and returns the signed
// note.
func SignReceipt(signer note.Signer, text string) (string, error) {
	b, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		return "", fmt.Errorf("sign receipt: %w", err)
	}
	return string(b), nil
}
