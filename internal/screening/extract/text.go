package extract

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"gongkai/internal/screening"
)

// Encodings DecodeText reports.
const (
	EncodingUTF8    = "utf-8"
	EncodingUTF16   = "utf-16"
	EncodingGB18030 = "gb18030" // GB 18030, a superset of GBK and GB 2312
)

// DecodeText returns data as UTF-8 and the encoding it was in: UTF-8 (a
// byte-order mark is removed), UTF-16 with a byte-order mark, or else
// GB 18030, which also reads GBK and GB 2312, what Chinese versions of
// Excel and Notepad save by default. Invalid sequences become U+FFFD.
func DecodeText(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), EncodingUTF8
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err == nil {
			return string(out), EncodingUTF16
		}
	case utf8.Valid(data):
		return string(data), EncodingUTF8
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), EncodingUTF8
	}
	return string(out), EncodingGB18030
}

// extractText decodes a text file and extracts it as HTML, CSV or plain
// text, whichever its content looks like.
func extractText(ctx context.Context, doc *screening.Document, data []byte, l Limits) error {
	text, _ := DecodeText(data)
	switch {
	case looksHTML(text):
		doc.Format = FormatHTML
		doc.Segments = []screening.Segment{{Place: screening.Place{File: doc.Name}, Text: HTMLText(text)}}
		return nil
	case csvComma(text) != 0:
		doc.Format = FormatCSV
		return extractCSV(ctx, doc, text, csvComma(text), l)
	}
	doc.Format = FormatText
	line := 0
	for len(text) > 0 {
		line++
		var s string
		s, text, _ = strings.Cut(text, "\n")
		s = strings.TrimSuffix(s, "\r")
		if strings.TrimSpace(s) == "" {
			continue
		}
		doc.Segments = append(doc.Segments, screening.Segment{Place: screening.Place{File: doc.Name, Line: line}, Text: s})
		if line%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// looksHTML reports whether text starts like an HTML document or
// fragment.
func looksHTML(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n\uFEFF")
	if !strings.HasPrefix(t, "<") {
		return false
	}
	head := strings.ToLower(t[:min(len(t), 4096)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<p", "<div", "<table", "<br", "<span", "<h1", "<h2", "<h3", "<meta"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// csvComma returns the separator when the first lines of text parse as a
// table with at least two columns and the same number of fields in nearly
// every record, or 0 when text does not look like CSV or TSV.
func csvComma(text string) rune {
	head := text[:min(len(text), 64<<10)]
	for _, comma := range []rune{',', '\t', ';'} {
		if !strings.ContainsRune(head, comma) {
			continue
		}
		r := csv.NewReader(strings.NewReader(head))
		r.Comma = comma
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		counts := map[int]int{}
		records := 0
		for records < 50 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			records++
			counts[len(rec)]++
		}
		best, bestN := 0, 0
		for n, c := range counts {
			if c > bestN {
				best, bestN = n, c
			}
		}
		if records >= 2 && best >= 2 && bestN*10 >= records*8 {
			return comma
		}
	}
	return 0
}

// extractCSV makes one segment per non-empty field, placed by row and
// column.
func extractCSV(ctx context.Context, doc *screening.Document, text string, comma rune, l Limits) error {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(text, "\uFEFF")))
	r.Comma = comma
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	cells := 0
	for row := 1; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: csv: %v", ErrUnreadable, err)
		}
		for i, field := range rec {
			if strings.TrimSpace(field) == "" {
				continue
			}
			if cells++; cells > l.MaxCells {
				return fmt.Errorf("%w: more than %d cells", ErrTooLarge, l.MaxCells)
			}
			doc.Segments = append(doc.Segments, screening.Segment{
				Place: screening.Place{File: doc.Name, Row: row, Column: i + 1},
				Text:  field,
			})
		}
		if row%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
