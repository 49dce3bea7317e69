package extract

import (
	"html"
	"path"
	"slices"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gongkai/internal/screening"
)

// blockAtoms are the elements that start a new line of text: a marking in
// a paragraph or table cell of its own is then on a line of its own, as
// screening.Scan requires.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Thead: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Caption: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Title: true, atom.Option: true, atom.Figure: true,
	atom.Figcaption: true, atom.Nav: true, atom.Aside: true, atom.Main: true, atom.Address: true,
	atom.Form: true, atom.Center: true,
}

// hiddenAtoms hold text a reader never sees as text.
var hiddenAtoms = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Template: true}

// textNode is one HTML text token: its bytes in the source and its decoded
// text's span in the extracted text.
type textNode struct {
	rawStart, rawEnd   int
	textStart, textEnd int
}

// walkHTML tokenises src and returns the extracted text (text nodes
// decoded, outside script and style, with '\n' between blocks) and the
// text nodes in order.
func walkHTML(src string) (string, []textNode) {
	z := xhtml.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	var nodes []textNode
	pos := 0
	hidden := 0
	newline := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		raw := len(z.Raw())
		switch tt {
		case xhtml.TextToken:
			if hidden == 0 {
				t := string(z.Text())
				start := b.Len()
				b.WriteString(t)
				nodes = append(nodes, textNode{rawStart: pos, rawEnd: pos + raw, textStart: start, textEnd: b.Len()})
			}
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hiddenAtoms[a] {
				switch tt {
				case xhtml.StartTagToken:
					hidden++
				case xhtml.EndTagToken:
					hidden = max(hidden-1, 0)
				}
			}
			if blockAtoms[a] {
				newline()
			}
		}
		pos += raw
	}
	return b.String(), nodes
}

// HTMLText returns the text of an HTML document or fragment as screening
// sees it: the decoded text nodes, without script and style, with a line
// break between block elements (paragraphs, table cells, list items…).
// Findings from screening.Scan(HTMLText(src), …) are what MaskHTML takes.
func HTMLText(src string) string {
	text, _ := walkHTML(src)
	return text
}

// MaskHTML returns src with every finding masked (screening.MaskValue) in
// the text nodes it covers; tags, attributes and all other text stay byte
// for byte. findings are those of screening.Scan on HTMLText(src); stale,
// out-of-range and overlapping ones are skipped, as screening.Mask does. A
// value split over several text nodes (<b>138</b>00138000) is written
// masked into the first node and removed from the others.
func MaskHTML(src string, findings []screening.Finding) string {
	text, nodes := walkHTML(src)
	fs := slices.Clone(findings)
	slices.SortFunc(fs, func(a, b screening.Finding) int { return a.Offset - b.Offset })
	valid := fs[:0]
	last := 0
	for _, f := range fs {
		if f.Length <= 0 || f.Offset < last || f.Length > len(text)-f.Offset {
			continue
		}
		valid = append(valid, f)
		last = f.End()
	}
	if len(valid) == 0 {
		return src
	}
	emitted := make([]bool, len(valid))
	var out strings.Builder
	out.Grow(len(src))
	rawPos := 0
	fi := 0
	for _, n := range nodes {
		for fi < len(valid) && valid[fi].End() <= n.textStart {
			fi++
		}
		if fi == len(valid) || valid[fi].Offset >= n.textEnd {
			continue // no finding touches this node: keep its raw bytes
		}
		out.WriteString(src[rawPos:n.rawStart])
		var nb strings.Builder
		p := n.textStart
		for j := fi; j < len(valid) && valid[j].Offset < n.textEnd; j++ {
			f := valid[j]
			if f.Offset > p {
				nb.WriteString(text[p:f.Offset])
			}
			if !emitted[j] {
				nb.WriteString(screening.MaskValue(f.Kind, text[f.Offset:f.End()]))
				emitted[j] = true
			}
			p = max(p, min(f.End(), n.textEnd))
		}
		if p < n.textEnd {
			nb.WriteString(text[p:n.textEnd])
		}
		out.WriteString(html.EscapeString(nb.String()))
		rawPos = n.rawEnd
	}
	out.WriteString(src[rawPos:])
	return out.String()
}

// ScanHTML scans an HTML field of an item (field is "body", say): its text
// as HTMLText gives it, and each image in it with the map check, using
// the alt text, title, file name and the text right after the image
// (where a caption and the approval number usually are). Text findings
// are placed in the field and can be masked with MaskHTML(src, findings);
// image findings have no span and are placed in the field with Part
// 正文图片N ("body 正文图片2").
func ScanHTML(field, src string, opts screening.Options) []screening.Finding {
	place := screening.Place{Field: field}
	findings := screening.ScanDocument(screening.Document{
		Segments: []screening.Segment{{Place: place, Text: HTMLText(src)}},
	}, opts)
	for _, img := range HTMLImages(src) {
		if f, ok := screening.CheckMap(img); ok {
			f.Place = screening.Place{Field: field, Part: img.Location}
			f.Location = f.Place.String()
			findings = append(findings, f)
		}
	}
	return findings
}

// nearbyLen is how much text after an image counts as its caption.
const nearbyLen = 300

// HTMLImages returns the images of an HTML document for the map check:
// file name (last path element of src), alt text, title, and up to 300
// bytes of the text that follows the image. Location is 正文图片N, N
// counting from 1.
func HTMLImages(src string) []screening.Image {
	z := xhtml.NewTokenizer(strings.NewReader(src))
	var imgs []screening.Image
	hidden := 0
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return imgs
		}
		switch tt {
		case xhtml.TextToken:
			if hidden == 0 && len(imgs) > 0 {
				last := &imgs[len(imgs)-1]
				if len(last.Nearby) < nearbyLen {
					last.Nearby += string(z.Text())
				}
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if hiddenAtoms[a] {
				switch tt {
				case xhtml.StartTagToken:
					hidden++
				case xhtml.EndTagToken:
					hidden = max(hidden-1, 0)
				}
			}
			if a != atom.Img || tt == xhtml.EndTagToken {
				continue
			}
			img := screening.Image{Location: "正文图片" + strconv.Itoa(len(imgs)+1)}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "src":
					s := string(v)
					if i := strings.IndexAny(s, "?#"); i >= 0 {
						s = s[:i]
					}
					if !strings.HasPrefix(s, "data:") {
						img.FileName = path.Base(s)
					}
				case "alt":
					img.Alt = string(v)
				case "title":
					img.Title = string(v)
				case "data-map":
					img.MarkedAsMap = true
				}
			}
			imgs = append(imgs, img)
		}
	}
}
