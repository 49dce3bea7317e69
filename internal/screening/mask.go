package screening

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mask returns text with the span of every finding replaced by its mask
// (MaskValue). Findings are those Scan returned for this very text; ones
// that are empty, out of bounds or overlap an earlier one are skipped, so a
// stale finding cannot make Mask panic. Text outside the spans is copied
// unchanged.
func Mask(text string, findings []Finding) string {
	fs := slices.Clone(findings)
	sortFindings(fs)
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, f := range fs {
		if f.Length <= 0 || f.Offset < last || f.Length > len(text)-f.Offset {
			continue
		}
		b.WriteString(text[last:f.Offset])
		b.WriteString(MaskValue(f.Kind, text[f.Offset:f.End()]))
		last = f.End()
	}
	b.WriteString(text[last:])
	return b.String()
}

// MaskValue masks s, the text of a finding of kind k. Personal data is
// masked by the per-kind function; markings, sensitive words and map names
// are not personal and are returned unchanged.
func MaskValue(k Kind, s string) string {
	switch k {
	case KindIDNumber:
		return MaskIDNumber(s)
	case KindMobile:
		return MaskMobile(s)
	case KindBankCard:
		return MaskBankCard(s)
	case KindEmail:
		return MaskEmail(s)
	case KindAddress:
		return MaskAddress(s)
	case KindName:
		return MaskName(s)
	}
	return s
}

// isDigitLike reports whether r counts as a digit of a number when masking:
// ASCII and full-width digits and the check character X.
func isDigitLike(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９' || r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ'
}

// maskDigits replaces the digit-like runes of s with '*', except the first
// head and the last tail of them. Separators stay, so the layout of the
// number (138 1234 5678) is kept. When head+tail leaves nothing to hide,
// every digit is masked.
func maskDigits(s string, head, tail int) string {
	n := countDigitLike(s)
	if head+tail >= n {
		head, tail = 0, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if !isDigitLike(r) {
			b.WriteRune(r)
			continue
		}
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

func countDigitLike(s string) int {
	n := 0
	for _, r := range s {
		if isDigitLike(r) {
			n++
		}
	}
	return n
}

// MaskIDNumber masks an identity number, keeping the first four and last
// four characters of an 18-character number (4203**********1234) and the
// first four and last three of a 15-digit one; shorter input is masked
// entirely. Spaces and hyphens inside the number are kept.
func MaskIDNumber(s string) string {
	if countDigitLike(s) == 15 {
		return maskDigits(s, 4, 3)
	}
	return maskDigits(s, 4, 4)
}

// MaskMobile masks a mobile number, keeping any 86 or 0086 prefix, the
// first three and the last four digits of the number itself
// (138****5678, +86 138 **** 5678).
func MaskMobile(s string) string {
	n := countDigitLike(s)
	if n < 11 {
		return maskDigits(s, 0, 0)
	}
	return maskDigits(s, n-8, 4)
}

// MaskBankCard masks a card number, keeping only its last four digits
// (************1234).
func MaskBankCard(s string) string {
	return maskDigits(s, 0, 4)
}

// MaskEmail masks the local part of an e-mail address to its first
// character and three stars, hiding its length (z***@example.com). The
// domain is kept. Without an @, every character is masked.
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	local := s[:at]
	if utf8.RuneCountInString(local) <= 1 {
		return "*" + s[at:]
	}
	_, w := utf8.DecodeRuneInString(local)
	return local[:w] + "***" + s[at:]
}

// MaskAddress keeps the administrative divisions at the start of an address
// (湖北省随州市曾都区) and masks every character after the last division
// before the house number, one star per character. Without a division, all
// but the first two characters are masked.
func MaskAddress(s string) string {
	keep := -1
	for i, r := range s {
		if isNumeral(r) {
			break
		}
		if strings.ContainsRune(divisionRunes, r) {
			keep = i + utf8.RuneLen(r)
		}
	}
	if keep < 0 {
		keep = 0
		for n := 0; n < 2 && keep < len(s); n++ {
			_, w := utf8.DecodeRuneInString(s[keep:])
			keep += w
		}
	}
	return s[:keep] + strings.Repeat("*", utf8.RuneCountInString(s[keep:]))
}

// compoundSurnames are the common two-character surnames (复姓).
var compoundSurnames = []string{
	"欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "東方", "皇甫",
	"尉迟", "尉遲", "公孙", "公孫", "慕容", "长孙", "長孫", "宇文", "司徒", "夏侯",
	"轩辕", "軒轅", "令狐", "端木", "独孤", "獨孤", "南宫", "南宮", "西门", "西門",
	"澹台", "呼延", "申屠", "太史", "闻人", "聞人", "钟离", "鍾離", "万俟", "萬俟",
	"濮阳", "濮陽", "公羊", "赫连", "赫連", "拓跋", "司空", "百里", "东郭", "東郭",
}

// MaskName masks a person's name for a published list: the surname stays
// and every other character becomes a star (张三 → 张*, 张小明 → 张**,
// 欧阳娜娜 → 欧阳**). A compound surname is recognised only when the name
// has three or more characters; a one-character name becomes "*".
// Surrounding white space is removed.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n == 0 {
		return ""
	}
	if n == 1 {
		return "*"
	}
	keep := 0
	if n >= 3 {
		for _, c := range compoundSurnames {
			if strings.HasPrefix(name, c) {
				keep = len(c)
				break
			}
		}
	}
	if keep == 0 {
		_, keep = utf8.DecodeRuneInString(name)
	}
	var b strings.Builder
	b.WriteString(name[:keep])
	for _, r := range name[keep:] {
		if unicode.IsSpace(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
