package interact

import (
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/screening"
)

// Screen returns text with the personal data the screening detectors find
// masked (screening.Scan and Mask), and with the sender's own name, phone
// and e-mail address replaced wherever they occur verbatim, so the public
// list never shows them even where no detector would find them (a
// landline number, a name in the text). now is the clock for identity
// number checks.
func Screen(text string, s Sender, now func() time.Time) string {
	out := screening.Mask(text, screening.Scan(text, screening.Options{Now: now}))
	for _, v := range []struct{ raw, masked string }{
		{s.Phone, maskDigits(s.Phone)},
		{s.Email, screening.MaskEmail(s.Email)},
		{s.Name, screening.MaskName(s.Name)},
	} {
		if len([]rune(v.raw)) >= 2 && v.raw != v.masked {
			out = strings.ReplaceAll(out, v.raw, v.masked)
		}
	}
	return out
}

// maskDigits keeps the first three and last two characters of a phone
// number and stars the rest.
func maskDigits(s string) string {
	r := []rune(s)
	if len(r) <= 5 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-5) + string(r[len(r)-2:])
}

// CheckReply refuses a reply that would carry personal data to the sender
// or the public: any blocking screening finding (identity, bank card and
// mobile numbers; classification markings) and the sender's own phone
// number or e-mail address. The error is an *apperr.Invalid on field
// "body".
func CheckReply(body string, s Sender, now func() time.Time) error {
	fs := screening.Scan(body, screening.Options{Now: now})
	if screening.HasBlocking(fs) {
		var kinds []string
		for _, f := range fs {
			if f.Severity == screening.SeverityBlocking {
				kinds = append(kinds, kindLabel(f.Kind)+"（"+f.Excerpt+"）")
			}
		}
		return apperr.Invalidf("body", "答复中含有不得公开的内容：%s。请删除后再提交", strings.Join(kinds, "、"))
	}
	if s.Phone != "" && strings.Contains(body, s.Phone) {
		return apperr.Invalidf("body", "答复中不得包含留言人的联系电话")
	}
	if s.Email != "" && strings.Contains(strings.ToLower(body), strings.ToLower(s.Email)) {
		return apperr.Invalidf("body", "答复中不得包含留言人的电子邮箱")
	}
	return nil
}

// Publicize fills the Public* fields of m from its question and the
// approved reply: the name masked (张** style) and personal data screened.
// The sender's contact data never reach them.
func Publicize(m *Message, reply string, now func() time.Time) {
	m.PublicName = screening.MaskName(m.Sender.Name)
	m.PublicSubject = Screen(m.Subject, m.Sender, now)
	m.PublicBody = Screen(m.Body, m.Sender, now)
	m.PublicReply = Screen(reply, m.Sender, now)
}

func kindLabel(k screening.Kind) string {
	switch k {
	case screening.KindIDNumber:
		return "身份证号码"
	case screening.KindMobile:
		return "手机号码"
	case screening.KindBankCard:
		return "银行卡号"
	case screening.KindEmail:
		return "电子邮箱"
	case screening.KindAddress:
		return "详细地址"
	case screening.KindMarking:
		return "密级标志"
	case screening.KindSensitiveWord:
		return "敏感词"
	}
	return string(k)
}

func maskedName(name string) string { return screening.MaskName(name) }
