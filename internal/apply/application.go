package apply

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
	"gongkai/internal/screening"
	"gongkai/internal/workday"
)

// ApplicantKind says whether the applicant is a natural person or a legal
// person or other organisation; the annual report counts them apart.
type ApplicantKind string

const (
	ApplicantPerson ApplicantKind = "person" // 自然人
	ApplicantOrg    ApplicantKind = "org"    // 法人或其他组织
)

// Label is the kind's name in Chinese.
func (k ApplicantKind) Label() string {
	switch k {
	case ApplicantPerson:
		return "自然人"
	case ApplicantOrg:
		return "法人或其他组织"
	}
	return string(k)
}

// OrgType is the sub-type of an organisation applicant, as the columns of
// the national report's table 三 count them (REGULATIONS.md §2.3).
type OrgType string

const (
	OrgBusiness OrgType = "business" // 商业企业
	OrgResearch OrgType = "research" // 科研机构
	OrgCharity  OrgType = "charity"  // 社会公益组织
	OrgLegal    OrgType = "legal"    // 法律服务机构
	OrgOther    OrgType = "other"    // 其他
)

// OrgTypes lists the sub-types in the report's column order.
func OrgTypes() []OrgType { return []OrgType{OrgBusiness, OrgResearch, OrgCharity, OrgLegal, OrgOther} }

// Label is the report's column heading.
func (t OrgType) Label() string {
	switch t {
	case OrgBusiness:
		return "商业企业"
	case OrgResearch:
		return "科研机构"
	case OrgCharity:
		return "社会公益组织"
	case OrgLegal:
		return "法律服务机构"
	case OrgOther:
		return "其他"
	}
	return string(t)
}

// IDType is the kind of identity document a natural person gives
// (条例 art. 29(1) asks for 身份证明).
type IDType string

const (
	IDResident IDType = "resident" // 居民身份证
	IDPassport IDType = "passport" // 护照
	IDHKMacao  IDType = "hkmo"     // 港澳居民来往内地通行证
	IDTaiwan   IDType = "tw"       // 台湾居民来往大陆通行证
	IDOther    IDType = "other"    // 其他有效身份证件
)

// IDTypes lists the document types for forms.
func IDTypes() []IDType { return []IDType{IDResident, IDPassport, IDHKMacao, IDTaiwan, IDOther} }

// Label is the document type's name.
func (t IDType) Label() string {
	switch t {
	case IDResident:
		return "居民身份证"
	case IDPassport:
		return "护照"
	case IDHKMacao:
		return "港澳居民来往内地通行证"
	case IDTaiwan:
		return "台湾居民来往大陆通行证"
	case IDOther:
		return "其他有效身份证件"
	}
	return string(t)
}

// Form is the form in which the applicant wants the information
// (条例 art. 29(3), art. 40).
type Form string

const (
	FormPaper      Form = "paper"      // 纸质文本
	FormElectronic Form = "electronic" // 电子文档
	FormDisc       Form = "disc"       // 光盘
	FormOther      Form = "other"      // 其他
)

// Forms lists the forms for the application form.
func Forms() []Form { return []Form{FormPaper, FormElectronic, FormDisc, FormOther} }

// Label is the form's name.
func (f Form) Label() string {
	switch f {
	case FormPaper:
		return "纸质文本"
	case FormElectronic:
		return "电子文档"
	case FormDisc:
		return "光盘"
	case FormOther:
		return "其他"
	}
	return string(f)
}

// Way is how the applicant wants to receive the information or the reply
// (获取信息的方式、途径, 条例 art. 29(3)); it is also how a reply is delivered.
type Way string

const (
	WayPost    Way = "post"    // 邮寄
	WayPickup  Way = "pickup"  // 当面领取
	WayEmail   Way = "email"   // 电子邮件
	WayFax     Way = "fax"     // 传真
	WayOnline  Way = "online"  // 网上获取
	WayInspect Way = "inspect" // 现场查阅、抄录
)

// Ways lists the ways for forms.
func Ways() []Way { return []Way{WayPost, WayPickup, WayEmail, WayFax, WayOnline, WayInspect} }

// Label is the way's name.
func (w Way) Label() string {
	switch w {
	case WayPost:
		return "邮寄"
	case WayPickup:
		return "当面领取"
	case WayEmail:
		return "电子邮件"
	case WayFax:
		return "传真"
	case WayOnline:
		return "网上获取"
	case WayInspect:
		return "现场查阅、抄录"
	}
	return string(w)
}

