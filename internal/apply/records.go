package apply

import (
	"slices"
	"time"

	"gongkai/internal/workday"
)

// Delivery records how and when a reply reached the applicant.
type Delivery struct {
	ID            int64
	ApplicationID int64
	Way           Way
	On            workday.Date
	Note          string // e.g. the registered-mail number
	ActorName     string
	CreatedAt     time.Time
}

// AttachmentKind says what a stored file is.
type AttachmentKind string

const (
	AttachIDCopy   AttachmentKind = "id_copy"  // the applicant's identity document: private, never public
	AttachReleased AttachmentKind = "released" // a document released with the reply
	AttachOther    AttachmentKind = "other"    // anything else on file
)

// Label is the kind's name.
func (k AttachmentKind) Label() string {
	switch k {
	case AttachIDCopy:
		return "身份证明材料"
	case AttachReleased:
		return "公开的政府信息"
	case AttachOther:
		return "其他材料"
	}
	return string(k)
}

// Attachment is the metadata of a file kept with an application; the bytes
// live under the data directory, never under a public path.
type Attachment struct {
	ID            int64
	ApplicationID int64
	Kind          AttachmentKind
	Name          string // file name as uploaded, for display only
	ContentType   string // detected from the content, not the name
	Size          int64
	SHA256        string // hex
	Path          string // relative to the data directory
	Screening     string // summary of screening findings for released documents; "" when clean or not screened
	CreatedAt     time.Time
}

// CaseKind is what followed an application (REGULATIONS.md §2.4).
type CaseKind string

const (
	CaseReconsideration CaseKind = "reconsideration" // 行政复议
	CaseLawsuitDirect   CaseKind = "lawsuit_direct"  // 未经复议直接起诉
	CaseLawsuitAfter    CaseKind = "lawsuit_after"   // 复议后起诉
)

// CaseKinds lists the kinds in report order.
func CaseKinds() []CaseKind {
	return []CaseKind{CaseReconsideration, CaseLawsuitDirect, CaseLawsuitAfter}
}

// Label is the kind's column heading in the report.
func (k CaseKind) Label() string {
	switch k {
	case CaseReconsideration:
		return "行政复议"
	case CaseLawsuitDirect:
		return "行政诉讼（未经复议直接起诉）"
	case CaseLawsuitAfter:
		return "行政诉讼（复议后起诉）"
	}
	return string(k)
}

// CaseResult is how a case ended (REGULATIONS.md §2.4).
type CaseResult string

const (
	ResultPending CaseResult = "pending"   // 尚未审结
	ResultUpheld  CaseResult = "upheld"    // 结果维持
	ResultCorrect CaseResult = "corrected" // 结果纠正
	ResultOther   CaseResult = "other"     // 其他结果
)

// CaseResults lists the results in report order.
func CaseResults() []CaseResult {
	return []CaseResult{ResultUpheld, ResultCorrect, ResultOther, ResultPending}
}

// Label is the result's column heading in the report.
func (r CaseResult) Label() string {
	switch r {
	case ResultUpheld:
		return "结果维持"
	case ResultCorrect:
		return "结果纠正"
	case ResultOther:
		return "其他结果"
	case ResultPending:
		return "尚未审结"
	}
	return string(r)
}

// Case is a reconsideration or lawsuit that followed an application.
type Case struct {
	ID            int64
	ApplicationID int64
	OrgID         int64
	Kind          CaseKind
	Body          string       // 复议机关 or 人民法院
	FiledOn       workday.Date // day filed
	Result        CaseResult
	DecidedOn     workday.Date // zero while pending
	Note          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (c *Case) validate() map[string]string {
	errs := map[string]string{}
	if !slices.Contains(CaseKinds(), c.Kind) {
		errs["kind"] = "请选择案件类型"
	}
	if !slices.Contains(CaseResults(), c.Result) {
		errs["result"] = "请选择结果"
	}
	if c.FiledOn.IsZero() {
		errs["filed_on"] = "请填写申请或起诉日期"
	}
	if c.Result != ResultPending && c.DecidedOn.IsZero() {
		errs["decided_on"] = "已审结的请填写决定或判决日期"
	}
	if c.Result == ResultPending && !c.DecidedOn.IsZero() {
		errs["decided_on"] = "尚未审结的不应填写决定日期"
	}
	if !c.DecidedOn.IsZero() && c.DecidedOn.Before(c.FiledOn) {
		errs["decided_on"] = "决定日期不能早于申请或起诉日期"
	}
	return errs
}

// Notification is a warning for staff in the admin: an application due
// soon or overdue. UserID 0 addresses the whole office of OrgID.
type Notification struct {
	ID            int64
	OrgID         int64
	UserID        int64
	ApplicationID int64
	Kind          string // "due_soon" or "overdue"
	Message       string
	Day           workday.Date // the day the warning is for; one per application, kind, user and day
	CreatedAt     time.Time
}
