package publish

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// Validity (有效性) says whether a published document is still in force.
type Validity string

const (
	ValidityValid    Validity = "valid"    // 有效
	ValidityExpired  Validity = "expired"  // 失效
	ValidityRepealed Validity = "repealed" // 废止
)

// Label is the validity's name on the site.
func (v Validity) Label() string {
	switch v {
	case ValidityValid:
		return "有效"
	case ValidityExpired:
		return "失效"
	case ValidityRepealed:
		return "废止"
	}
	return string(v)
}

// Disclosure is an item's disclosure mode (公开方式).
type Disclosure string

const (
	DiscloseProactive Disclosure = "proactive"  // 主动公开
	DiscloseOnRequest Disclosure = "on_request" // 依申请公开
	DiscloseWithheld  Disclosure = "withheld"   // 不予公开
)

// Label is the mode's name in the catalog.
func (d Disclosure) Label() string {
	switch d {
	case DiscloseProactive:
		return "主动公开"
	case DiscloseOnRequest:
		return "依申请公开"
	case DiscloseWithheld:
		return "不予公开"
	}
	return string(d)
}

// Disclosures lists the modes in the order forms offer them.
func Disclosures() []Disclosure {
	return []Disclosure{DiscloseProactive, DiscloseOnRequest, DiscloseWithheld}
}

// Genres lists the genre classification (体裁分类) offered for items.
func Genres() []string {
	return []string{"通知", "公告", "通告", "意见", "决定", "规范性文件", "规章", "规划计划", "工作报告", "统计数据", "办事指南", "工作动态", "其他"}
}

// DefaultTopics is the common national topic classification (主题分类) that
// the migration seeds into the configurable topic list.
func DefaultTopics() []string {
	return []string{"综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源", "农业、林业、水利",
		"工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护", "科技、教育",
		"文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
		"公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他"}
}

// Item is a piece of information (信息、稿件) an org publishes. Its content
// lives in Versions: Current is the version being worked on, Live the one
// the public sees (0 before the first publish). While an update goes
// through review, Live stays online.
type Item struct {
	ID       int64
	OrgID    int64
	OrgCode  string // filled on read; used in index numbers and log leaves
	State    State
	Current  int // number of the working version
	Live     int // number of the public version; 0 before the first publish
	IndexNo  string
	ColumnID int64 // primary column of the live version (or of the draft before the first publish)
	// Validity applies to the live version; ValidityDate is when it
	// expired or was repealed.
	Validity     Validity
	ValidityDate workday.Date
	// FirstPublishedAt is the 发布日期 of the catalog.
	FirstPublishedAt time.Time
	LastPublishedAt  time.Time
	// ScheduledAt is when an approved item is to be published; zero when
	// not scheduled.
	ScheduledAt time.Time
	// Reason is the last rejection or withdrawal reason, kept on record.
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
	// Title is the title of the current version, for staff listings.
	Title string
}

// Public reports whether the item's live version is on the public site.
func (it *Item) Public() bool { return it.Live > 0 && it.State != StateWithdrawn }

// Version is one version of an item's content and catalog metadata. It may
// be edited only while its item is a draft of it; once submitted it is
// kept as it is.
type Version struct {
	ItemID   int64
	Number   int
	Rev      int // bumped by every save; optimistic locking for editors
	Title    string
	Subtitle string
	Summary  string
	Body     string // sanitised HTML
	Source   string // 来源
	Author   string // 作者 (byline)
	// ColumnID is the primary column; Columns are further columns and
	// special topics the item also appears in.
	ColumnID int64
	Columns  []int64
	DocNo    string // 文号
	Issuer   string // 发布机构
	Topic    string // 主题分类
	Genre    string // 体裁
	// WrittenDate is the 成文日期.
	WrittenDate workday.Date
	// FormedDate is when the information was formed or changed; proactive
	// disclosure is due within 20 working days of it (条例 Art. 26).
	FormedDate workday.Date
	Disclosure Disclosure
	Keywords   string
	// ChangeNote says what an update changed, shown as 'updates to this page'.
	ChangeNote string
	AuthorID   int64 // who created the version
	AuthorName string
	Editors    []int64 // everyone who saved it, the author included
	CreatedAt  time.Time
	UpdatedAt  time.Time

	SubmittedAt time.Time
	SectionBy   string
	SectionAt   time.Time
	ReviewBy    string // the confidentiality reviewer
	ReviewAt    time.Time
	PublishedAt time.Time // when this version went live
}

