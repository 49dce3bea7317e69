package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"slices"

	"gongkai/internal/screening"
)

// MaskDOCX returns a copy of the document data with the span of every
// finding masked (screening.MaskValue) in the runs of its paragraph.
// findings are those ScanDocument returned for this document: their Place
// gives the archive entry and paragraph, Offset and Length the span in the
// paragraph's text. Findings of other files, without a paragraph, or stale
// are skipped. Formatting is kept; a value split over several runs is
// written masked into the first run and removed from the others. In parts
// that are masked, the mc:Fallback copies of text boxes (the VML version
// that only Word 2007 reads) are removed, since they repeat the text.
//
// As with MaskXLSX the result is checked: if any masked span still occurs
// in any part (document properties, alt text, a field code), MaskDOCX
// fails with ErrMaskIncomplete.
func MaskDOCX(data []byte, findings []screening.Finding, l Limits) ([]byte, error) {
	l = l.withDefaults()
	byEntry := map[string]map[int][]screening.Finding{}
	for _, f := range findings {
		if f.Place.Entry == "" || f.Place.Paragraph <= 0 || f.Length <= 0 {
			continue
		}
		if byEntry[f.Place.Entry] == nil {
			byEntry[f.Place.Entry] = map[int][]screening.Finding{}
		}
		byEntry[f.Place.Entry][f.Place.Paragraph] = append(byEntry[f.Place.Entry][f.Place.Paragraph], f)
	}
	zr, err := openZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return nil, err
	}
	var spans []string
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		paras, ok := byEntry[zf.Name]
		if !ok {
			if err := zw.Copy(zf); err != nil {
				return nil, fmt.Errorf("copy %s: %w", zf.Name, err)
			}
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		src, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		maskFn := maskDOCXPart
		if _, ok := otherPart(zf.Name); ok {
			maskFn = maskOtherPart
		}
		out, masked, err := maskFn(src, paras, l)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		spans = append(spans, masked...)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(out); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if err := checkGone(buf.Bytes(), spans, l); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maskDOCXPart masks the findings of one part, given by paragraph number.
// It returns the new part and the original text of every masked span.
func maskDOCXPart(src []byte, byPara map[int][]screening.Finding, l Limits) ([]byte, []string, error) {
	w, err := walkDOCXPart(context.Background(), bytes.NewReader(src), screening.Place{}, &textBudget{left: l.MaxTextSize})
	if err != nil {
		return nil, nil, err
	}
	texts := map[int]string{}
	for _, s := range w.segs {
		texts[s.Place.Paragraph] = s.Text
	}
	nodes := make([]partNode, len(w.nodes))
	for i, n := range w.nodes {
		nodes[i] = partNode{rawStart: n.rawStart, rawEnd: n.rawEnd, para: w.paras[n.para], start: n.start, end: n.end}
	}
	return maskPart(src, texts, nodes, byPara, w.fallbacks)
}

// partNode is one run of character data in an XML part: its bytes, and
// its span in the text of paragraph number para.
type partNode struct {
	rawStart, rawEnd int64
	para             int
	start, end       int
}

// maskPart rewrites the character data of an XML part so that the
// findings of each paragraph (by number, spans in texts[number]) are
// masked. A value spread over several nodes is written masked into the
// first and removed from the others. drop lists byte ranges to remove when
// anything is masked. It returns the new part and the original text of
// every masked span; findings that do not fit their paragraph, overlap, or
// are not masked by MaskValue (markings, words) are skipped.
func maskPart(src []byte, texts map[int]string, nodes []partNode, byPara map[int][]screening.Finding, drop [][2]int64) ([]byte, []string, error) {
	type pending struct {
		f       screening.Finding
		masked  string
		emitted bool
	}
	valid := map[int][]*pending{}
	var spans []string
	for num, fs := range byPara {
		text, ok := texts[num]
		if !ok {
			continue
		}
		fs = slices.Clone(fs)
		slices.SortFunc(fs, func(a, b screening.Finding) int { return a.Offset - b.Offset })
		last := 0
		for _, f := range fs {
			if f.Offset < last || f.Length <= 0 || f.Length > len(text)-f.Offset {
				continue
			}
			v := text[f.Offset:f.End()]
			m := screening.MaskValue(f.Kind, v)
			if m == v {
				continue // markings and sensitive words are not masked
			}
			valid[num] = append(valid[num], &pending{f: f, masked: m})
			spans = append(spans, v)
			last = f.End()
		}
	}
	type edit struct {
		start, end int64
		repl       []byte
	}
	var edits []edit
	for _, n := range nodes {
		ps := valid[n.para]
		if len(ps) == 0 {
			continue
		}
		text := texts[n.para]
		var nb bytes.Buffer
		p := n.start
		touched := false
		for _, pd := range ps {
			f := pd.f
			if f.End() <= n.start || f.Offset >= n.end {
				continue
			}
			touched = true
			if f.Offset > p {
				nb.WriteString(text[p:f.Offset])
			}
			if !pd.emitted {
				nb.WriteString(pd.masked)
				pd.emitted = true
			}
			p = max(p, min(f.End(), n.end))
		}
		if !touched {
			continue
		}
		if p < n.end {
			nb.WriteString(text[p:n.end])
		}
		var esc bytes.Buffer
		if err := xml.EscapeText(&esc, nb.Bytes()); err != nil {
			return nil, nil, err
		}
		edits = append(edits, edit{n.rawStart, n.rawEnd, esc.Bytes()})
	}
	if len(edits) == 0 {
		return src, nil, nil
	}
	for _, d := range drop {
		edits = append(edits, edit{d[0], d[1], nil})
	}
	slices.SortFunc(edits, func(a, b edit) int { return int(a.start - b.start) })
	var out bytes.Buffer
	out.Grow(len(src))
	var pos int64
	for _, e := range edits {
		if e.start < pos || e.end > int64(len(src)) {
			return nil, nil, fmt.Errorf("overlapping edits at byte %d", e.start)
		}
		out.Write(src[pos:e.start])
		out.Write(e.repl)
		pos = e.end
	}
	out.Write(src[pos:])
	return out.Bytes(), spans, nil
}

// maskOtherPart masks the findings of a properties or drawing part
// (extractOtherParts), given by paragraph number.
func maskOtherPart(src []byte, byPara map[int][]screening.Finding, l Limits) ([]byte, []string, error) {
	texts := map[int]string{}
	var nodes []partNode
	err := leafTexts(context.Background(), bytes.NewReader(src), &textBudget{left: l.MaxTextSize}, func(n int, text string) {
		texts[n] = text
	}, func(n partNode) { nodes = append(nodes, n) })
	if err != nil {
		return nil, nil, err
	}
	return maskPart(src, texts, nodes, byPara, nil)
}
