package screening

import (
	"fmt"
	"strings"
)

// Place says where a piece of text, and so a finding, is: in a field of
// the item, or in an attachment, and there in which sheet and cell, page,
// paragraph, table cell or line. Numbers are 1-based; zero means unknown
// or not applicable.
type Place struct {
	// File is the attachment's file name; empty for the item's own fields.
	File string
	// Field is the item's field ("title", "body") for text outside
	// attachments.
	Field string
	// Part is the part of a document the text is in, one of the Part
	// constants; empty for the main text.
	Part string
	// Sheet and Cell locate a spreadsheet cell ("Sheet1", "C4").
	Sheet, Cell string
	// Page is the page of a PDF.
	Page int
	// Paragraph counts the paragraphs of a .docx part in document order
	// (including those in tables and text boxes).
	Paragraph int
	// Table, Row and Column locate a cell of a .docx table (Table counts
	// tables in the part) or a field of a CSV file (Row and Column only).
	Table, Row, Column int
	// Line is the line of a plain-text file.
	Line int
	// Entry is the archive entry of a .docx the text is in
	// ("word/header2.xml"), for masking; it is not shown to people.
	Entry string
}

// The parts of a document a Place can name.
const (
	PartHeader   = "header"   // page header (页眉)
	PartFooter   = "footer"   // page footer (页脚)
	PartTextBox  = "textbox"  // text box (文本框)
	PartFootnote = "footnote" // footnote or endnote (脚注、尾注)
	PartComment  = "comment"  // reviewer comment (批注)
	// PartProperties: document properties (title, author, company).
	PartProperties = "properties"
	// PartDrawing: a drawing, text box or chart outside the main text.
	PartDrawing = "drawing"
)

var partNames = map[string]string{
	PartHeader:     "页眉",
	PartFooter:     "页脚",
	PartTextBox:    "文本框",
	PartFootnote:   "脚注",
	PartComment:    "批注",
	PartProperties: "文档属性",
	PartDrawing:    "图形",
}

// String formats the place for reviewers, in Chinese where words are
// needed: "名单.xlsx Sheet1!C4", "报告.pdf 第2页", "通知.docx 表1第2行第3列",
// "通知.docx 页眉 第1段", "body".
func (p Place) String() string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(p.File)
	add(p.Field)
	if name, ok := partNames[p.Part]; ok {
		add(name)
	} else {
		add(p.Part)
	}
	switch {
	case p.Sheet != "" || p.Cell != "":
		add(p.Sheet + "!" + p.Cell)
	case p.Table > 0:
		add(fmt.Sprintf("表%d第%d行第%d列", p.Table, p.Row, p.Column))
	case p.Row > 0:
		add(fmt.Sprintf("第%d行第%d列", p.Row, p.Column))
	}
	if p.Page > 0 {
		add(fmt.Sprintf("第%d页", p.Page))
	}
	if p.Paragraph > 0 && p.Table == 0 {
		add(fmt.Sprintf("第%d段", p.Paragraph))
	}
	if p.Line > 0 {
		add(fmt.Sprintf("第%d行", p.Line))
	}
	return strings.Join(parts, " ")
}

// Segment is one piece of text extracted from an item or a file, with its
// place. Scan treats a segment as a unit: a spreadsheet cell, a paragraph
// or a PDF page is one segment, so a marking alone in a cell or paragraph
// is on a line of its own.
type Segment struct {
	Place Place
	Text  string
}

// ImageInfo describes an image file for the map check and the metadata
// warning. It is filled by the extract package.
type ImageInfo struct {
	Format  string // "jpeg", "png", "gif", "webp", "bmp", "tiff"
	HasEXIF bool   // an EXIF block is present
	HasGPS  bool   // the EXIF block has a GPS position
	// HasOther is set for other metadata that can identify a person or a
	// place: XMP, IPTC, comments, PNG text chunks.
	HasOther bool
}

// Document is the text of one file (or of an item's fields) split into
// located segments, as the extract package returns it.
type Document struct {
	// Name is the file name as uploaded; it is used for the map check.
	Name string
	// Format is the detected type: "text", "html", "csv", "docx", "xlsx",
	// "pdf", or an image format.
	Format   string
	Segments []Segment
	// Image is set for image files, which have no text.
	Image *ImageInfo
	// Problems are findings the extraction itself produced, such as a
	// scanned PDF page without a text layer (KindManualReview).
	Problems []Finding
}

// ScanDocument scans every segment of doc with opts and returns the
// findings in segment order. Each finding's Place is its segment's place,
// Location is Place.String(), and Offset and Length point into the
// segment's text (so Mask(segment.Text, findings of that segment) masks
// it). The extraction's own problems come first. For an image, the map
// check runs on the file name (callers with a caption or alt text call
// CheckMap themselves) and an image carrying GPS or other metadata gets a
// warning. opts.Location is ignored.
func ScanDocument(doc Document, opts Options) []Finding {
	out := append([]Finding(nil), doc.Problems...)
	if doc.Image != nil {
		place := Place{File: doc.Name}
		if f, ok := CheckMap(Image{Location: place.String(), FileName: doc.Name}); ok {
			f.Place = place
			out = append(out, f)
		}
		if f, ok := imageMetadataFinding(*doc.Image, place); ok {
			out = append(out, f)
		}
	}
	for _, seg := range doc.Segments {
		o := opts
		o.Location = seg.Place.String()
		for _, f := range Scan(seg.Text, o) {
			f.Place = seg.Place
			out = append(out, f)
		}
	}
	return out
}

func imageMetadataFinding(img ImageInfo, place Place) (Finding, bool) {
	var msg string
	switch {
	case img.HasGPS:
		msg = "图片含拍摄位置（GPS）信息，上传时应清除"
	case img.HasEXIF || img.HasOther:
		msg = "图片含拍摄设备等元数据，上传时应清除"
	default:
		return Finding{}, false
	}
	return Finding{
		Kind: KindImageMetadata, Severity: SeverityWarning, Confidence: ConfidenceHigh,
		Location: place.String(), Place: place, Excerpt: place.File, Message: msg,
	}, true
}

// ManualReview returns the blocking finding for a file, or a part of one,
// that the detectors could not read: a scanned PDF page without a text
// layer, a damaged or oversized file. reason is shown to the reviewer, in
// Chinese, and must not contain the file's content.
func ManualReview(place Place, reason string) Finding {
	return Finding{
		Kind: KindManualReview, Severity: SeverityBlocking, Confidence: ConfidenceHigh,
		Location: place.String(), Place: place, Excerpt: place.File,
		Message: "需人工审查：" + reason,
	}
}
