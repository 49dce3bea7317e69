package site

import (
	"bytes"
	"io"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gongkai/internal/opencc"
)

// HantPrefix is the path prefix of the Traditional Chinese version of every
// public page.
const HantPrefix = "/zh-hant"

// hantConverter turns a rendered Simplified Chinese page into Traditional
// Chinese with OpenCC's phrase-level s2t dictionaries (so 发布, 里 and 后
// are converted in context; never the idiom-level s2twp, which rewrites
// official words such as 文件 into 檔案). Only text meant for people
// changes: text nodes and the alt, title, aria-label, placeholder and
// data-label attributes. Tags, URLs, class names, scripts and styles stay
// as they are; internal links gain the /zh-hant prefix so the reader stays in
// Traditional Chinese. Safe for concurrent use.
type hantConverter struct {
	cc   *opencc.Converter
	back *opencc.Converter // t2s, for what readers type on Traditional pages

	// memo holds conversions of short texts, which repeat from page to
	// page (navigation, footer, labels): converting is the costly part.
	mu   sync.RWMutex
	memo map[string]string // guarded by mu
	// recent holds the latest long texts (paragraphs of bodies), oldest
	// first: an item's page has two addresses, and the static export
	// converts the second right after the first. Guarded by mu.
	recent fifoMap[string, string]
	// everyTag makes Page build every tag's token (tests compare).
	everyTag bool
}

// memoMax bounds the memo; memoLen is the longest text kept in it;
// recentMax is how many longer texts are kept.
const (
	memoMax   = 20000
	memoLen   = 300
	recentMax = 1024
)

// convert converts one text node or attribute value. Short texts are
// kept in memo, long ones in recent.
func (c *hantConverter) convert(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	long := len(s) > memoLen
	c.mu.RLock()
	out, ok := c.memo[s]
	if long {
		out, ok = c.recent.get(s)
	}
	c.mu.RUnlock()
	if ok {
		return out
	}
	out = c.cc.Convert(s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if long {
		c.recent.put(s, out)
	} else {
		if len(c.memo) >= memoMax {
			c.memo = make(map[string]string, memoMax)
		}
		c.memo[s] = out
	}
	return out
}

func newHantConverter() (*hantConverter, error) {
	cc, err := opencc.New("s2t")
	if err != nil {
		return nil, err
	}
	back, err := opencc.New("t2s")
	if err != nil {
		return nil, err
	}
	return &hantConverter{cc: cc, back: back, memo: map[string]string{}, recent: fifoMap[string, string]{max: recentMax}}, nil
}

// Simplify converts what a reader typed in Traditional characters to
// Simplified, so a search typed on a Traditional page finds the same.
func (c *hantConverter) Simplify(s string) string { return c.back.Convert(s) }

// readableAttrs are attributes whose values people read.
// data-label is shown by the stylesheet as the label of a table cell on
// phones (the catalog's 发布机构, 成文日期, …).
var readableAttrs = map[string]bool{"alt": true, "title": true, "aria-label": true, "placeholder": true, "data-label": true}

// Page converts a rendered HTML page.
func (c *hantConverter) Page(in []byte) ([]byte, error) {
	z := html.NewTokenizer(bytes.NewReader(in))
	var out bytes.Buffer
	out.Grow(len(in) + len(in)/8)
	raw := 0          // depth inside <script> or <style>, whose text is code
	var keep []string // open elements marked lang="zh-Hans", kept as they are
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return out.Bytes(), nil
			}
			return nil, z.Err()
		case html.TextToken:
			if raw > 0 || len(keep) > 0 {
				out.Write(z.Raw())
				continue
			}
			conv := c.convert(string(z.Text()))
			out.WriteString(html.EscapeString(conv))
		case html.StartTagToken, html.SelfClosingTagToken:
			if !c.everyTag && plainTag(z.Raw()) {
				out.Write(z.Raw()) // most tags: nothing in them changes
				continue
			}
			tok := z.Token()
			if tt == html.StartTagToken && (tok.DataAtom == atom.Script || tok.DataAtom == atom.Style) {
				raw++
			}
			if tt == html.StartTagToken && attr(tok, "lang") == "zh-Hans" {
				keep = append(keep, tok.Data)
			}
			changed := false
			for i, a := range tok.Attr {
				switch {
				case readableAttrs[a.Key]:
					tok.Attr[i].Val, changed = c.convert(a.Val), true
				case tok.DataAtom == atom.Html && a.Key == "lang":
					tok.Attr[i].Val, changed = "zh-Hant", true
				case (a.Key == "href" && (tok.DataAtom == atom.A && !hasAttr(tok, "hreflang") || tok.DataAtom == atom.Link && isAlternate(tok))) || (a.Key == "action" && tok.DataAtom == atom.Form):
					if v, ok := hantURL(a.Val); ok {
						tok.Attr[i].Val, changed = v, true
					}
				}
			}
			if changed {
				out.WriteString(tok.String())
			} else {
				out.Write(z.Raw())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); (a == atom.Script || a == atom.Style) && raw > 0 {
				raw--
			}
			if n := len(keep); n > 0 && keep[n-1] == string(name) {
				keep = keep[:n-1]
			}
			out.Write(z.Raw())
		default:
			out.Write(z.Raw())
		}
	}
}

// plainTag reports whether a start tag's raw text can be copied as it
// is: it names none of the attributes Page changes or looks at, and is
// not a script or style. Building the token costs more than converting
// the text; a false "no" only takes the longer way.
func plainTag(raw []byte) bool {
	lower := raw
	if bytes.ContainsFunc(raw, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		lower = bytes.ToLower(raw) // our templates write lower case: rarely taken
	}
	if bytes.HasPrefix(lower, []byte("<script")) || bytes.HasPrefix(lower, []byte("<style")) {
		return false
	}
	for _, a := range pageAttrs {
		if bytes.Contains(lower, a) {
			return false
		}
	}
	return true
}

// pageAttrs are the attribute names Page reads: readableAttrs, lang,
// href, hreflang, rel and action.
var pageAttrs = [][]byte{[]byte("alt"), []byte("title"), []byte("label"), []byte("placeholder"), []byte("lang"), []byte("href"), []byte("rel"), []byte("action")}

// hasAttr reports whether tok has the attribute; a link with hreflang
// (the script switch) points where it says and is not rewritten.
func hasAttr(tok html.Token, key string) bool {
	for _, a := range tok.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func isAlternate(tok html.Token) bool {
	for _, a := range tok.Attr {
		if a.Key == "rel" && strings.Contains(a.Val, "alternate") {
			return true
		}
	}
	return false
}

// hantURL returns the Traditional version of an internal page address.
// Addresses elsewhere, files, the staff area and machine endpoints keep
// theirs.
func hantURL(u string) (string, bool) {
	if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
		return "", false
	}
	for _, p := range []string{HantPrefix + "/", "/static/", "/admin", "/log/", "/api/", "/healthz", "/metrics", "/qr/", "/elder", "/files/"} {
		if strings.HasPrefix(u, p) || u == HantPrefix {
			return "", false
		}
	}
	return HantPrefix + u, true
}