// Applicant is who applies: a natural person or an organisation, with
// identity and contact data (条例 art. 29(1)). It is personal data: it never
// goes to logs (LogValue) and never to the public tracking page.
type Applicant struct {
	Kind ApplicantKind
	Name string // the person's name or the organisation's name

	IDType   IDType // natural person
	IDNumber string // natural person

	CreditCode string  // organisation: 统一社会信用代码
	LegalRep   string  // organisation: 法定代表人或负责人
	Contact    string  // organisation: contact person
	OrgType    OrgType // organisation

	Phone    string
	Email    string
	Address  string
	Postcode string
}

// LogValue keeps the applicant's personal data out of logs.
func (a Applicant) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", string(a.Kind)))
}

// ReportColumn is the applicant's column in the national report's table 三:
// 自然人 or the organisation's sub-type.
func (a Applicant) ReportColumn() string {
	if a.Kind == ApplicantPerson {
		return "自然人"
	}
	return a.OrgType.Label()
}

// Application is one request for government information.
type Application struct {
	ID         int64
	OrgID      int64
	TrackingNo string // public number the applicant quotes
	CodeHash   string // hex SHA-256 of the query code with the tracking number; the code itself is never stored
	Channel    Channel
	Applicant  Applicant

	Description string // the information wanted (名称或特征性描述, 条例 art. 29(2))
	DocNo       string // optional 文号
	IndexNo     string // optional 索引号
	Form        Form
	Way         Way

	SubmittedAt time.Time    // when the applicant submitted (online) or staff registered it
	ReceivedOn  workday.Date // date of receipt under art. 31; zero until known
	HandlerID   int64        // staff user handling it; 0 when unassigned

	State   State
	Outcome Outcome // zero until answered

	// Cached from the clock for lists and the dashboard; Compute is the
	// source of truth.
	DueOn          workday.Date
	DueProvisional bool
	Late           bool // answered after the due date

	Fingerprint string // identifies the same application submitted twice
	Digest      string // hex SHA-256 of what was submitted, as signed in the receipt
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Events []Event // in order; loaded with the application
}

// Open reports whether the application still awaits an answer.
func (a *Application) Open() bool {
	return a.State != StateAnswered && a.State != StateClosed
}

var (
	phoneRe    = regexp.MustCompile(`^[0-9+\-() ]{7,20}$`)
	postcodeRe = regexp.MustCompile(`^[0-9]{6}$`)
	passportRe = regexp.MustCompile(`^[0-9A-Za-z]{5,20}$`)
)

// Normalize trims every text field and upper-cases ID numbers and credit
// codes, so that validation, duplicate detection and storage see one form.
func (a *Application) Normalize() {
	p := &a.Applicant
	for _, s := range []*string{&p.Name, &p.IDNumber, &p.CreditCode, &p.LegalRep, &p.Contact, &p.Phone, &p.Email, &p.Address, &p.Postcode,
		&a.Description, &a.DocNo, &a.IndexNo} {
		*s = strings.TrimSpace(*s)
	}
	p.IDNumber = strings.ToUpper(p.IDNumber)
	p.CreditCode = strings.ToUpper(p.CreditCode)
	if p.Kind == ApplicantPerson {
		p.CreditCode, p.LegalRep, p.Contact, p.OrgType = "", "", "", ""
	} else if p.Kind == ApplicantOrg {
		p.IDType, p.IDNumber = "", ""
	}
}

// MaxDescription is the longest description accepted, in characters.
const MaxDescription = 5000

