package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"gongkai/internal/screening"
)

// otherPart reports whether an archive entry is one of those parts, and
// which.
func otherPart(name string) (string, bool) {
	dir := path.Dir(name)
	switch {
	case !strings.HasSuffix(name, ".xml"):
		return "", false
	case dir == "docProps":
		return screening.PartProperties, true
	case dir == "xl/drawings", dir == "xl/charts", dir == "word/charts":
		return screening.PartDrawing, true
	}
	return "", false
}

// extractOtherParts adds a segment per paragraph (DrawingML a:p) or per
// leaf element with text (document properties) of every such part.
func extractOtherParts(ctx context.Context, zr *zip.Reader, doc *screening.Document, budget *textBudget) error {
	for _, f := range zr.File {
		part, ok := otherPart(f.Name)
		if !ok {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrUnreadable, f.Name, err)
		}
		err = leafTexts(ctx, rc, budget, func(n int, text string) {
			doc.Segments = append(doc.Segments, screening.Segment{
				Place: screening.Place{File: doc.Name, Part: part, Paragraph: n, Entry: f.Name},
				Text:  text,
			})
		}, nil)
		rc.Close()
		if err != nil {
			if errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%w: %s: %v", ErrUnreadable, f.Name, err)
		}
	}
	return nil
}

// leafTexts calls emit with the text of each paragraph (an element named
// p, in any namespace) and of each element outside paragraphs that holds
// text directly, numbered from 1. node, when not nil, is called for every
// piece of character data that belongs to an emitted text, for masking.
func leafTexts(ctx context.Context, rd io.Reader, budget *textBudget, emit func(int, string), node func(partNode)) error {
	dec := xml.NewDecoder(rd)
	var b strings.Builder
	var pending []partNode // character data of the text being collected
	inP := 0
	n := 0
	tokens := 0
	flush := func() error {
		text := b.String()
		b.Reset()
		nodes := pending
		pending = pending[:0]
		if strings.TrimSpace(text) == "" {
			return nil
		}
		if err := budget.take(len(text)); err != nil {
			return err
		}
		n++
		emit(n, text)
		if node != nil {
			for _, pn := range nodes {
				pn.para = n
				node(pn)
			}
		}
		return nil
	}
	for {
		off0 := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return flush()
		}
		if err != nil {
			return err
		}
		off1 := dec.InputOffset()
		if tokens++; tokens%8192 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "p" {
				if inP == 0 {
					if err := flush(); err != nil {
						return err
					}
				}
				inP++
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == "p":
				inP = max(inP-1, 0)
				if inP == 0 {
					if err := flush(); err != nil {
						return err
					}
				}
			case inP == 0:
				if err := flush(); err != nil {
					return err
				}
			}
		case xml.CharData:
			start := b.Len()
			b.Write(t)
			pending = append(pending, partNode{rawStart: off0, rawEnd: off1, start: start, end: b.Len()})
		}
	}
}
