package publish

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// policy is our sanitising policy for item bodies. It keeps document
// structure — headings, paragraphs, emphasis, lists, tables with merged
// cells, links and images with their alt text — and drops everything
// else: scripts, event handlers, every style attribute (so Word's and
// WPS's mso- styles go), classes, fonts and spans. Elements it drops keep
// their text.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
		"blockquote", "pre", "code", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption",
		"table", "caption", "thead", "tbody", "tfoot", "tr", "colgroup", "col")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,3}$`)).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowElements("td", "th")
	p.AllowAttrs("span").Matching(regexp.MustCompile(`^[0-9]{1,3}$`)).OnElements("col", "colgroup")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,6}$`)).OnElements("ol")
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowAttrs("src", "alt", "title").OnElements("img")
	p.AllowAttrs("width", "height").Matching(regexp.MustCompile(`^[0-9]{1,4}$`)).OnElements("img")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	// h1 is the item title on the page; a body heading 1 becomes h2.
	p.AllowElements("h1")
	return p
}

// wordJunk matches what Word and WPS put into pasted HTML besides markup:
// conditional comments and XML islands that are not elements to sanitise.
var wordJunk = regexp.MustCompile(`(?is)<!--\[if.*?<!\[endif\]-->|<xml>.*?</xml>|<style[^>]*>.*?</style>|<\?xml[^>]*>`)

// markupRe recognises a body written in HTML rather than typed as text.
var markupRe = regexp.MustCompile(`(?i)<(/?(p|div|br|hr|h[1-6]|table|tr|td|th|ul|ol|li|span|font|html|body|meta|img|a|b|strong|em|i|u|blockquote|pre|section|article|script|style|iframe|object|embed|svg|form|input)[\s>/]|!--)`)

// Sanitize cleans an item body. Text without any markup (what the plain
// text area gives when JavaScript is off) becomes paragraphs, one per
// line. HTML is cleaned by our policy; then empty paragraphs and headings
// are dropped and h1 becomes h2. The result is safe to show as HTML; an
// empty result means nothing worth keeping was left.
func Sanitize(body string) (string, error) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	if strings.TrimSpace(body) == "" {
		return "", nil
	}
	if !markupRe.MatchString(body) {
		var b strings.Builder
		for _, line := range strings.Split(body, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				b.WriteString("<p>" + html.EscapeString(line) + "</p>\n")
			}
		}
		return b.String(), nil
	}
	body = wordJunk.ReplaceAllString(body, "")
	clean, err := tidy(policy.Sanitize(body))
	if err != nil {
		return "", err
	}
	// Malformed markup can parse into a different tree once cleaned; a
	// few more rounds reach the form that cleaning leaves alone, so that
	// sanitising a saved body again never changes it.
	for range 3 {
		next, err := tidy(policy.Sanitize(clean))
		if err != nil {
			return "", err
		}
		if next == clean {
			break
		}
		clean = next
	}
	return clean, nil
}

// tidy drops elements left empty (Word's <p><o:p>&nbsp;</o:p></p>), turns
// h1 into h2, puts loose text and inline elements at the top level into
// paragraphs (so a body is always a sequence of blocks and sanitising it
// again changes nothing), and writes the tree back.
func tidy(s string) (string, error) {
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), divContext())
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	var para []*xhtml.Node // inline nodes waiting for their paragraph
	flush := func() error {
		p := &xhtml.Node{Type: xhtml.ElementNode, Data: "p", DataAtom: atom.P}
		for _, n := range para {
			p.AppendChild(n)
		}
		para = nil
		if !hasContent(p) {
			return nil
		}
		if err := xhtml.Render(&buf, p); err != nil {
			return err
		}
		buf.WriteByte('\n')
		return nil
	}
	for _, n := range nodes {
		prune(n)
		if n.Type == xhtml.ElementNode && isEmptyBlock(n) {
			continue
		}
		if n.Type != xhtml.ElementNode || !blockTags[n.Data] && !containsBlock(n) {
			if n.Type == xhtml.TextNode || n.Type == xhtml.ElementNode {
				para = append(para, n)
			}
			continue
		}
		if err := flush(); err != nil {
			return "", err
		}
		if err := xhtml.Render(&buf, n); err != nil {
			return "", err
		}
		buf.WriteByte('\n')
	}
	if err := flush(); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// containsBlock reports whether an inline element holds a block (the
