package screening

import (
	"fmt"
	"log/slog"
	"slices"
	"time"
)

// Kind is what a detector found. The values are what storage keeps and
// what logs show.
type Kind string

// The kinds of findings.
const (
	KindIDNumber           Kind = "id_number"            // resident identity number (公民身份号码)
	KindMobile             Kind = "mobile"               // mainland mobile number
	KindBankCard           Kind = "bank_card"            // payment card number passing the Luhn check
	KindEmail              Kind = "email"                // e-mail address
	KindAddress            Kind = "address"              // street address down to the house number
	KindMarking            Kind = "marking"              // classification or internal-use marking (密级标志)
	KindSensitiveWord      Kind = "sensitive_word"       // a word from the configured word list
	KindMapWithoutApproval Kind = "map_without_approval" // a map image without a map approval number (审图号)
	KindManualReview       Kind = "manual_review"        // a file or page the detectors could not read (scanned PDF, unreadable file)
	KindImageMetadata      Kind = "image_metadata"       // an image carrying EXIF, GPS or other metadata
	// KindName is never detected (names cannot be told from other words
	// reliably); it names what a reviewer masks when masking a column of
	// names (MaskValue uses MaskName).
	KindName Kind = "name"
)

// textKinds are the kinds Scan can report, in the order their detectors
// run; earlier detectors win when spans overlap.
var textKinds = []Kind{
	KindIDNumber, KindBankCard, KindMobile, KindMarking,
	KindSensitiveWord, KindEmail, KindAddress,
}

// Severity says whether a finding stops publication.
type Severity string

// The severities.
const (
	// SeverityBlocking findings must be resolved (removed, masked or
	// explicitly overridden by the confidentiality reviewer) before the item
	// can be published.
	SeverityBlocking Severity = "blocking"
	// SeverityWarning findings are shown to the reviewer, who decides.
	SeverityWarning Severity = "warning"
)

// Confidence says how sure a detector is that the span is what Kind says.
type Confidence string

// The confidence levels.
const (
	// ConfidenceHigh: every check the format allows passed (for example
	// the check digit of an 18-digit identity number).
	ConfidenceHigh Confidence = "high"
	// ConfidenceLow: the span has the shape but fails or lacks a check
	// (a wrong check digit, an old 15-digit number without one, a card
	// number with an unusual issuer prefix).
	ConfidenceLow Confidence = "low"
)

// Finding is one problem in a scanned text. It never holds the raw value:
// Excerpt is already masked, and the span (Offset, Length) points into the
// caller's text, which Mask uses to produce a masked copy. Printing or
// logging a Finding therefore never reveals personal data.
type Finding struct {
	Kind       Kind
	Severity   Severity
	Confidence Confidence
	// Location is the caller's label for where the text came from, such as
	// "body", "title" or "Sheet1!C4"; it is copied from Options.Location.
	Location string
	// Offset and Length give the span in bytes within the scanned text.
	// Both are zero for findings about an image (CheckMap).
	Offset, Length int
	// Excerpt is the span with personal data masked (MaskValue). For
	// markings, sensitive words and maps it is the text itself.
	Excerpt string
	// Message describes the finding for reviewers, in Simplified Chinese.
	Message string
	// Place is the structured form of Location for findings from
	// ScanDocument (attachment, sheet and cell, page, paragraph); it is the
	// zero Place for findings from Scan.
	Place Place
}

// End returns the byte offset just past the finding's span.
func (f Finding) End() int { return f.Offset + f.Length }

// String formats the finding for people and test output; it contains the
// masked excerpt only.
func (f Finding) String() string {
	return fmt.Sprintf("%s %s/%s %s[%d:%d] %q", f.Kind, f.Severity, f.Confidence,
		f.Location, f.Offset, f.End(), f.Excerpt)
}

// LogValue implements slog.LogValuer. It logs the masked excerpt only.
func (f Finding) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", string(f.Kind)),
		slog.String("severity", string(f.Severity)),
		slog.String("confidence", string(f.Confidence)),
		slog.String("location", f.Location),
		slog.Int("offset", f.Offset),
		slog.Int("length", f.Length),
		slog.String("excerpt", f.Excerpt),
	)
}

