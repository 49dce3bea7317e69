package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"gongkai/internal/screening"
)

const (
	nsWord = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMC   = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// openZip opens a .docx or .xlsx archive after checking the entry count
// and the declared uncompressed sizes against the limits. archive/zip
// refuses to inflate an entry beyond its declared size, so the declared
// total bounds the real one.
func openZip(r io.ReaderAt, size int64, l Limits) (*zip.Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: zip archive: %v", ErrUnreadable, err)
	}
	if len(zr.File) > l.MaxZipEntries {
		return nil, fmt.Errorf("%w: %d archive entries, at most %d", ErrTooLarge, len(zr.File), l.MaxZipEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(l.MaxUnzippedSize) || f.UncompressedSize64 > uint64(l.MaxUnzippedSize) {
			return nil, fmt.Errorf("%w: archive expands beyond %d bytes", ErrTooLarge, l.MaxUnzippedSize)
		}
	}
	return zr, nil
}

// docxParts lists the parts of a .docx that hold text a reader sees, in
// reading order: headers, the body, footnotes, endnotes, comments,
// footers.
func docxParts(zr *zip.Reader) []*zip.File {
	rank := func(name string) int {
		base := path.Base(name)
		switch {
		case strings.HasPrefix(base, "header"):
			return 0
		case base == "document.xml":
			return 1
		case base == "footnotes.xml", base == "endnotes.xml":
			return 2
		case base == "comments.xml":
			return 3
		case strings.HasPrefix(base, "footer"):
			return 4
		}
		return -1
	}
	var parts []*zip.File
	for _, f := range zr.File {
		if path.Dir(f.Name) == "word" && strings.HasSuffix(f.Name, ".xml") && rank(f.Name) >= 0 {
			parts = append(parts, f)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool {
		ri, rj := rank(parts[i].Name), rank(parts[j].Name)
		if ri != rj {
			return ri < rj
		}
		return parts[i].Name < parts[j].Name
	})
	return parts
}

func partOf(name string) string {
	base := path.Base(name)
	switch {
	case strings.HasPrefix(base, "header"):
		return screening.PartHeader
	case strings.HasPrefix(base, "footer"):
		return screening.PartFooter
	case base == "footnotes.xml", base == "endnotes.xml":
		return screening.PartFootnote
	case base == "comments.xml":
		return screening.PartComment
	}
	return ""
}

// extractDOCX makes one segment per paragraph of every text part. A
// paragraph in a table cell carries the table's number and the cell's row
// and column; a paragraph in a text box has Part "textbox". Deleted text
// of tracked changes (w:delText) is included: it is still in the file.
func extractDOCX(ctx context.Context, doc *screening.Document, r io.ReaderAt, size int64, l Limits) error {
	zr, err := openZip(r, size, l)
	if err != nil {
		return err
	}
	budget := &textBudget{left: l.MaxTextSize}
	for _, f := range docxParts(zr) {
		if err := ctx.Err(); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrUnreadable, f.Name, err)
		}
		segs, err := docxPart(ctx, rc, screening.Place{File: doc.Name, Part: partOf(f.Name), Entry: f.Name}, budget)
		rc.Close()
		if err != nil {
			if errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%w: %s: %v", ErrUnreadable, f.Name, err)
		}
		doc.Segments = append(doc.Segments, segs...)
	}
	return extractOtherParts(ctx, zr, doc, budget)
}

// docxTable is the position of the innermost open table cell.
type docxTable struct {
	n, row, col int
}

// docxWalk is the result of walking one part: its segments, and for
// masking, where each piece of text is in the part's bytes.
type docxWalk struct {
	segs []screening.Segment
	// nodes are the character data of w:t and w:delText elements, in
	// byte order.
	nodes []docxNode
	// paras[i] is the number of the i-th paragraph opened (0 when empty).
	paras []int
	// fallbacks are the byte ranges of mc:Fallback elements, which repeat
	// the text of their mc:Choice and are not extracted.
	fallbacks [][2]int64
}

// docxNode is one run of text: its bytes in the part and its span in its
// paragraph's text.
type docxNode struct {
	rawStart, rawEnd int64
	para             int // index into docxWalk.paras
	start, end       int // span in the paragraph's text
}

