// Package docx turns a Word (.docx) document into an item body: paragraphs,
// headings, bold and italic, lists, tables with merged cells, links, and
// images, which it returns separately so the caller can store them as
// attachments. It is a small reader over archive/zip and encoding/xml that
// understands the parts of WordprocessingML an item body needs and ignores
// the rest (fonts, sizes, colours, page layout). The HTML it returns is
// meant to be passed through publish.Sanitize like any other body.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"path"
	"strconv"
	"strings"
)

// Image is a picture embedded in the document.
type Image struct {
	Name string // file name inside the document, e.g. image1.png
	Data []byte
	Alt  string // the picture's description or title in Word; may be empty
}

// Doc is a converted document. HTML refers to Images[i] as
// <img src="ImageSrc(i)">; the caller replaces those addresses once the
// images are stored.
type Doc struct {
	HTML   string
	Images []Image
}

// ImageSrc is the placeholder address of image i in Doc.HTML.
func ImageSrc(i int) string { return "docx-image:" + strconv.Itoa(i) }

// Limits guard against archives that expand to far more than they weigh.
const (
	maxPart   = 32 << 20 // largest XML part read
	maxImage  = 20 << 20 // largest image read
	maxImages = 200
)

// ErrNotDocx reports a file that is not a Word document.
var ErrNotDocx = errors.New("docx: not a Word document")

// Read converts the .docx in r (size bytes).
func Read(r io.ReaderAt, size int64) (*Doc, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, ErrNotDocx
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	main, ok := files["word/document.xml"]
	if !ok {
		return nil, ErrNotDocx
	}
	c := &converter{files: files, rels: map[string]rel{}, styles: map[string]int{}, bullets: map[string]bool{}}
	if f, ok := files["word/_rels/document.xml.rels"]; ok {
		if err := c.readRels(f); err != nil {
			return nil, err
		}
	}
	if f, ok := files["word/styles.xml"]; ok {
		if err := c.readStyles(f); err != nil {
			return nil, err
		}
	}
	if f, ok := files["word/numbering.xml"]; ok {
		if err := c.readNumbering(f); err != nil {
			return nil, err
		}
	}
	root, err := parse(main)
	if err != nil {
		return nil, err
	}
	body := root.find("body")
	if body == nil {
		return nil, fmt.Errorf("docx: document has no body")
	}
	c.blocks(body)
	c.closeList()
	return &Doc{HTML: c.out.String(), Images: c.images}, nil
}

// node is an element of a parsed XML part, with namespaces dropped: Word
// uses fixed prefixes, and the local names we read do not collide.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// find returns the first descendant named name, depth first.
func (n *node) find(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
		if d := c.find(name); d != nil {
			return d
		}
	}
	return nil
}

