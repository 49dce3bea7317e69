package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/screening"
)

// ErrMaskIncomplete is returned when a masked copy would still contain a
// value it was asked to mask (a pivot table cache, say, keeps its own copy
// of the data). The caller must not publish the file.
var ErrMaskIncomplete = errors.New("masked file still contains a masked value")

// MaskXLSX returns a copy of the workbook data with the span of every
// finding masked (screening.MaskValue) in its cell, as a new file to store
// as the attachment's next version. findings are those ScanDocument
// returned for this workbook: their Place gives the sheet and cell, and
// Offset and Length the span in the cell's raw value. Findings without a
// cell, on comments, or stale (the cell changed) are skipped, as
// screening.Mask skips them. The masked value is written as text.
//
// The original values are gone from the result, not merely hidden:
// excelize leaves replaced strings in the shared-string table, so those
// entries are rewritten too, and the result is checked part by part for
// every masked span; if one survives anywhere (a pivot cache, a chart's
// data cache) MaskXLSX fails with ErrMaskIncomplete.
func MaskXLSX(data []byte, findings []screening.Finding, l Limits) ([]byte, error) {
	l = l.withDefaults()
	// Document properties and drawings first, on the original archive:
	// excelize writes parts it did not change back byte for byte.
	var spans []string
	byEntry := map[string]map[int][]screening.Finding{}
	for _, f := range findings {
		if _, ok := otherPart(f.Place.Entry); !ok || f.Place.Paragraph <= 0 {
			continue
		}
		if byEntry[f.Place.Entry] == nil {
			byEntry[f.Place.Entry] = map[int][]screening.Finding{}
		}
		byEntry[f.Place.Entry][f.Place.Paragraph] = append(byEntry[f.Place.Entry][f.Place.Paragraph], f)
	}
	if len(byEntry) > 0 {
		var err error
		data, err = rewriteEntries(data, l, func(name string, src []byte) ([]byte, error) {
			paras, ok := byEntry[name]
			if !ok {
				return nil, nil
			}
			out, masked, err := maskOtherPart(src, paras, l)
			spans = append(spans, masked...)
			return out, err
		})
		if err != nil {
			return nil, err
		}
	}
	type cellKey struct{ sheet, cell string }
	byCell := map[cellKey][]screening.Finding{}
	var order []cellKey
	for _, f := range findings {
		if f.Place.Sheet == "" || f.Place.Cell == "" || f.Place.Part != "" || f.Length <= 0 {
			continue
		}
		k := cellKey{f.Place.Sheet, f.Place.Cell}
		if _, ok := byCell[k]; !ok {
			order = append(order, k)
		}
		byCell[k] = append(byCell[k], f)
	}
	return maskWorkbook(data, l, func(f *excelize.File) (map[string]string, error) {
		replaced := map[string]string{}
		for _, k := range order {
			v, err := f.GetCellValue(k.sheet, k.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				return nil, fmt.Errorf("read %s!%s: %w", k.sheet, k.cell, err)
			}
			masked := screening.Mask(v, byCell[k])
			if masked == v {
				continue
			}
			for _, fd := range byCell[k] {
				if fd.Offset >= 0 && fd.End() <= len(v) {
					if span := v[fd.Offset:fd.End()]; screening.MaskValue(fd.Kind, span) != span {
						spans = append(spans, span)
					}
				}
			}
			if err := f.SetCellStr(k.sheet, k.cell, masked); err != nil {
				return nil, fmt.Errorf("write %s!%s: %w", k.sheet, k.cell, err)
			}
			replaced[v] = masked
		}
		return replaced, nil
	}, func() []string { return spans })
}

// ColumnMask names a column of a sheet to mask in one action.
type ColumnMask struct {
	Sheet  string // sheet name as shown on its tab
	Column string // column letters, "B"
	// FirstRow is the first row to mask (1-based); rows above it, such as
	// the title and the header row, are kept. Zero means 1.
	FirstRow int
	// Kind says how each cell is masked: screening.KindName masks a
	// person's name (张*), the number kinds mask as MaskValue does.
	Kind screening.Kind
}

// ColumnOf returns the column letters of a cell reference ("C4" → "C"),
// for offering "mask this column" on a finding's cell.
func ColumnOf(cell string) (string, error) {
	col, _, err := excelize.SplitCellName(cell)
	if err != nil {
		return "", fmt.Errorf("cell %q: %w", cell, err)
	}
	return strings.ToUpper(col), nil
}