// docxPart walks one part's XML.
func docxPart(ctx context.Context, rd io.Reader, base screening.Place, budget *textBudget) ([]screening.Segment, error) {
	w, err := walkDOCXPart(ctx, rd, base, budget)
	if err != nil {
		return nil, err
	}
	return w.segs, nil
}

func walkDOCXPart(ctx context.Context, rd io.Reader, base screening.Place, budget *textBudget) (*docxWalk, error) {
	dec := xml.NewDecoder(rd)
	w := &docxWalk{}
	type openPara struct {
		b   strings.Builder
		idx int
	}
	var (
		tables        []docxTable // open tables, innermost last
		nTables       int
		paras         []*openPara // open paragraphs, innermost last (text boxes nest them)
		inBox         int         // depth of open w:txbxContent
		nParas        int
		inText        bool  // inside w:t or w:delText
		skip          int   // depth inside mc:Fallback, which repeats mc:Choice
		fallbackStart int64 // where the outermost open mc:Fallback starts
		tokens        int
	)
	for {
		off0 := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return w, nil
		}
		if err != nil {
			return nil, err
		}
		off1 := dec.InputOffset()
		if tokens++; tokens%8192 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 || t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				if skip == 0 {
					fallbackStart = off0
				}
				skip++
				continue
			}
			if t.Name.Space != nsWord {
				continue
			}
			switch t.Name.Local {
			case "p":
				paras = append(paras, &openPara{idx: len(w.paras)})
				w.paras = append(w.paras, 0)
			case "t", "delText":
				inText = true
			case "tab":
				if len(paras) > 0 {
					paras[len(paras)-1].b.WriteByte('\t')
				}
			case "br", "cr":
				if len(paras) > 0 {
					paras[len(paras)-1].b.WriteByte('\n')
				}
			case "tbl":
				nTables++
				tables = append(tables, docxTable{n: nTables})
			case "tr":
				if len(tables) > 0 {
					tables[len(tables)-1].row++
					tables[len(tables)-1].col = 0
				}
			case "tc":
				if len(tables) > 0 {
					tables[len(tables)-1].col++
				}
			case "gridSpan":
				// A merged cell spans several grid columns; the next
				// cell's column counts them.
				if len(tables) > 0 {
					for _, a := range t.Attr {
						if a.Name.Local == "val" {
							var n int
							if _, err := fmt.Sscanf(a.Value, "%d", &n); err == nil && n > 1 && n < 1000 {
								tables[len(tables)-1].col += n - 1
							}
						}
					}
				}
			case "txbxContent":
				inBox++
			}
		case xml.EndElement:
			if skip > 0 {
				if skip--; skip == 0 {
					w.fallbacks = append(w.fallbacks, [2]int64{fallbackStart, off1})
				}
				continue
			}
			if t.Name.Space != nsWord {
				continue
			}
			switch t.Name.Local {
			case "p":
				if len(paras) == 0 {
					continue
				}
				op := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				text := op.b.String()
				nParas++
				if strings.TrimSpace(text) == "" {
					continue
				}
				w.paras[op.idx] = nParas
				if err := budget.take(len(text)); err != nil {
					return nil, err
				}
				p := base
				p.Paragraph = nParas
				if inBox > 0 {
					p.Part = screening.PartTextBox
				}
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					p.Table, p.Row, p.Column = tb.n, tb.row, tb.col
				}
				w.segs = append(w.segs, screening.Segment{Place: p, Text: text})
			case "t", "delText":
				inText = false
			case "tbl":
				if len(tables) > 0 {
					tables = tables[:len(tables)-1]
				}
			case "txbxContent":
				inBox = max(inBox-1, 0)
			}
		case xml.CharData:
			if inText && skip == 0 && len(paras) > 0 {
				op := paras[len(paras)-1]
				start := op.b.Len()
				op.b.Write(t)
				w.nodes = append(w.nodes, docxNode{rawStart: off0, rawEnd: off1, para: op.idx, start: start, end: op.b.Len()})
			}
		}
	}
}