func parse(f *zip.File) (*node, error) {
	if f.UncompressedSize64 > maxPart {
		return nil, fmt.Errorf("docx: part %s is too large", f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: open %s: %w", f.Name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxPart))
	root := &node{name: "#root"}
	stack := []*node{root}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("docx: parse %s: %w", f.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			top := stack[len(stack)-1]
			if top.name == "t" || top.name == "instrText" {
				top.text += string(t)
			}
		}
	}
	return root, nil
}

type rel struct {
	target   string
	external bool
}

type converter struct {
	files   map[string]*zip.File
	rels    map[string]rel
	styles  map[string]int  // style ID → heading level 1–6
	bullets map[string]bool // numbering ID → bulleted (not numbered)
	out     strings.Builder
	list    string // "ul" or "ol" while a list is open
	images  []Image
}

func (c *converter) readRels(f *zip.File) error {
	root, err := parse(f)
	if err != nil {
		return err
	}
	for _, r := range root.find("Relationships").children {
		c.rels[r.attrs["Id"]] = rel{target: r.attrs["Target"], external: r.attrs["TargetMode"] == "External"}
	}
	return nil
}

func (c *converter) readStyles(f *zip.File) error {
	root, err := parse(f)
	if err != nil {
		return err
	}
	for _, s := range root.find("styles").children {
		if s.name != "style" {
			continue
		}
		level := 0
		if n := s.child("name"); n != nil {
			name := strings.ToLower(n.attrs["val"])
			for _, p := range []string{"heading ", "标题 "} {
				if rest, ok := strings.CutPrefix(name, p); ok {
					level, _ = strconv.Atoi(rest)
				}
			}
		}
		if ppr := s.child("pPr"); ppr != nil && level == 0 {
			if o := ppr.child("outlineLvl"); o != nil {
				if l, err := strconv.Atoi(o.attrs["val"]); err == nil {
					level = l + 1
				}
			}
		}
		if level >= 1 && level <= 6 {
			c.styles[s.attrs["styleId"]] = level
		}
	}
	return nil
}

func (c *converter) readNumbering(f *zip.File) error {
	root, err := parse(f)
	if err != nil {
		return err
	}
	numbering := root.find("numbering")
	abstract := map[string]bool{}
	for _, a := range numbering.children {
		if a.name != "abstractNum" {
			continue
		}
		for _, l := range a.children {
			if l.name == "lvl" && l.attrs["ilvl"] == "0" {
				if nf := l.child("numFmt"); nf != nil {
					abstract[a.attrs["abstractNumId"]] = nf.attrs["val"] == "bullet"
				}
			}
		}
	}
	for _, n := range numbering.children {
		if n.name == "num" {
			if a := n.child("abstractNumId"); a != nil {
				c.bullets[n.attrs["numId"]] = abstract[a.attrs["val"]]
			}
		}
	}
	return nil
}

func (c *converter) closeList() {
	if c.list != "" {
		c.out.WriteString("</" + c.list + ">\n")
		c.list = ""
	}
}

func (c *converter) blocks(body *node) {
	for _, b := range body.children {
		switch b.name {
		case "p":
			c.paragraph(b)
		case "tbl":
			c.closeList()
			c.table(b)
		case "sdt":
			if content := b.child("sdtContent"); content != nil {
				c.blocks(content)
			}
		}
	}
}

func (c *converter) paragraph(p *node) {
	tag := "p"
	list := ""
	if ppr := p.child("pPr"); ppr != nil {
		if st := ppr.child("pStyle"); st != nil {
			if l := c.styles[st.attrs["val"]]; l > 0 {
				tag = "h" + strconv.Itoa(min(l+1, 6)) // the item title is the page's h1
			}
		}
		if num := ppr.child("numPr"); num != nil && tag == "p" {
			if id := num.child("numId"); id != nil && id.attrs["val"] != "0" {
				list = "ol"
				if c.bullets[id.attrs["val"]] {
					list = "ul"
				}
			}
		}
	}
	inner := c.inline(p)
	if list != "" {
		if c.list != list {
			c.closeList()
			c.out.WriteString("<" + list + ">\n")
			c.list = list
		}
		c.out.WriteString("<li>" + inner + "</li>\n")
		return
	}
	c.closeList()
	if strings.TrimSpace(inner) == "" {
		return
	}
	c.out.WriteString("<" + tag + ">" + inner + "</" + tag + ">\n")
}

// inline converts the runs, links and pictures of a paragraph.
func (c *converter) inline(p *node) string {
	var b strings.Builder
	for _, n := range p.children {
		switch n.name {
		case "r":
			b.WriteString(c.run(n))
		case "hyperlink":
			var inner strings.Builder
			for _, r := range n.children {
				if r.name == "r" {
					inner.WriteString(c.run(r))
				}
			}
			if r, ok := c.rels[n.attrs["id"]]; ok && r.external {
				b.WriteString(`<a href="` + html.EscapeString(r.target) + `">` + inner.String() + `</a>`)
			} else {
				b.WriteString(inner.String())
			}
		case "ins", "smartTag", "fldSimple":
			b.WriteString(c.inline(n))
		}
	}
	return b.String()
}

func (c *converter) run(r *node) string {
	var text strings.Builder
	for _, n := range r.children {
		switch n.name {
		case "t":
			text.WriteString(html.EscapeString(n.text))
		case "tab":
			text.WriteString(" ")
		case "br":
			text.WriteString("<br>")
		case "drawing", "pict":
			text.WriteString(c.picture(n))
		}
	}
	s := text.String()
	if s == "" {
		return ""
	}
	if rpr := r.child("rPr"); rpr != nil {
		if on(rpr.child("i")) {
			s = "<em>" + s + "</em>"
		}
		if on(rpr.child("b")) {
			s = "<strong>" + s + "</strong>"
		}
		if on(rpr.child("u")) && rpr.child("u").attrs["val"] != "none" {
			s = "<u>" + s + "</u>"
		}
	}
	return s
}

// on reports whether a toggle property such as <w:b/> is set.
func on(n *node) bool {
	if n == nil {
		return false
	}
	v := n.attrs["val"]
	return v != "0" && v != "false" && v != "off"
}

func (c *converter) picture(d *node) string {
	blip := d.find("blip")
	if blip == nil {
		return ""
	}
	r, ok := c.rels[blip.attrs["embed"]]
	if !ok || r.external || len(c.images) >= maxImages {
		return ""
	}
	f, ok := c.files[path.Join("word", r.target)]
	if !ok || f.UncompressedSize64 > maxImage {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxImage))
	rc.Close()
	if err != nil {
		return ""
	}
	alt := ""
	if pr := d.find("docPr"); pr != nil {
		alt = strings.TrimSpace(pr.attrs["descr"])
		if alt == "" {
			alt = strings.TrimSpace(pr.attrs["title"])
		}
	}
	c.images = append(c.images, Image{Name: path.Base(r.target), Data: data, Alt: alt})
	i := len(c.images) - 1
	return `<img src="` + ImageSrc(i) + `" alt="` + html.EscapeString(alt) + `">`
}