// parser makes <b><p>…</p></b> of misnested markup); it is left as it is,
// since a paragraph cannot hold it.
func containsBlock(n *xhtml.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.ElementNode && (blockTags[c.Data] || containsBlock(c)) {
			return true
		}
	}
	return false
}

// blockTags stand on their own at the top level of a body.
var blockTags = map[string]bool{"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"ul": true, "ol": true, "dl": true, "table": true, "blockquote": true, "pre": true, "figure": true, "hr": true,
	// Stray parts of lists and tables are left where they are: wrapped in
	// a paragraph, the parser would move them out again.
	"li": true, "dt": true, "dd": true, "caption": true, "colgroup": true, "col": true, "thead": true, "tbody": true,
	"tfoot": true, "tr": true, "td": true, "th": true, "figcaption": true}

// blocks that vanish when they hold no text and no image.
var emptiable = map[string]bool{"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"strong": true, "b": true, "em": true, "i": true, "u": true, "s": true, "sub": true, "sup": true, "a": true, "li": true, "blockquote": true,
	"table": true, "ul": true, "ol": true}

func prune(n *xhtml.Node) {
	if n.Type == xhtml.ElementNode && n.Data == "h1" {
		n.Data = "h2"
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		prune(c)
		if c.Type == xhtml.ElementNode && isEmptyBlock(c) {
			n.RemoveChild(c)
		}
		c = next
	}
}

func isEmptyBlock(n *xhtml.Node) bool {
	if !emptiable[n.Data] {
		return false
	}
	return !hasContent(n)
}

func hasContent(n *xhtml.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xhtml.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(c.Data, "\u00a0", " ")) != "" {
				return true
			}
		case xhtml.ElementNode:
			if c.Data == "img" || c.Data == "table" || c.Data == "hr" || hasContent(c) {
				return true
			}
		}
	}
	return false
}

var imgRe = regexp.MustCompile(`(?is)<img\b[^>]*>`)
var altRe = regexp.MustCompile(`(?is)\balt="\s*[^"\s][^"]*"`)

// imagesWithoutAlt counts images in a sanitised body without alt text.
func imagesWithoutAlt(body string) int {
	n := 0
	for _, tag := range imgRe.FindAllString(body, -1) {
		if !altRe.MatchString(tag) {
			n++
		}
	}
	return n
}

// BodyHTML returns the body of v, sanitised again, for templates. It is the
// only place in Gongkai that turns a string into template.HTML: the body
// was sanitised when saved, and sanitising at output as well means a body
// changed behind the application's back still cannot carry script.
// filesBase, when not empty, replaces the /files/ prefix of the body's own
// images (the staff preview serves a draft's images from there).
func BodyHTML(v *Version, filesBase string) template.HTML {
	s, err := Sanitize(v.Body)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(v.Body))
	}
	if filesBase != "" {
		s = strings.ReplaceAll(s, `src="/files/`, `src="`+html.EscapeString(filesBase))
	}
	return template.HTML(s)
}

// PlainText returns the text of a sanitised body without markup, for
// screening, diffs and search.
func PlainText(body string) string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(body), divContext())
	if err != nil {
		return body
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString(n.Data)
		case xhtml.ElementNode:
			switch n.Data {
			case "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "div", "blockquote", "table", "caption":
				defer b.WriteString("\n")
			case "td", "th":
				defer b.WriteString("\t")
			case "img":
				for _, a := range n.Attr {
					if a.Key == "alt" {
						b.WriteString("[图片：" + a.Val + "]")
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " ")); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// divContext is the parent that body fragments are parsed in.
func divContext() *xhtml.Node {
	return &xhtml.Node{Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div}
}