// EditedBy reports whether the user wrote or edited the version. Such a
// user may not pass its confidentiality review.
func (v *Version) EditedBy(userID int64) bool {
	return v.AuthorID == userID || slices.Contains(v.Editors, userID)
}

// Draft is what an editor submits for a version: the content and catalog
// fields, before validation.
type Draft struct {
	Title, Subtitle, Summary, Body, Source, Author string
	ColumnID                                       int64
	Columns                                        []int64
	DocNo, Issuer, Topic, Genre                    string
	WrittenDate, FormedDate                        string // YYYY-MM-DD as typed
	Disclosure                                     Disclosure
	Keywords                                       string
	ChangeNote                                     string
}

// DraftOf returns the editable fields of v, for forms.
func DraftOf(v *Version) Draft {
	return Draft{Title: v.Title, Subtitle: v.Subtitle, Summary: v.Summary, Body: v.Body, Source: v.Source, Author: v.Author,
		ColumnID: v.ColumnID, Columns: slices.Clone(v.Columns), DocNo: v.DocNo, Issuer: v.Issuer, Topic: v.Topic, Genre: v.Genre,
		WrittenDate: dateText(v.WrittenDate), FormedDate: dateText(v.FormedDate), Disclosure: v.Disclosure, Keywords: v.Keywords, ChangeNote: v.ChangeNote}
}

