package screening

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A classification marking is the mark on a document, not the word in a
// sentence: "严格保守国家秘密" or "加强内部管理" must pass, while a line
// reading "内部资料 注意保存" or a cell reading "秘密" must block. So a line
// counts as a marking only when nothing but marking words, labels such as
// 密级, periods such as 1年, whitespace and punctuation is left on it. The
// form level★period (机密★1年) is unambiguous and counts anywhere.

// markingWords are the marks, Simplified and Traditional. Longer entries
// come before their prefixes so the longest one matches.
var markingWords = []string{
	"内部资料", "內部資料", "内部文件", "內部文件", "内部使用", "內部使用",
	"内部发行", "內部發行", "内部刊物", "內部刊物", "内部参考", "內部參考",
	"内部传阅", "內部傳閱", "内部明电", "內部明電",
	"注意保存", "注意保密",
	"不得外传", "不得外傳", "请勿外传", "請勿外傳", "严禁外传", "嚴禁外傳",
	"不得扩散", "不得擴散", "此件不公开", "此件不公開", "不对外公开", "不對外公開",
	"工作秘密",
	"绝密", "絕密", "机密", "機密", "秘密", "内部", "內部",
}

// markingLabels may stand on a marking line but do not make one.
var markingLabels = []string{"保密期限", "密级", "密級", "此件", "本件"}

// levelWords are the three classification levels, for the ★ form.
var levelWords = []string{"绝密", "絕密", "机密", "機密", "秘密"}

// markingHints is a cheap filter: a marking line contains one of these.
var markingHints = []string{"密", "内部", "內部", "外传", "外傳", "注意保", "扩散", "擴散", "公开", "公開"}

// maxMarkingLine bounds the length in bytes of a line that can be a
// marking; longer lines are prose.
const maxMarkingLine = 120

func scanMarkings(s, loc string) []Finding {
	var lines []Finding
	for start := 0; start < len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		a, b := trimSpaceSpan(s, start, end)
		if b > a && b-a <= maxMarkingLine && containsAny(s[a:b], markingHints) && isMarkingLine(s[a:b]) {
			lines = append(lines, Finding{
				Kind: KindMarking, Severity: SeverityBlocking, Confidence: ConfidenceHigh,
				Location: loc, Offset: a, Length: b - a, Excerpt: s[a:b], Message: "密级或内部资料标志",
			})
		}
		start = end + 1
	}
	return merge(lines, scanStarMarkings(s, loc))
}

// scanStarMarkings finds level★period anywhere: 机密★1年, 秘密★6个月,
// 绝密★长期, 绝密★启用前.
func scanStarMarkings(s, loc string) []Finding {
	var out []Finding
	for off := 0; ; {
		k := strings.Index(s[off:], "★")
		if k < 0 {
			return out
		}
		star := off + k
		off = star + len("★")
		// Allow spaces between the level and the star.
		j := star
		for j > 0 && (s[j-1] == ' ' || j >= 3 && s[j-3:j] == "\u3000") {
			if s[j-1] == ' ' {
				j--
			} else {
				j -= 3
			}
		}
		start := -1
		for _, w := range levelWords {
			if strings.HasSuffix(s[:j], w) {
				start = j - len(w)
				break
			}
		}
		if start < 0 {
			continue
		}
		end := off
		e := end
		for e < len(s) && s[e] == ' ' {
			e++
		}
		if n := periodAt(s[e:]); n > 0 {
			end = e + n
		}
		out = append(out, Finding{
			Kind: KindMarking, Severity: SeverityBlocking, Confidence: ConfidenceHigh,
			Location: loc, Offset: start, Length: end - start, Excerpt: s[start:end], Message: "密级标志",
		})
		off = end
	}
}

// trimSpaceSpan narrows s[a:b] to exclude leading and trailing white space.
func trimSpaceSpan(s string, a, b int) (int, int) {
	for a < b {
		r, w := utf8.DecodeRuneInString(s[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		a += w
	}
	for b > a {
		r, w := utf8.DecodeLastRuneInString(s[a:b])
		if !unicode.IsSpace(r) {
			break
		}
		b -= w
	}
	return a, b
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isMarkingLine reports whether line holds at least one marking word and
// nothing else but labels, periods, white space, punctuation and symbols.
func isMarkingLine(line string) bool {
	marked := false
	for i := 0; i < len(line); {
		if n := prefixIn(line[i:], markingWords); n > 0 {
			marked = true
			i += n
			continue
		}
		if n := prefixIn(line[i:], markingLabels); n > 0 {
			i += n
			continue
		}
		if n := periodAt(line[i:]); n > 0 {
			i += n
			continue
		}
		r, w := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			i += w
			continue
		}
		return false
	}
	return marked
}

// prefixIn returns the length of the first of words that s starts with,
// or 0.
func prefixIn(s string, words []string) int {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return len(w)
		}
	}
	return 0
}

// periodWords are secrecy periods written without a number.
var periodWords = []string{"长期", "長期", "启用前", "啟用前", "永久"}

// periodUnits follow the number of a secrecy period.
var periodUnits = []string{"个月", "個月", "年", "月", "天", "日"}

// periodAt returns the length of a secrecy period at the start of s, such
// as 1年, 6个月, 十年 or 长期, or 0.
func periodAt(s string) int {
	if n := prefixIn(s, periodWords); n > 0 {
		return n
	}
	i := 0
	for i < len(s) {
		if _, w := digitAt(s, i); w > 0 {
			i += w
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune("零一二两三四五六七八九十", r) {
			break
		}
		i += w
	}
	if i == 0 {
		return 0
	}
	if n := prefixIn(s[i:], periodUnits); n > 0 {
		return i + n
	}
	return 0
}
