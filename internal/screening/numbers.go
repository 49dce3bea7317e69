package screening

import (
	"time"
	"unicode/utf8"
)

// This file finds identity, bank card and mobile numbers. The scan works on
// bytes: it jumps from digit to digit, gathers a "composite" of digit
// groups joined by single spaces or hyphens (138 1234 5678, 6222-0212-...),
// and classifies windows of consecutive groups. ASCII and full-width digits
// (０-９) are both recognised.
//
// Landlines are never reported: a bureau must publish its office address
// and contact telephone (Regulations on Open Government Information, 2019,
// art. 20 (二): "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
// and a landline does not identify a private person the way a mobile number
// does. So 0722-3335678, (0722)3335678 and 07223335678 pass.

// group is one run of digits within a composite.
type group struct {
	start, end int  // byte span in the text, X included
	dStart     int  // span in numberScanner.digits
	dEnd       int  //
	sep        byte // separator before this group; 0 for the first
	bad        bool // part of something else: a decimal, a code with letters, an amount
}

func (g group) n() int { return g.dEnd - g.dStart }

// numberScanner holds the reusable buffers of one scan.
type numberScanner struct {
	s      string
	loc    string
	today  civilDate
	ks     kindSet
	groups []group
	digits []byte // ASCII digits and 'X' of the current composite
	out    []Finding
}

func scanNumbers(s, loc string, now time.Time, ks kindSet) []Finding {
	ns := numberScanner{s: s, loc: loc, today: dateOf(now), ks: ks}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c-'0' < 10:
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2]-0x90 < 10:
		default:
			i++
			continue
		}
		i = ns.composite(i)
	}
	return ns.out
}

// digitAt returns the ASCII digit at s[i] (which may be a full-width digit)
// and its width in bytes, or width 0.
func digitAt(s string, i int) (byte, int) {
	if i >= len(s) {
		return 0, 0
	}
	c := s[i]
	if c-'0' < 10 {
		return c, 1
	}
	if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2]-0x90 < 10 {
		return '0' + s[i+2] - 0x90, 3
	}
	return 0, 0
}

// checkXAt returns the width of an X, x, Ｘ or ｘ at s[i], or 0.
func checkXAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch {
	case s[i] == 'X' || s[i] == 'x':
		return 1
	case i+2 < len(s) && s[i] == 0xEF && (s[i+1] == 0xBC && s[i+2] == 0xB8 || s[i+1] == 0xBD && s[i+2] == 0x98):
		return 3
	}
	return 0
}

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isASCIILetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// composite reads the digit groups starting at i, classifies them and
// returns the offset just past them.
func (ns *numberScanner) composite(i int) int {
	s := ns.s
	ns.groups = ns.groups[:0]
	ns.digits = ns.digits[:0]
	var sep byte
	for {
		g := group{start: i, dStart: len(ns.digits), sep: sep}
		for {
			d, w := digitAt(s, i)
			if w == 0 {
				break
			}
			ns.digits = append(ns.digits, d)
			i += w
		}
		// An identity number may end in X; "12x34" is not one.
		if w := checkXAt(s, i); w > 0 {
			if r, _ := utf8.DecodeRuneInString(s[i+w:]); !isASCIIAlnum(r) {
				ns.digits = append(ns.digits, 'X')
				i += w
			}
		}
		g.end, g.dEnd = i, len(ns.digits)
		ns.groups = append(ns.groups, g)
		if i+1 < len(s) && (s[i] == ' ' || s[i] == '-') {
			if _, w := digitAt(s, i+1); w > 0 {
				sep = s[i]
				i++
				continue
			}
		}
		break
	}
	ns.markBoundaries()
	for j := 0; j < len(ns.groups); {
		if k := ns.classify(j); k > 0 {
			j += k
		} else {
			j++
		}
	}
	return i
}

// unitRunes follow a count or an amount, never a phone or card number.
const unitRunes = "元万亿%％年月日次人户件个条吨米亩页字克"

// markBoundaries marks the first and last group bad when what surrounds the
// composite shows it is part of something else.
func (ns *numberScanner) markBoundaries() {
	s := ns.s
	first, last := &ns.groups[0], &ns.groups[len(ns.groups)-1]

	before, w := utf8.DecodeLastRuneInString(s[:first.start])
	switch {
	case isASCIILetter(before):
		first.bad = true // a code such as a credit code with letters: 91420100MA4K...
	case before == '.' || before == '．':
		// The fraction of a decimal: 3.1415926535897932.
		if _, dw := digitBefore(s, first.start-w); dw > 0 {
			first.bad = true
		}
	case before == '¥' || before == '￥' || before == '$' || before == '第':
		first.bad = true
	}

	after, w := utf8.DecodeRuneInString(s[last.end:])
	switch {
	case isASCIILetter(after):
		last.bad = true
	case after == '.' || after == '．':
		// The integer part of an amount: 1234567890123456.00元.
		if _, dw := digitAt(s, last.end+w); dw > 0 {
			last.bad = true
		}
	case after == '/':
		// The organisation code of an index number (索引号) such as
		// 11441700007280420Y/2021-00050.
		j := last.end + 1
		k := 0
		for ; k < 4; k++ {
			_, dw := digitAt(s, j)
			if dw == 0 {
				break
			}
			j += dw
		}
		if k == 4 && j < len(s) && s[j] == '-' {
			last.bad = true
		}
	default:
		for _, u := range unitRunes {
			if after == u {
				last.bad = true
				break
			}
		}
	}
}

// digitBefore returns the digit ending just before s[i] and its width, or
// width 0.
func digitBefore(s string, i int) (byte, int) {
	if i >= 1 {
		if d, w := digitAt(s, i-1); w == 1 {
			return d, 1
		}
	}
	if i >= 3 {
		if d, w := digitAt(s, i-3); w == 3 {
			return d, 3
		}
	}
	return 0, 0
}

