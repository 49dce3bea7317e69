package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// E-mail and street addresses are reported as warnings: a bureau publishes
// its own office address and mailbox on purpose, so the reviewer decides.

func isEmailLocalByte(c byte) bool {
	return c-'a' < 26 || c-'A' < 26 || c-'0' < 10 || strings.IndexByte("._%+-", c) >= 0
}

func isDomainByte(c byte) bool {
	return c-'a' < 26 || c-'A' < 26 || c-'0' < 10 || c == '-' || c == '.'
}

// scanEmails finds addresses of the form local@domain.tld with ASCII
// characters; the top-level domain must be at least two letters.
func scanEmails(s, loc string) []Finding {
	var out []Finding
	prevEnd := 0 // a local part must not reach into the previous address
	for off := 0; off < len(s); {
		k := strings.IndexByte(s[off:], '@')
		if k < 0 {
			break
		}
		at := off + k
		off = at + 1
		a := at
		for a > prevEnd && isEmailLocalByte(s[a-1]) {
			a--
		}
		for a < at && s[a] == '.' {
			a++
		}
		if a == at {
			continue
		}
		b := at + 1
		for b < len(s) && isDomainByte(s[b]) {
			b++
		}
		for b > at+1 && (s[b-1] == '.' || s[b-1] == '-') {
			b--
		}
		if !validDomain(s[at+1 : b]) {
			continue
		}
		out = append(out, newFinding(s, loc, KindEmail, SeverityWarning, ConfidenceHigh, a, b, "电子邮箱地址"))
		off, prevEnd = b, b
	}
	return out
}

// validDomain reports whether d has at least two non-empty labels, none
// starting or ending with a hyphen, and a top-level label of 2 or more
// letters.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isASCIILetter(rune(tld[i])) {
			return false
		}
	}
	return true
}

// An address is found from its house number: "…号" right after a number,
// right after a road (路, 街, 巷, 道, 弄, 村, 组, 胡同), with an
// administrative division (省, 市, 区, 县, 旗, 镇, 乡) within the same
// run of Han characters and numbers before the road. Unit, building and
// room numbers after the house number extend the span. Ordinary prose
// rarely has all three, and document numbers (随民发〔2017〕12号) have no
// road.

const (
	roadRunes     = "路街巷道弄村组組同"
	divisionRunes = "省市区區县縣旗镇鎮乡鄉"
	numeralRunes  = "零〇一二三四五六七八九十百千"
	// maxAddressLookback is how many characters before the road may hold
	// the divisions.
	maxAddressLookback = 16
)

// officeWords between the division and the road mean the sentence names an
// office, not a home. (州 is not a division: it ends 随州 and 杭州.)
var officeWords = []string{"局", "委", "厅", "廳", "办", "辦", "政府", "位于", "位於", "设在", "設在", "地址"}

// unitWords follow a number inside an address; the longest first.
var unitWords = []string{"号楼", "號樓", "单元", "單元", "栋", "棟", "幢", "楼", "樓", "层", "層", "室", "户", "戶"}

func scanAddresses(s, loc string) []Finding {
	var out []Finding
	for _, mark := range []string{"号", "號"} {
		for off := 0; ; {
			k := strings.Index(s[off:], mark)
			if k < 0 {
				break
			}
			hao := off + k
			off = hao + len(mark)
			start, ok := addressStart(s, hao)
			if !ok {
				continue
			}
			end := addressEnd(s, off)
			out = append(out, newFinding(s, loc, KindAddress, SeverityWarning, ConfidenceLow, start, end, "疑似个人住址"))
			off = end
		}
	}
	sortFindings(out)
	return dropOverlaps(out)
}

// isNumeral reports whether r is a digit (ASCII or full-width) or a Chinese
// numeral.
func isNumeral(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９' || strings.ContainsRune(numeralRunes, r)
}

// addressStart returns where the address ending in the 号 at hao begins.
func addressStart(s string, hao int) (int, bool) {
	// The house number: digits, Chinese numerals, hyphens (12-3号).
	i := hao
	digits := 0
	for i > 0 {
		r, w := utf8.DecodeLastRuneInString(s[:i])
		if isNumeral(r) {
			digits++
		} else if r != '-' {
			break
		}
		i -= w
	}
	if digits == 0 {
		return 0, false
	}
	road, w := utf8.DecodeLastRuneInString(s[:i])
	if !strings.ContainsRune(roadRunes, road) {
		return 0, false
	}
	if road == '同' && !strings.HasSuffix(s[:i], "胡同") {
		return 0, false
	}
	i -= w
	roadAt := i
	// Walk back over the characters naming the road and the divisions;
	// remember the leftmost division and require a road name after the
	// last one.
	leftmost := -1
	named := 0                       // characters between the last division and the road
	var prev [maxAddressLookback]int // byte offsets of the characters walked back over
	np := 0
	for n := 0; i > 0 && n < maxAddressLookback; n++ {
		r, w := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.Is(unicode.Han, r) && !isNumeral(r) && r != '-' {
			break // the group number in 新街村3组12号 belongs to the address
		}
		i -= w
		prev[np] = i
		np++
		if strings.ContainsRune(divisionRunes, r) {
			if leftmost < 0 {
				named = n
			}
			leftmost = np - 1
		}
	}
	if leftmost < 0 || named == 0 {
		return 0, false
	}
	// "随州市民政局位于交通大道1号" is an office, published on purpose.
	if containsAny(s[prev[named-1]:roadAt], officeWords) {
		return 0, false
	}
	// Place names are mostly two characters before the division
	// character: 湖北省, 随州市, 曾都区.
	start := min(leftmost+2, np-1)
	return prev[start], true
}

// addressEnd extends an address past its 号 over unit, building and room
// numbers (3栋2单元501室, 3-2-501室).
func addressEnd(s string, end int) int {
	for i := end; i < len(s); {
		j := i
		for j < len(s) {
			r, w := utf8.DecodeRuneInString(s[j:])
			if !isNumeral(r) && r != '-' {
				break
			}
			j += w
		}
		if j == i {
			return end
		}
		n := prefixIn(s[j:], unitWords)
		if n == 0 {
			return end
		}
		end = j + n
		i = end
	}
	return end
}
