package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
)

// sniff detects the format from the first bytes of the file (head) and,
// for zip archives, from the names of their entries.
func sniff(head []byte, r io.ReaderAt, size int64) (string, error) {
	switch {
	case len(head) == 0:
		return FormatText, nil
	case bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")):
		return FormatPDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(r, size)
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return FormatJPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return FormatGIF, nil
	case len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return FormatWebP, nil
	case bytes.HasPrefix(head, []byte("BM")) && len(head) >= 26 && head[14] >= 12 && head[15] == 0 && head[16] == 0 && head[17] == 0:
		return FormatBMP, nil
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return FormatTIFF, nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "", fmt.Errorf("%w: legacy Office (.doc/.xls) or encrypted Office file; save it as .docx or .xlsx", ErrUnknownType)
	}
	if looksBinary(head) {
		return "", fmt.Errorf("%w: binary content", ErrUnknownType)
	}
	return FormatText, nil // refined to HTML or CSV by extractText
}

// sniffZip tells .docx from .xlsx by the main part the archive contains.
func sniffZip(r io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", fmt.Errorf("%w: zip archive: %v", ErrUnreadable, err)
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return FormatDOCX, nil
		case "xl/workbook.xml":
			return FormatXLSX, nil
		}
	}
	return "", fmt.Errorf("%w: zip archive that is neither .docx nor .xlsx", ErrUnknownType)
}

// looksBinary reports whether head has NUL bytes or many control
// characters, which text in any of the encodings we read does not. A
// UTF-16 file starts with a byte-order mark and is text.
func looksBinary(head []byte) bool {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return false
	}
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b:
			ctl++
		}
	}
	return ctl*20 > len(head)
}
