package interact

import (
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// Consultation is a consultation on a draft document (意见征集): the draft
// is open for public comment from StartOn to EndOn inclusive; after the
// end the bureau publishes a feedback summary saying what was adopted and
// why.
type Consultation struct {
	ID      int64
	OrgID   int64
	Title   string
	Draft   string // the draft text
	LinkURL string // optional: the page of this site where the draft is published in full, e.g. /mzj/item/12
	StartOn workday.Date
	EndOn   workday.Date

	// The feedback summary: drafted by a publisher, approved by a section
	// head before it shows.
	Summary      string
	SummaryState SummaryState
	// SummaryItemID is the item through which the summary goes through
	// the publishing workflow (internal/publish); 0 when the summary is
	// approved in this package instead. With an item, the summary shows
	// once the item is published.
	SummaryItemID  int64
	SummaryBy      string
	SummaryAt      time.Time
	ApprovedBy     string
	ApprovedAt     time.Time
	CreatedBy      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Comments       int // comments shown (approved by moderation), for lists
	PendingReviews int // comments awaiting moderation, for staff lists
}

// SummaryState is where the feedback summary stands.
type SummaryState string

const (
	SummaryNone      SummaryState = ""
	SummarySubmitted SummaryState = "submitted" // awaits the section head
	SummaryPublished SummaryState = "published"
)

// Phase is where a consultation is in its period as of a day.
type Phase string

const (
	PhaseUpcoming Phase = "upcoming"
	PhaseOpen     Phase = "open"
	PhaseClosed   Phase = "closed"
)

// Label is the phase's name in Chinese.
func (p Phase) Label() string {
	switch p {
	case PhaseUpcoming:
		return "未开始"
	case PhaseOpen:
		return "征集中"
	case PhaseClosed:
		return "已结束"
	}
	return string(p)
}

// PhaseOf returns the phase of c on day today.
func (c *Consultation) PhaseOf(today workday.Date) Phase {
	switch {
	case today.Before(c.StartOn):
		return PhaseUpcoming
	case today.After(c.EndOn):
		return PhaseClosed
	}
	return PhaseOpen
}

// SummaryShown reports whether the summary is public: approved here, or
// its item live on the site (itemLive, which the caller reads).
func (c *Consultation) SummaryShown(itemLive bool) bool {
	if c.SummaryItemID != 0 {
		return c.SummaryState == SummarySubmitted && itemLive
	}
	return c.SummaryState == SummaryPublished
}

// CheckSummary checks that summary may be submitted for c on day today:
// the period has ended, nothing is published yet, and the text is there.
func (c *Consultation) CheckSummary(today workday.Date, summary string) error {
	if c.PhaseOf(today) != PhaseClosed {
		return apperr.Invalidf("summary", "征集期结束（%s）后才能发布意见采纳情况", c.EndOn)
	}
	if c.SummaryState == SummaryPublished || c.SummaryItemID != 0 {
		return apperr.Invalidf("summary", "意见采纳情况已提交或已发布")
	}
	switch {
	case summary == "":
		return apperr.Invalidf("summary", "请填写意见采纳情况：采纳了哪些意见，未采纳的理由")
	case utf8.RuneCountInString(summary) > 20000:
		return apperr.Invalidf("summary", "不能超过20000字")
	}
	return nil
}

// Normalize trims the consultation's text fields.
func (c *Consultation) Normalize() {
	c.Title = strings.TrimSpace(c.Title)
	c.Draft = strings.ReplaceAll(strings.TrimSpace(c.Draft), "\r\n", "\n")
	c.LinkURL = strings.TrimSpace(c.LinkURL)
}

// Validate checks a consultation as a publisher opens it. today is the
// day it is opened: the period may not end before it.
func (c *Consultation) Validate(today workday.Date) error {
	inv := &apperr.Invalid{}
	textField(inv, "title", c.Title, "请填写征集标题", 200)
	if c.Draft == "" && c.LinkURL == "" {
		inv.Add("draft", "请填写草案内容或草案全文的链接")
	}
	if utf8.RuneCountInString(c.Draft) > 50000 {
		inv.Add("draft", "草案内容不能超过50000字")
	}
	// Only a page of this site (the draft published as an item): outside
	// links go through the leaving notice, which forwards only to links it
	// knows.
	if c.LinkURL != "" && (!strings.HasPrefix(c.LinkURL, "/") || strings.HasPrefix(c.LinkURL, "//") || utf8.RuneCountInString(c.LinkURL) > 500) {
		inv.Add("link_url", "请填写本站已发布草案的地址，以 / 开头，例如 /mzj/item/12")
	}
	if c.StartOn.IsZero() {
		inv.Add("start_on", "请填写开始日期")
	}
	if c.EndOn.IsZero() {
		inv.Add("end_on", "请填写截止日期")
	} else if !c.StartOn.IsZero() && c.EndOn.Before(c.StartOn) {
		inv.Add("end_on", "截止日期不能早于开始日期")
	} else if c.EndOn.Before(today) {
		inv.Add("end_on", "截止日期不能早于今天")
	}
	return inv.Err()
}

// Comment is a citizen's comment on a consultation. It shows only after
// moderation, with the name masked and personal data screened.
type Comment struct {
	ID             int64
	ConsultationID int64
	Sender         Sender
	Body           string
	State          CommentState
	PublicName     string
	PublicBody     string
	Fingerprint    string
	ModeratedBy    string
	CreatedAt      time.Time
}

// CommentState is where a comment stands in moderation.
type CommentState string

const (
	CommentPending CommentState = "pending"
	CommentShown   CommentState = "shown"
	CommentHidden  CommentState = "hidden" // kept for the record and the summary, not shown
)

// Label is the state's name in Chinese.
func (s CommentState) Label() string {
	switch s {
	case CommentPending:
		return "待审核"
	case CommentShown:
		return "已公开"
	case CommentHidden:
		return "不公开"
	}
	return string(s)
}

// Validate checks a comment as submitted.
func (c *Comment) Validate() error {
	c.Body = strings.ReplaceAll(strings.TrimSpace(c.Body), "\r\n", "\n")
	c.Sender.Name = strings.TrimSpace(c.Sender.Name)
	c.Sender.Phone = strings.TrimSpace(c.Sender.Phone)
	c.Sender.Email = strings.TrimSpace(c.Sender.Email)
	inv := &apperr.Invalid{}
	textField(inv, "body", c.Body, "请填写您的意见", MaxBody)
	if CountLinks(c.Body) > MaxLinks {
		inv.Add("body", "意见中的网址不能超过3个")
	}
	textField(inv, "name", c.Sender.Name, "请填写姓名", MaxName)
	if c.Sender.Phone != "" && !phoneRe.MatchString(c.Sender.Phone) {
		inv.Add("phone", "联系电话格式不正确")
	}
	return inv.Err()
}