// table converts a table. Horizontal merges (gridSpan) become colspan;
// vertical merges (vMerge restart … continue) become rowspan on the first
// cell, and the continuing cells are left out.
func (c *converter) table(t *node) {
	type cell struct {
		html     string
		colspan  int
		rowspan  int
		skip     bool
		vRestart bool
		vCont    bool
		gridCol  int
	}
	var rows [][]*cell
	for _, tr := range t.children {
		if tr.name != "tr" {
			continue
		}
		var row []*cell
		col := 0
		for _, tc := range tr.children {
			if tc.name != "tc" {
				continue
			}
			ce := &cell{colspan: 1, rowspan: 1, gridCol: col}
			if pr := tc.child("tcPr"); pr != nil {
				if gs := pr.child("gridSpan"); gs != nil {
					if n, err := strconv.Atoi(gs.attrs["val"]); err == nil && n > 1 {
						ce.colspan = n
					}
				}
				if vm := pr.child("vMerge"); vm != nil {
					if vm.attrs["val"] == "restart" {
						ce.vRestart = true
					} else {
						ce.vCont = true
					}
				}
			}
			var inner bytes.Buffer
			for i, p := range tc.children {
				if p.name != "p" {
					continue
				}
				s := c.inline(p)
				if i > 0 && inner.Len() > 0 && s != "" {
					inner.WriteString("<br>")
				}
				inner.WriteString(s)
			}
			ce.html = inner.String()
			col += ce.colspan
			row = append(row, ce)
		}
		rows = append(rows, row)
	}
	// Give each continuing cell's span to the restart above it.
	for i, row := range rows {
		for _, ce := range row {
			if !ce.vCont {
				continue
			}
			ce.skip = true
			for k := i - 1; k >= 0; k-- {
				var above *cell
				for _, a := range rows[k] {
					if a.gridCol == ce.gridCol {
						above = a
					}
				}
				if above == nil {
					break
				}
				if !above.skip {
					above.rowspan++
					break
				}
			}
		}
	}
	c.out.WriteString("<table>\n")
	for _, row := range rows {
		c.out.WriteString("<tr>")
		for _, ce := range row {
			if ce.skip {
				continue
			}
			c.out.WriteString("<td")
			if ce.colspan > 1 {
				c.out.WriteString(` colspan="` + strconv.Itoa(ce.colspan) + `"`)
			}
			if ce.rowspan > 1 {
				c.out.WriteString(` rowspan="` + strconv.Itoa(ce.rowspan) + `"`)
			}
			c.out.WriteString(">" + ce.html + "</td>")
		}
		c.out.WriteString("</tr>\n")
	}
	c.out.WriteString("</table>\n")
}
