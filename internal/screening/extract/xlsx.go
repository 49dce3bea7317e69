package extract

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/screening"
)

// openXLSX opens a workbook within the limits. excelize reads the whole
// file into memory and checks the declared uncompressed size itself; the
// zip is checked first so an archive with a huge entry count fails before
// excelize walks it.
func openXLSX(r io.ReaderAt, size int64, l Limits) (f *excelize.File, zr *zip.Reader, err error) {
	zr, err = openZip(r, size, l)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("%w: workbook: %v", ErrUnreadable, p)
		}
	}()
	f, err = excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		UnzipSizeLimit:    l.MaxUnzippedSize,
		UnzipXMLSizeLimit: min(l.MaxUnzippedSize, 16<<20),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: workbook: %v", ErrUnreadable, err)
	}
	return f, zr, nil
}

// extractXLSX makes one segment per non-empty cell of every sheet, hidden
// sheets included, placed by sheet and cell reference (Sheet1!C4), and one
// per cell comment. Cells are read raw (the stored value, not the
// displayed one): that is what a downloaded file leaks.
func extractXLSX(ctx context.Context, doc *screening.Document, r io.ReaderAt, size int64, l Limits) (err error) {
	f, zr, err := openXLSX(r, size, l)
	if err != nil {
		return err
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: workbook: %v", ErrUnreadable, p)
		}
	}()
	cells := 0
	budget := &textBudget{left: l.MaxTextSize}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			// A chart sheet or a damaged part: the rest is still read.
			if errors.Is(err, excelize.ErrSheetNotExist{SheetName: sheet}) {
				continue
			}
			return fmt.Errorf("%w: sheet %q: %v", ErrUnreadable, sheet, err)
		}
		for row := 1; rows.Next(); row++ {
			if row%1024 == 0 && ctx.Err() != nil {
				rows.Close()
				return ctx.Err()
			}
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return fmt.Errorf("%w: sheet %q row %d: %v", ErrUnreadable, sheet, row, err)
			}
			for i, v := range cols {
				if strings.TrimSpace(v) == "" {
					continue
				}
				if cells++; cells > l.MaxCells {
					rows.Close()
					return fmt.Errorf("%w: more than %d cells", ErrTooLarge, l.MaxCells)
				}
				if err := budget.take(len(v)); err != nil {
					rows.Close()
					return err
				}
				ref, _ := excelize.CoordinatesToCellName(i+1, row)
				doc.Segments = append(doc.Segments, screening.Segment{
					Place: screening.Place{File: doc.Name, Sheet: sheet, Cell: ref},
					Text:  v,
				})
			}
		}
		if err := rows.Error(); err != nil {
			rows.Close()
			return fmt.Errorf("%w: sheet %q: %v", ErrUnreadable, sheet, err)
		}
		rows.Close()
		comments, err := f.GetComments(sheet)
		if err != nil {
			continue // comments are secondary; the cells were read
		}
		for _, c := range comments {
			text := c.Text
			if text == "" {
				var b strings.Builder
				for _, run := range c.Paragraph {
					b.WriteString(run.Text)
				}
				text = b.String()
			}
			if strings.TrimSpace(text) == "" {
				continue
			}
			doc.Segments = append(doc.Segments, screening.Segment{
				Place: screening.Place{File: doc.Name, Sheet: sheet, Cell: c.Cell, Part: screening.PartComment},
				Text:  text,
			})
		}
	}
	return extractOtherParts(ctx, zr, doc, budget)
}
