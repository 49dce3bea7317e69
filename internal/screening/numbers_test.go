package screening_test

import (
	"strings"
	"testing"
	"time"

	"gongkai/internal/screening"
)

// span is a finding reduced to what the number tests check.
type span struct {
	kind screening.Kind
	conf screening.Confidence
	text string
}

func spans(text string, fs []screening.Finding) []span {
	var out []span
	for _, f := range fs {
		out = append(out, span{f.Kind, f.Confidence, text[f.Offset:f.End()]})
	}
	return out
}

func equalSpans(a, b []span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestScanNumbers(t *testing.T) {
	g := newGen(3)
	id := g.id18(false)
	idX := g.id18(true)
	bad := g.id18BadCheck()
	old := g.id15()
	mob := g.mobile()
	card16 := g.card(16)
	card19 := g.card(19)
	credit := g.creditCode(true)
	// An identity number born after testNow: valid check digit, future date.
	future := "429901" + "20250602" + "123"
	future += string(idCheck(future))
	// A wrong check digit that happens to make a valid credit code.
	var creditLike string
	for creditLike == "" {
		c := g.id18BadCheck()
		if screening.ValidCreditCode(c) {
			creditLike = c
		}
	}

	unusual := "800000000000000" + string(luhnDigit("800000000000000"))
	timestamp := "202312311234567" + string(luhnDigit("202312311234567"))
	const (
		high = screening.ConfidenceHigh
		low  = screening.ConfidenceLow
	)
	tests := []struct {
		name string
		text string
		want []span
	}{
		{name: "identity number in a sentence", text: "身份证号" + id + "。", want: []span{{screening.KindIDNumber, high, id}}},
		{name: "identity number ending in X", text: "号码：" + idX, want: []span{{screening.KindIDNumber, high, idX}}},
		{name: "identity number ending in lower-case x", text: strings.ToLower(idX) + "，", want: []span{{screening.KindIDNumber, high, strings.ToLower(idX)}}},
		{name: "identity number written in groups", text: "证号 " + group(id, " ", 6, 8) + " 已核", want: []span{{screening.KindIDNumber, high, group(id, " ", 6, 8)}}},
		{name: "identity number in full-width digits", text: "证号" + fullWidth(id), want: []span{{screening.KindIDNumber, high, fullWidth(id)}}},
		{name: "wrong check digit is reported at low confidence", text: "证号" + bad, want: []span{{screening.KindIDNumber, low, bad}}},
		{name: "wrong check digit that makes a valid credit code is not reported", text: "代码" + creditLike},
		{name: "old 15-digit number at low confidence", text: "旧证" + old + "。", want: []span{{screening.KindIDNumber, low, old}}},
		{name: "birth date after now is not an identity number", text: "编号" + future},
		{name: "identity number is not also a card or a phone", text: id, want: []span{{screening.KindIDNumber, high, id}}},
		{name: "identity number followed by a letter is a code", text: id + "A"},
		{name: "identity number inside a longer run is not reported", text: "1" + id},

		{name: "mobile number", text: "电话" + mob, want: []span{{screening.KindMobile, high, mob}}},
		{name: "mobile number with spaces", text: "电话 " + group(mob, " ", 3, 4), want: []span{{screening.KindMobile, high, group(mob, " ", 3, 4)}}},
		{name: "mobile number with hyphens", text: group(mob, "-", 3, 4) + "。", want: []span{{screening.KindMobile, high, group(mob, "-", 3, 4)}}},
		{name: "mobile number 3-8", text: group(mob, "-", 3), want: []span{{screening.KindMobile, high, group(mob, "-", 3)}}},
		{name: "plus 86 prefix joins the span", text: "电话+86 " + mob, want: []span{{screening.KindMobile, high, "+86 " + mob}}},
		{name: "full-width plus 86", text: "电话＋86" + mob, want: []span{{screening.KindMobile, high, "＋86" + mob}}},
		{name: "0086 prefix", text: "0086" + mob, want: []span{{screening.KindMobile, high, "0086" + mob}}},
		{name: "two mobile numbers separated by a space", text: mob + " " + mob, want: []span{{screening.KindMobile, high, mob}, {screening.KindMobile, high, mob}}},
		{name: "a date before a mobile number", text: "2023-12-31 " + mob, want: []span{{screening.KindMobile, high, mob}}},
		{name: "mobile number before an e-mail domain", text: mob + "@qq.com", want: []span{{screening.KindMobile, high, mob}}},
		{name: "second digit 2 is not a mobile number", text: "12012345678"},
		{name: "landline with area code is public", text: "电话0722-3335678"},
		{name: "landline in brackets", text: "(0722)3335678"},
		{name: "landline without separator", text: "07223335678"},
		{name: "service number", text: "400-888-8888"},
		{name: "mobile-like number inside a longer run", text: "2023123113812345678901"},
		{name: "mobile-like amount in yuan", text: "13812345678元"},
		{name: "mobile-like number after a decimal point", text: "3.13812345678"},
		{name: "grouped number that continues is not a phone", text: "138 1234 5678 9012"},

		{name: "16-digit card", text: "卡号" + card16, want: []span{{screening.KindBankCard, high, card16}}},
		{name: "19-digit card in groups of four", text: "卡号 " + group(card19, " ", 4, 4, 4, 4), want: []span{{screening.KindBankCard, high, group(card19, " ", 4, 4, 4, 4)}}},
		{name: "card with an unusual first digit is low confidence", text: unusual, want: []span{{screening.KindBankCard, low, unusual}}},
		{name: "Luhn failure is not a card", text: card16[:15] + string('0'+(card16[15]-'0'+1)%10)},
		{name: "amount with decimals is not a card", text: "1234567890123452.00元"},
		{name: "timestamp passing Luhn is not a card", text: timestamp},
		{name: "five groups of four are not a card", text: group(card16+"1234", " ", 4, 4, 4, 4)},
		{name: "all-digit credit code is not a card", text: "代码" + credit},
		{name: "index number with a credit code", text: "索引号 " + credit + "/2021-00050"},
		{name: "index number with a letter", text: "索引号 11441700007280420Y/2021-00050"},
		{name: "document number", text: "随民发〔2017〕12号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spans(tt.text, screening.Scan(tt.text, screening.Options{Now: fixedNow}))
			if !equalSpans(got, tt.want) {
				t.Errorf("Scan(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestScanKindsDisabledDoNotReclassify(t *testing.T) {
	id := newGen(4).id18(false)
	got := screening.Scan(id, screening.Options{Now: fixedNow, Kinds: []screening.Kind{screening.KindBankCard, screening.KindMobile}})
	if len(got) != 0 {
		t.Errorf("Scan(identity number, only cards and mobiles) = %v, want none", got)
	}
}

func TestScanUsesClock(t *testing.T) {
	born := "429901" + "20240101" + "123"
	born += string(idCheck(born))
	before := func() time.Time { return time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC) }
	if got := screening.Scan(born, screening.Options{Now: before}); len(got) != 0 {
		t.Errorf("Scan(born 2024-01-01) at 2023-12-31 = %v, want none", got)
	}
	if got := screening.Scan(born, screening.Options{Now: fixedNow}); len(got) != 1 {
		t.Errorf("Scan(born 2024-01-01) at %v = %v, want one finding", testNow, got)
	}
}

func TestValidIDNumber(t *testing.T) {
	g := newGen(5)
	id := g.id18(false)
	idX := g.id18(true)
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{name: "valid", s: id, want: true},
		{name: "valid with X", s: idX, want: true},
		{name: "valid with lower-case x", s: strings.ToLower(idX), want: true},
		{name: "wrong check digit", s: g.id18BadCheck(), want: false},
		{name: "too short", s: id[:17], want: false},
		{name: "unknown province 99", s: "99" + id[2:], want: false},
		{name: "February 30th", s: func() string { p := "429901" + "20000230" + "123"; return p + string(idCheck(p)) }(), want: false},
		{name: "February 29th of a leap year", s: func() string { p := "429901" + "20000229" + "123"; return p + string(idCheck(p)) }(), want: true},
		{name: "born before 1900", s: func() string { p := "429901" + "18991231" + "123"; return p + string(idCheck(p)) }(), want: false},
		{name: "full-width digits", s: fullWidth(id), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := screening.ValidIDNumber(tt.s, testNow); got != tt.want {
				t.Errorf("ValidIDNumber(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestValidCreditCode(t *testing.T) {
	g := newGen(6)
	code := g.creditCode(false)
	tests := []struct {
		name string
		s    string
		want bool
	}{
		{name: "published example", s: "91350100M000100Y43", want: true},
		{name: "generated", s: code, want: true},
		{name: "generated all digits", s: g.creditCode(true), want: true},
		{name: "wrong check character", s: "91350100M000100Y44", want: false},
		{name: "lower case", s: "91350100m000100y43", want: false},
		{name: "letter I is not in the alphabet", s: "91350100I000100Y43", want: false},
		{name: "letter in the division code", s: "9135A100M000100Y43", want: false},
		{name: "17 characters", s: code[:17], want: false},
		{name: "empty", s: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := screening.ValidCreditCode(tt.s); got != tt.want {
				t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}