func dateText(d workday.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// limits on field lengths, in characters.
var fieldLimits = map[string]int{"title": 200, "subtitle": 200, "summary": 1000, "source": 100, "author": 50,
	"doc_no": 100, "issuer": 100, "keywords": 200, "change_note": 500}

// Apply validates d and copies it into v. Topic must be one of topics; the
// body is sanitised (see Sanitize). isUpdate requires a change note. The
// error is an *apperr.Invalid with a Chinese message per form field, and v
// is changed only when there is no error.
func (d Draft) Apply(v *Version, topics []string, isUpdate bool) error {
	inv := &apperr.Invalid{}
	trim := func(s string) string { return strings.TrimSpace(s) }
	d.Title, d.Subtitle, d.Summary, d.Source, d.Author = trim(d.Title), trim(d.Subtitle), trim(d.Summary), trim(d.Source), trim(d.Author)
	d.DocNo, d.Issuer, d.Topic, d.Genre, d.Keywords, d.ChangeNote = trim(d.DocNo), trim(d.Issuer), trim(d.Topic), trim(d.Genre), trim(d.Keywords), trim(d.ChangeNote)
	if d.Title == "" {
		inv.Add("title", "请填写标题")
	}
	for field, val := range map[string]string{"title": d.Title, "subtitle": d.Subtitle, "summary": d.Summary, "source": d.Source,
		"author": d.Author, "doc_no": d.DocNo, "issuer": d.Issuer, "keywords": d.Keywords, "change_note": d.ChangeNote} {
		if n := utf8.RuneCountInString(val); n > fieldLimits[field] {
			inv.Add(field, fmt.Sprintf("不能超过%d个字（现为%d个字）", fieldLimits[field], n))
		}
	}
	body, err := Sanitize(d.Body)
	switch {
	case err != nil:
		inv.Add("body", "正文无法解析，请检查后重试")
	case strings.TrimSpace(d.Body) == "":
		inv.Add("body", "请填写正文")
	case body == "":
		inv.Add("body", "正文经安全清理后为空：请直接输入文字，或粘贴纯文本")
	case utf8.RuneCountInString(body) > 2_000_000:
		inv.Add("body", "正文过长")
	default:
		if missing := imagesWithoutAlt(body); missing > 0 {
			inv.Add("body", fmt.Sprintf("正文中有%d张图片缺少替代文字（alt），请为每张图片填写文字说明", missing))
		}
	}
	if d.ColumnID == 0 {
		inv.Add("column_id", "请选择所属栏目")
	}
	if d.Issuer == "" {
		inv.Add("issuer", "请填写发布机构")
	}
	if d.Topic == "" {
		inv.Add("topic", "请选择主题分类")
	} else if !slices.Contains(topics, d.Topic) {
		inv.Add("topic", "主题分类不在目录中，请从列表中选择")
	}
	if d.Genre == "" {
		inv.Add("genre", "请选择体裁")
	} else if !slices.Contains(Genres(), d.Genre) {
		inv.Add("genre", "体裁不在目录中，请从列表中选择")
	}
	written, ok := parseDate(d.WrittenDate)
	if !ok {
		inv.Add("written_date", "成文日期格式应为 2026-03-02")
	} else if written.IsZero() {
		inv.Add("written_date", "请填写成文日期")
	}
	formed, ok := parseDate(d.FormedDate)
	if !ok {
		inv.Add("formed_date", "形成或变更日期格式应为 2026-03-02")
	} else if formed.IsZero() {
		inv.Add("formed_date", "请填写信息形成或变更日期（用于计算20个工作日的公开时限）")
	}
	if !slices.Contains(Disclosures(), d.Disclosure) {
		inv.Add("disclosure", "请选择公开方式")
	}
	if isUpdate && d.ChangeNote == "" {
		inv.Add("change_note", "请说明本次更新的内容，它将显示在页面的“更新记录”中")
	}
	var cols []int64
	for _, c := range d.Columns {
		if c != 0 && c != d.ColumnID && !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	if err := inv.Err(); err != nil {
		return err
	}
	v.Title, v.Subtitle, v.Summary, v.Body, v.Source, v.Author = d.Title, d.Subtitle, d.Summary, body, d.Source, d.Author
	v.ColumnID, v.Columns = d.ColumnID, cols
	v.DocNo, v.Issuer, v.Topic, v.Genre = d.DocNo, d.Issuer, d.Topic, d.Genre
	v.WrittenDate, v.FormedDate, v.Disclosure = written, formed, d.Disclosure
	v.Keywords, v.ChangeNote = d.Keywords, d.ChangeNote
	return nil
}

// parseDate parses YYYY-MM-DD; empty gives the zero Date and ok.
func parseDate(s string) (workday.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return workday.Date{}, true
	}
	d, err := workday.Parse(s)
	return d, err == nil
}

// FormatIndexNo returns the catalog index number (索引号) for an org's n-th
// item of a year: "<org code>/<year>-<five-digit serial>", for example
// 42130021/2026-00001. Serials come from a per-org, per-year counter and
// are never reused.
func FormatIndexNo(orgCode string, year, n int) string {
	return fmt.Sprintf("%s/%04d-%05d", orgCode, year, n)
}

// ParseIndexNo splits an index number made by FormatIndexNo.
func ParseIndexNo(s string) (orgCode string, year, n int, ok bool) {
	i := strings.LastIndexByte(s, '/')
	if i <= 0 {
		return "", 0, 0, false
	}
	y, serial, found := strings.Cut(s[i+1:], "-")
	if !found || len(y) != 4 || len(serial) < 5 {
		return "", 0, 0, false
	}
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(serial)
	if err1 != nil || err2 != nil || n < 1 {
		return "", 0, 0, false
	}
	return s[:i], year, n, true
}

// Filter selects items for listings.
type Filter struct {
	// Public lists only items on the public site, with their live
	// version; otherwise the current version is listed.
	Public   bool
	OrgIDs   []int64 // nil: every org; empty: none
	States   []State
	ColumnID int64 // public: any column the item appears in; staff: the primary column
	Query    string
	Topic    string
	Genre    string
	Validity Validity
	Offset   int
	Limit    int // 1 to 200; 0 means 20
}

// Listed is an item with the version a listing shows.
type Listed struct {
	Item    Item
	Version Version
}