// HasBlocking reports whether any of findings is blocking.
func HasBlocking(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == SeverityBlocking {
			return true
		}
	}
	return false
}

// Options configures Scan. The zero value runs every built-in detector
// with the system clock and no word list.
type Options struct {
	// Words is the sensitive-word list; nil disables word matching. Build
	// it once with NewWordList and share it: it is safe for concurrent use.
	Words *WordList
	// Now returns the current time; identity numbers with a birth date
	// after it are not reported. Nil means time.Now.
	Now func() time.Time
	// Kinds lists the detectors to run; nil or empty means all text kinds.
	// A number is classified before disabled kinds are dropped, so
	// disabling KindIDNumber never turns an identity number into a bank
	// card or a mobile number.
	Kinds []Kind
	// Location is copied into every finding (for example "body" or
	// "Sheet1!C4").
	Location string
}

// kindSet is a set of Kinds as bits, in the order of textKinds.
type kindSet uint16

func (ks kindSet) has(k Kind) bool {
	i := slices.Index(textKinds, k)
	return i >= 0 && ks&(1<<i) != 0
}

func (o Options) kindSet() kindSet {
	if len(o.Kinds) == 0 {
		return 1<<len(textKinds) - 1
	}
	var ks kindSet
	for _, k := range o.Kinds {
		if i := slices.Index(textKinds, k); i >= 0 {
			ks |= 1 << i
		}
	}
	return ks
}

// Scan runs the enabled detectors over text and returns their findings
// sorted by offset. Spans never overlap: where two detectors claim the same
// bytes, the one earlier in this order wins: numbers (identity, bank card,
// mobile), markings, sensitive words, e-mail addresses, street addresses.
// Lines are separated by '\n' (see the package comment). Scan is safe for
// concurrent use and does not retain text.
func Scan(text string, opts Options) []Finding {
	ks := opts.kindSet()
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	loc := opts.Location
	var out []Finding
	if ks.has(KindIDNumber) || ks.has(KindBankCard) || ks.has(KindMobile) {
		out = scanNumbers(text, loc, now(), ks)
	}
	if ks.has(KindMarking) {
		out = merge(out, scanMarkings(text, loc))
	}
	if ks.has(KindSensitiveWord) && opts.Words != nil {
		out = merge(out, opts.Words.scan(text, loc))
	}
	if ks.has(KindEmail) {
		out = merge(out, scanEmails(text, loc))
	}
	if ks.has(KindAddress) {
		out = merge(out, scanAddresses(text, loc))
	}
	return out
}

// merge returns the findings of have plus those of add that overlap none
// of have. Both must be sorted by offset and free of overlaps; so is the
// result.
func merge(have, add []Finding) []Finding {
	if len(add) == 0 {
		return have
	}
	if len(have) == 0 {
		return add
	}
	out := make([]Finding, 0, len(have)+len(add))
	i := 0
	for _, f := range add {
		for i < len(have) && have[i].End() <= f.Offset {
			out = append(out, have[i])
			i++
		}
		if i < len(have) && have[i].Offset < f.End() {
			continue // overlaps an earlier detector's finding
		}
		out = append(out, f)
	}
	return append(out, have[i:]...)
}

// newFinding builds a finding over text[start:end] with a masked excerpt.
func newFinding(text, loc string, k Kind, sev Severity, conf Confidence, start, end int, msg string) Finding {
	return Finding{
		Kind:       k,
		Severity:   sev,
		Confidence: conf,
		Location:   loc,
		Offset:     start,
		Length:     end - start,
		Excerpt:    MaskValue(k, text[start:end]),
		Message:    msg,
	}
}

// sortFindings sorts by offset, longer spans first on ties.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		if a.Offset != b.Offset {
			return a.Offset - b.Offset
		}
		return b.Length - a.Length
	})
}

// dropOverlaps keeps, from findings sorted by sortFindings, the first of
// every group of overlapping spans.
func dropOverlaps(fs []Finding) []Finding {
	out := fs[:0]
	end := -1
	for _, f := range fs {
		if f.Offset < end {
			continue
		}
		out = append(out, f)
		end = f.End()
	}
	return out
}
