// Package screening finds personal data and confidentiality problems in the
// text of an item before a confidentiality reviewer sees it: resident
// identity numbers, mobile numbers, bank card numbers, e-mail and street
// addresses, classification markings (密级标志), words from a configurable
// sensitive-word list, and maps published without a map approval number
// (审图号). It also masks what it finds, so that reviewers, logs and the
// public site can show a finding without showing the value.
//
// Everything here is a pure function of its inputs: Scan takes the text and
// Options (word list, clock, which detectors) and returns findings sorted by
// byte offset, never overlapping one another. A Finding holds the masked
// excerpt only; the raw value stays in the caller's text, so printing or
// logging a Finding cannot leak it.
//
// Line structure matters: a classification marking is recognised only on a
// line of its own (or in the 机密★1年 form anywhere), so callers pass text
// with '\n' between paragraphs and give each table cell its own line, or
// scan each cell separately with its own Options.Location.
//
// The package is a domain package: it imports the standard library and
// gongkai/internal/apperr only. It must not import storage, web, file-format
// or network code; extracting text from .docx, .xlsx, .pdf and HTML files is
// the job of the extract subpackage.
package screening