// Validate checks the application's content (条例 art. 29) and returns an
// *apperr.Invalid naming every bad field, in Chinese. now is used to check
// the birth date inside a resident ID number.
func (a *Application) Validate(now time.Time) error {
	inv := &apperr.Invalid{}
	p := a.Applicant
	switch p.Kind {
	case ApplicantPerson:
		if p.Name == "" {
			inv.Add("name", "请填写申请人姓名")
		} else if utf8.RuneCountInString(p.Name) > 50 {
			inv.Add("name", "姓名不能超过50个字")
		}
		switch p.IDType {
		case IDResident:
			if p.IDNumber == "" {
				inv.Add("id_number", "请填写证件号码")
			} else if !screening.ValidIDNumber(p.IDNumber, now) {
				inv.Add("id_number", "公民身份号码不正确，请核对18位号码（最后一位校验码可能是X）")
			}
		case IDPassport, IDHKMacao, IDTaiwan, IDOther:
			if p.IDNumber == "" {
				inv.Add("id_number", "请填写证件号码")
			} else if !passportRe.MatchString(p.IDNumber) {
				inv.Add("id_number", "证件号码应为5至20位字母或数字")
			}
		default:
			inv.Add("id_type", "请选择证件类型")
		}
	case ApplicantOrg:
		if p.Name == "" {
			inv.Add("name", "请填写单位名称")
		} else if utf8.RuneCountInString(p.Name) > 100 {
			inv.Add("name", "单位名称不能超过100个字")
		}
		if p.CreditCode == "" {
			inv.Add("credit_code", "请填写统一社会信用代码")
		} else if !screening.ValidCreditCode(p.CreditCode) {
			inv.Add("credit_code", "统一社会信用代码不正确，请核对18位代码及最后一位校验码")
		}
		if p.LegalRep == "" {
			inv.Add("legal_rep", "请填写法定代表人或负责人")
		}
		if p.Contact == "" {
			inv.Add("contact", "请填写联系人")
		}
		if !validOrgType(p.OrgType) {
			inv.Add("org_type", "请选择单位类型")
		}
	default:
		inv.Add("kind", "请选择申请人类型")
	}
	if p.Phone == "" {
		inv.Add("phone", "请填写联系电话")
	} else if !phoneRe.MatchString(p.Phone) {
		inv.Add("phone", "联系电话格式不正确")
	}
	if p.Email != "" {
		if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != p.Email {
			inv.Add("email", "电子邮箱格式不正确")
		}
	}
	if p.Postcode != "" && !postcodeRe.MatchString(p.Postcode) {
		inv.Add("postcode", "邮政编码应为6位数字")
	}
	if a.Way == WayPost && p.Address == "" {
		inv.Add("address", "选择邮寄方式时请填写通信地址")
	}
	if a.Way == WayEmail && p.Email == "" {
		inv.Add("email", "选择电子邮件方式时请填写电子邮箱")
	}
	if a.Description == "" {
		inv.Add("description", "请描述所需政府信息的名称、文号或便于查询的其他特征")
	} else if utf8.RuneCountInString(a.Description) > MaxDescription {
		inv.Add("description", "所需信息描述不能超过5000字")
	}
	if utf8.RuneCountInString(a.DocNo) > 100 {
		inv.Add("doc_no", "文号不能超过100个字")
	}
	if utf8.RuneCountInString(a.IndexNo) > 100 {
		inv.Add("index_no", "索引号不能超过100个字")
	}
	if !validForm(a.Form) {
		inv.Add("form", "请选择信息的提供形式")
	}
	if !validWay(a.Way) {
		inv.Add("way", "请选择获取信息的方式")
	}
	if !a.Channel.Valid() {
		inv.Add("channel", "请选择申请渠道")
	}
	return inv.Err()
}

func validOrgType(t OrgType) bool {
	for _, x := range OrgTypes() {
		if x == t {
			return true
		}
	}
	return false
}

func validForm(f Form) bool {
	for _, x := range Forms() {
		if x == f {
			return true
		}
	}
	return false
}

func validWay(w Way) bool {
	for _, x := range Ways() {
		if x == w {
			return true
		}
	}
	return false
}

// submitted is the canonical content of an application for its digest:
// what the applicant submitted, in a fixed order.
type submitted struct {
	Org         int64     `json:"org"`
	Channel     Channel   `json:"channel"`
	Applicant   Applicant `json:"applicant"`
	Description string    `json:"description"`
	DocNo       string    `json:"doc_no"`
	IndexNo     string    `json:"index_no"`
	Form        Form      `json:"form"`
	Way         Way       `json:"way"`
	Files       []string  `json:"files"` // hex SHA-256 of each upload
	SubmittedAt string    `json:"submitted_at"`
}

// ComputeDigest returns the hex SHA-256 of the application's submitted
// content with the SHA-256 of each uploaded file, the value a receipt
// signs.
func ComputeDigest(a *Application, fileHashes []string) string {
	b, err := json.Marshal(submitted{Org: a.OrgID, Channel: a.Channel, Applicant: a.Applicant, Description: a.Description,
		DocNo: a.DocNo, IndexNo: a.IndexNo, Form: a.Form, Way: a.Way, Files: fileHashes,
		SubmittedAt: a.SubmittedAt.UTC().Format(time.RFC3339)})
	if err != nil {
		panic(err) // strings and integers always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Fingerprint identifies an application by who asks what of whom, so the
// same application submitted twice within minutes is recognised.
func Fingerprint(a *Application) string {
	id := a.Applicant.IDNumber
	if a.Applicant.Kind == ApplicantOrg {
		id = a.Applicant.CreditCode
	}
	desc := strings.Join(strings.Fields(a.Description), " ")
	b, _ := json.Marshal([]any{a.OrgID, a.Applicant.Kind, a.Applicant.Name, id, desc, a.DocNo, a.IndexNo})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