// layout is a way of writing a number in groups.
type layout struct {
	lens []int
	kind Kind
}

// layouts lists the grouped forms, longest first. A grouped form must use
// one separator throughout and must not be part of a longer chain with the
// same separator, so 1234 5678 9012 3456 7890 is not a card.
var layouts = []layout{
	{[]int{4, 4, 4, 4, 3}, KindBankCard},
	{[]int{4, 4, 4, 4, 2}, KindBankCard},
	{[]int{4, 4, 4, 4, 1}, KindBankCard},
	{[]int{4, 3, 4, 4}, KindMobile}, // 0086 138 1234 5678
	{[]int{2, 3, 4, 4}, KindMobile}, // 86 138 1234 5678
	{[]int{4, 4, 4, 4}, KindBankCard},
	{[]int{6, 8, 4}, KindIDNumber}, // 420302 19900101 123X
	{[]int{3, 4, 4}, KindMobile},
	{[]int{4, 11}, KindMobile},
	{[]int{2, 11}, KindMobile},
	{[]int{3, 8}, KindMobile},
}

// classify tries the layouts at group j, then group j alone, and records a
// finding. It returns the number of groups consumed, or 0.
func (ns *numberScanner) classify(j int) int {
	gs := ns.groups
	for _, l := range layouts {
		k := len(l.lens)
		if j+k > len(gs) {
			continue
		}
		if !ns.fits(j, l.lens) {
			continue
		}
		d := ns.digits[gs[j].dStart:gs[j+k-1].dEnd]
		var c classification
		switch l.kind {
		case KindIDNumber:
			c = ns.classifyID18(d)
		case KindBankCard:
			c = ns.classifyCard(d)
		case KindMobile:
			c = classifyMobile(d)
		}
		if c.kind != "" {
			ns.emit(c, gs[j].start, gs[j+k-1].end)
			return k
		}
	}
	if gs[j].bad {
		return 0
	}
	d := ns.digits[gs[j].dStart:gs[j].dEnd]
	if c := ns.classifySingle(d); c.kind != "" {
		ns.emit(c, gs[j].start, gs[j].end)
		return 1
	}
	return 0
}

// fits reports whether the groups from j have the lengths lens, all good,
// joined by one separator that does not also join a neighbour.
func (ns *numberScanner) fits(j int, lens []int) bool {
	gs := ns.groups
	sep := gs[j+1].sep
	for i, n := range lens {
		g := gs[j+i]
		if g.bad || g.n() != n || i > 0 && g.sep != sep {
			return false
		}
	}
	if gs[j].sep == sep {
		return false
	}
	if e := j + len(lens); e < len(gs) && gs[e].sep == sep {
		return false
	}
	return true
}

// classification is the verdict on one digit string.
type classification struct {
	kind Kind // "" when the digits are none of ours
	conf Confidence
	msg  string
}

// classifySingle classifies an ungrouped digit string by its length.
func (ns *numberScanner) classifySingle(d []byte) classification {
	switch len(d) {
	case 11, 13:
		return classifyMobile(d)
	case 15:
		if c := ns.classifyID15(d); c.kind != "" {
			return c
		}
		return classifyMobile(d)
	case 18:
		if c := ns.classifyID18(d); c.kind != "" {
			return c
		}
		return ns.classifyCard(d)
	case 16, 17, 19:
		return ns.classifyCard(d)
	}
	return classification{}
}

func allDigits(d []byte) bool {
	for _, c := range d {
		if c-'0' >= 10 {
			return false
		}
	}
	return true
}

// classifyMobile accepts 11 digits starting 13–19, optionally after 86 or
// 0086.
func classifyMobile(d []byte) classification {
	switch {
	case len(d) == 13 && d[0] == '8' && d[1] == '6':
		d = d[2:]
	case len(d) == 15 && string(d[:4]) == "0086":
		d = d[4:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' || d[1] > '9' || !allDigits(d) {
		return classification{}
	}
	return classification{KindMobile, ConfidenceHigh, "手机号码"}
}

// classifyCard accepts 16–19 digits passing the Luhn check, except a valid
// unified social credit code and a run that starts with a date
// (a timestamp or serial number such as 2023123112345678).
func (ns *numberScanner) classifyCard(d []byte) classification {
	if len(d) < 16 || len(d) > 19 || !allDigits(d) || !luhn(d) {
		return classification{}
	}
	if len(d) == 18 && ValidCreditCode(string(d)) {
		return classification{}
	}
	if (d[0] == '1' && d[1] == '9' || d[0] == '2' && d[1] == '0') && validDate(d[0:8], civilDate{9999, 12, 31}) {
		return classification{}
	}
	switch d[0] {
	case '3', '4', '5', '6', '9':
		// American Express/JCB, Visa, Mastercard, UnionPay (62) and the
		// domestic debit prefixes (95xx).
		return classification{KindBankCard, ConfidenceHigh, "银行卡号"}
	}
	return classification{KindBankCard, ConfidenceLow, "疑似银行卡号（卡号开头少见）"}
}

// luhn reports whether the digits pass the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func (ns *numberScanner) emit(c classification, start, end int) {
	if !ns.ks.has(c.kind) {
		return
	}
	// Keep the + of +86 inside the span.
	if c.kind == KindMobile && end-start > 11 {
		if start >= 1 && ns.s[start-1] == '+' {
			start--
		} else if start >= 3 && ns.s[start-3:start] == "＋" {
			start -= 3
		}
	}
	ns.out = append(ns.out, newFinding(ns.s, ns.loc, c.kind, SeverityBlocking, c.conf, start, end, c.msg))
}
