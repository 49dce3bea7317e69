package publish

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"gongkai/internal/translog"
	"gongkai/internal/workday"
)

// Attachment is a file attached to one version of an item. The bytes are
// stored apart, named by their SHA-256.
type Attachment struct {
	ID          int64
	ItemID      int64
	Version     int
	Name        string // download name, as uploaded
	ContentType string // detected from the content, never from the name
	Size        int64
	SHA256      string // 64 lowercase hex digits
	Sort        int
	CreatedAt   time.Time
	// Caption and IsMap are what the uploader said about an image, for
	// the map check (screening.CheckMap): a caption that may carry the
	// map approval number (审图号), and whether the image is a map.
	Caption string
	IsMap   bool
}

// chinaZone is China Standard Time; catalog dates are China dates.
var chinaZone = time.FixedZone("CST", 8*3600)

// ChinaDate returns the calendar date of t in China, or "" for the zero time.
func ChinaDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaZone).Format("2006-01-02")
}

// Today returns the China calendar date of t.
func Today(t time.Time) workday.Date { return workday.DateOf(t.In(chinaZone)) }

// PublicMetadata is the catalog metadata of the public version v of it, as
// the public JSON API serves it and the publication log hashes it. Keys
// are fixed; empty values are kept.
func PublicMetadata(it *Item, v *Version) map[string]string {
	return map[string]string{
		"index_no":       it.IndexNo,
		"doc_no":         v.DocNo,
		"issuer":         v.Issuer,
		"topic":          v.Topic,
		"genre":          v.Genre,
		"written_date":   dateText(v.WrittenDate),
		"published_date": ChinaDate(it.FirstPublishedAt),
		"validity":       string(it.Validity),
		"validity_date":  dateText(it.ValidityDate),
		"keywords":       v.Keywords,
		"subtitle":       v.Subtitle,
		"summary":        v.Summary,
		"source":         v.Source,
		"author":         v.Author,
		"version":        strconv.Itoa(v.Number),
	}
}

// PublicContent is what the publication log commits to for version v of
// it: title, body, catalog metadata and the attachments' hashes.
func PublicContent(it *Item, v *Version, atts []Attachment) (translog.Content, error) {
	c := translog.Content{Title: v.Title, Body: v.Body, Metadata: PublicMetadata(it, v)}
	for _, a := range atts {
		var d translog.Digest
		b, err := hex.DecodeString(a.SHA256)
		if err != nil || len(b) != len(d) {
			return translog.Content{}, fmt.Errorf("attachment %d: malformed sha256", a.ID)
		}
		copy(d[:], b)
		c.Attachments = append(c.Attachments, d)
	}
	return c, nil
}

// DueDays is the time allowed for proactive disclosure: within 20 working
// days of the information being formed or changed (Regulations on Open
// Government Information (2019), art. 26).
const DueDays = 20

// Due returns the last day on which v may be published in time, counted on
// cal from its FormedDate (条例 Art. 26).
func Due(cal *workday.Calendar, v *Version) (workday.Result, error) {
	return cal.Add(v.FormedDate, DueDays)
}

// DaysLeft returns the working days from today until v is due (negative
// when late) and whether the count is provisional (a year missing from the
// calendar).
func DaysLeft(cal *workday.Calendar, v *Version, today workday.Date) (int, bool, error) {
	due, err := Due(cal, v)
	if err != nil {
		return 0, false, err
	}
	left, err := cal.Between(today, due.To)
	if err != nil {
		return 0, false, err
	}
	return left.Days, due.Provisional || left.Provisional, nil
}

// Late reports whether v was published after its Art. 26 deadline.
func Late(cal *workday.Calendar, v *Version) bool {
	if v.PublishedAt.IsZero() || v.FormedDate.IsZero() {
		return false
	}
	due, err := Due(cal, v)
	if err != nil {
		return false
	}
	return Today(v.PublishedAt).After(due.To)
}

// LogEntry is a stored leaf of the publication log, with the item it
// records.
type LogEntry struct {
	Index   int64
	ItemID  int64
	Version int
	Action  string
	Text    string // the canonical leaf text (translog.Leaf.MarshalText)
}

// ItemPage is what an item's public page shows from the database.
type ItemPage struct {
	Item Item
	// Live is the live version and Versions every version, newest first;
	// Atts are the live version's attachments and Leaves the item's
	// publication log entries, oldest first. They are read only while
	// the item is public (live and not withdrawn).
	Live     *Version
	Versions []Version
	Atts     []Attachment
	Leaves   []LogEntry
}