// MaskColumn returns a copy of the workbook data with every non-empty cell
// of one column, from FirstRow down, masked according to its kind: the
// reviewer's "mask this column of names" action. Cells already masked are
// left as they are. Like MaskXLSX it rewrites the shared-string table so
// the original values are gone from the file.
func MaskColumn(data []byte, col ColumnMask, l Limits) ([]byte, error) {
	colNum, err := excelize.ColumnNameToNumber(col.Column)
	if err != nil {
		return nil, fmt.Errorf("mask column %q: %w", col.Column, err)
	}
	first := max(col.FirstRow, 1)
	return maskWorkbook(data, l, func(f *excelize.File) (map[string]string, error) {
		rows, err := f.GetRows(col.Sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read sheet %q: %w", col.Sheet, err)
		}
		replaced := map[string]string{}
		for r := first; r <= len(rows); r++ {
			if colNum > len(rows[r-1]) {
				continue
			}
			v := rows[r-1][colNum-1]
			if strings.TrimSpace(v) == "" {
				continue
			}
			masked := screening.MaskValue(col.Kind, v)
			if masked == v {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(colNum, r)
			if err := f.SetCellStr(col.Sheet, cell, masked); err != nil {
				return nil, fmt.Errorf("write %s!%s: %w", col.Sheet, cell, err)
			}
			replaced[v] = masked
		}
		return replaced, nil
	}, nil)
}

// maskWorkbook opens data, lets edit change cells (it returns original →
// masked cell values), writes the workbook, rewrites the shared strings
// that still hold originals, and checks that none of mustBeGone() remains.
func maskWorkbook(data []byte, l Limits, edit func(*excelize.File) (map[string]string, error), mustBeGone func() []string) (out []byte, err error) {
	l = l.withDefaults()
	f, _, err := openXLSX(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%w: workbook: %v", ErrUnreadable, p)
		}
	}()
	replaced, err := edit(f)
	if err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("write workbook: %w", err)
	}
	out, err = rewriteSharedStrings(buf.Bytes(), replaced)
	if err != nil {
		return nil, err
	}
	if mustBeGone != nil {
		if err := checkGone(out, mustBeGone(), l); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rewriteSharedStrings replaces, in xl/sharedStrings.xml, every entry
// whose text is a key of replaced by the masked value. Other parts are
// copied unchanged.
func rewriteSharedStrings(data []byte, replaced map[string]string) ([]byte, error) {
	if len(replaced) == 0 {
		return data, nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("reopen workbook: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if zf.Name != "xl/sharedStrings.xml" {
			if err := zw.Copy(zf); err != nil {
				return nil, fmt.Errorf("copy %s: %w", zf.Name, err)
			}
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", zf.Name, err)
		}
		sst, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", zf.Name, err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: zf.Modified})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(replaceSharedStrings(sst, replaced)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// replaceSharedStrings rewrites the <si> entries of a shared-string table
// whose text is a key of replaced. Entry positions (the indices cells
// refer to) do not change.
func replaceSharedStrings(sst []byte, replaced map[string]string) []byte {
	var out bytes.Buffer
	out.Grow(len(sst))
	i := 0
	for {
		k := bytes.Index(sst[i:], []byte("<si>"))
		if k < 0 {
			break
		}
		start := i + k
		e := bytes.Index(sst[start:], []byte("</si>"))
		if e < 0 {
			break
		}
		end := start + e + len("</si>")
		out.Write(sst[i:start])
		entry := sst[start:end]
		if masked, ok := replaced[siText(entry)]; ok {
			out.WriteString(`<si><t xml:space="preserve">`)
			xml.EscapeText(&out, []byte(masked))
			out.WriteString(`</t></si>`)
		} else {
			out.Write(entry)
		}
		i = end
	}
	out.Write(sst[i:])
	return out.Bytes()
}

// siText returns the text of a shared-string entry: its <t> elements,
// without phonetic runs.
func siText(entry []byte) string {
	dec := xml.NewDecoder(bytes.NewReader(entry))
	var b strings.Builder
	inT, inPh := false, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return b.String()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT = true
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				inPh--
			}
		case xml.CharData:
			if inT && inPh == 0 {
				b.Write(t)
			}
		}
	}
}

// checkGone fails when any part of the archive still contains one of
// values, as text or XML-escaped.
func checkGone(data []byte, values []string, l Limits) error {
	if len(values) == 0 {
		return nil
	}
	zr, err := openZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return err
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("open %s: %w", zf.Name, err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("read %s: %w", zf.Name, err)
		}
		for _, v := range values {
			var esc bytes.Buffer
			xml.EscapeText(&esc, []byte(v))
			if bytes.Contains(part, []byte(v)) || bytes.Contains(part, esc.Bytes()) {
				return fmt.Errorf("%w: in %s", ErrMaskIncomplete, zf.Name)
			}
		}
	}
	return nil
}

// rewriteEntries returns the archive with each entry for which fn returns
// new content replaced by it (fn returns nil to keep an entry).
func rewriteEntries(data []byte, l Limits, fn func(name string, src []byte) ([]byte, error)) ([]byte, error) {
	zr, err := openZip(bytes.NewReader(data), int64(len(data)), l)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		src, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		out, err := fn(zf.Name, src)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrUnreadable, zf.Name, err)
		}
		if out == nil {
			if err := zw.Copy(zf); err != nil {
				return nil, fmt.Errorf("copy %s: %w", zf.Name, err)
			}
			continue
		}
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
	return buf.Bytes(), nil
}
