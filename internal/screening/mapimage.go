package screening

import (
	"strings"
	"unicode/utf8"
)

// Image describes a picture in an item, for CheckMap. Every field is
// optional.
type Image struct {
	// Location identifies the image for the reviewer, for example
	// "正文图片3" or an attachment name; it becomes Finding.Location.
	Location string
	FileName string
	Caption  string
	Alt      string
	Title    string
	// Nearby is text published next to the image (the paragraph under
	// it), where the approval number is often printed.
	Nearby string
	// MarkedAsMap is set when the editor has said the image is a map.
	MarkedAsMap bool
}

// Maps shown to the public must pass map review and carry the approval
// number (审图号) that review issues (Regulations on Map Management,
// 地图管理条例, 2015; the text is not yet in shared/REGULATIONS.md, so no
// article is quoted here). A map-like image without one blocks
// publication.

// strongMapWords name a map outright.
var strongMapWords = []string{
	"地图", "地圖", "区划图", "區劃圖", "行政区划", "行政區劃", "交通图", "交通圖",
	"地形图", "地形圖", "影像图", "影像圖", "卫星图", "衛星圖", "全图", "全圖",
}

// weakMapWords name a picture that is often, but not always, a map.
var weakMapWords = []string{
	"示意图", "示意圖", "规划图", "規劃圖", "平面图", "平面圖", "位置图", "位置圖",
	"分布图", "分布圖", "分佈圖", "线路图", "線路圖", "路线图", "路線圖", "导览图", "導覽圖",
	"布局图", "佈局圖", "底图", "底圖",
}

// CheckMap reports a blocking finding when img looks like a map (it is
// marked as one, or its file name, caption, alt text or title contains a
// map word such as 地图 or 示意图) and no approval number appears in those
// fields or in Nearby. Confidence is high when the image is marked as a map
// or named with an unambiguous word (地图, 区划图…), low for words such as
// 示意图 or 平面图 that also name floor plans and diagrams. The finding's
// Offset and Length are zero; its Excerpt is the image's caption, title,
// alt text or file name, whichever comes first.
func CheckMap(img Image) (Finding, bool) {
	names := img.Caption + "\n" + img.Title + "\n" + img.Alt + "\n" + img.FileName
	conf := ConfidenceLow
	switch {
	case img.MarkedAsMap || containsAny(names, strongMapWords) || hasASCIIWord(names, "map") || hasASCIIWord(names, "ditu"):
		conf = ConfidenceHigh
	case containsAny(names, weakMapWords):
	default:
		return Finding{}, false
	}
	if len(FindApprovalNumbers(names+"\n"+img.Nearby)) > 0 {
		return Finding{}, false
	}
	excerpt := img.FileName
	for _, s := range []string{img.Caption, img.Title, img.Alt} {
		if strings.TrimSpace(s) != "" {
			excerpt = strings.TrimSpace(s)
			break
		}
	}
	msg := "地图未标注审图号"
	if conf == ConfidenceLow {
		msg = "疑似地图未标注审图号"
	}
	return Finding{
		Kind: KindMapWithoutApproval, Severity: SeverityBlocking, Confidence: conf,
		Location: img.Location, Excerpt: excerpt, Message: msg,
	}, true
}

// hasASCIIWord reports whether s contains word (lower case) as a whole
// ASCII word in any case, as in "suizhou_map.png" or "Map-2020.jpg".
func hasASCIIWord(s, word string) bool {
	ls := strings.ToLower(s)
	for off := 0; ; {
		k := strings.Index(ls[off:], word)
		if k < 0 {
			return false
		}
		a := off + k
		b := a + len(word)
		off = a + 1
		if (a == 0 || !isASCIILetter(rune(ls[a-1]))) && (b == len(ls) || !isASCIILetter(rune(ls[b]))) {
			return true
		}
	}
}

// mapProvinces are the one-character province abbreviations used in
// approval numbers issued by provincial surveying authorities.
const mapProvinces = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新港澳台遼黑滬蘇閩贛魯鄂粵瓊貴雲陝隴寧"

// FindApprovalNumbers returns the map approval numbers (审图号) in text,
// as written: GS(2019)1822号, GS（2019）1822号, GS京(2022)1061号 (issued by
// the national authority for a province) and 鄂S(2020)012号 (issued by a
// province). Half- and full-width brackets and spaces inside are accepted;
// the closing 号 may be missing.
func FindApprovalNumbers(text string) []string {
	var out []string
	for off := 0; off < len(text); {
		k := strings.IndexAny(text[off:], "(（")
		if k < 0 {
			break
		}
		open := off + k
		_, w := utf8.DecodeRuneInString(text[open:])
		off = open + w
		start, ok := approvalPrefix(text, open)
		if !ok {
			continue
		}
		end, ok := approvalRest(text, off)
		if !ok {
			continue
		}
		out = append(out, text[start:end])
		off = end
	}
	return out
}

// approvalPrefix checks for "GS", "GS京" or "鄂S" before the bracket at
// open and returns where it starts.
func approvalPrefix(s string, open int) (int, bool) {
	i := open
	for i > 0 && s[i-1] == ' ' {
		i--
	}
	r, w := utf8.DecodeLastRuneInString(s[:i])
	if r == 'S' {
		i -= w
		p, pw := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case p == 'G':
			return i - pw, true
		case p != utf8.RuneError && strings.ContainsRune(mapProvinces, p):
			return i - pw, true
		}
		return 0, false
	}
	if strings.ContainsRune(mapProvinces, r) && strings.HasSuffix(s[:i-w], "GS") {
		return i - w - 2, true
	}
	return 0, false
}

// approvalRest parses "2019)1822号" from i and returns where it ends.
func approvalRest(s string, i int) (int, bool) {
	skipSpaces := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	skipSpaces()
	year := 0
	for n := 0; n < 4; n++ {
		d, w := digitAt(s, i)
		if w == 0 {
			return 0, false
		}
		year = year*10 + int(d-'0')
		i += w
	}
	if year < 1949 || year > 2199 {
		return 0, false
	}
	skipSpaces()
	switch {
	case strings.HasPrefix(s[i:], ")"):
		i++
	case strings.HasPrefix(s[i:], "）"):
		i += len("）")
	default:
		return 0, false
	}
	skipSpaces()
	if strings.HasPrefix(s[i:], "第") {
		i += len("第")
	}
	digits := 0
	for {
		_, w := digitAt(s, i)
		if w == 0 {
			break
		}
		digits++
		i += w
	}
	if digits == 0 || digits > 6 {
		return 0, false
	}
	j := i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	for _, hao := range []string{"号", "號"} {
		if strings.HasPrefix(s[j:], hao) {
			return j + len(hao), true
		}
	}
	return i, true
}
