package interact

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// Kind is what a message is. Values are what the database stores.
type Kind string

const (
	KindQuestion   Kind = "question"   // 咨询
	KindSuggestion Kind = "suggestion" // 建议
	KindComplaint  Kind = "complaint"  // 投诉
	KindHelp       Kind = "help"       // 求助
	KindDisclosure Kind = "disclosure" // 对政务公开工作的意见
)

// Kinds lists the kinds in the order forms show them.
func Kinds() []Kind {
	return []Kind{KindQuestion, KindSuggestion, KindComplaint, KindHelp, KindDisclosure}
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Label is the kind's name in Chinese.
func (k Kind) Label() string {
	switch k {
	case KindQuestion:
		return "咨询"
	case KindSuggestion:
		return "建议"
	case KindComplaint:
		return "投诉"
	case KindHelp:
		return "求助"
	case KindDisclosure:
		return "政务公开工作"
	}
	return string(k)
}

// State is where a message is in its handling. Values are what the
// database stores.
type State string

const (
	StateReceived State = "received" // submitted (or forwarded here), awaiting triage
	StateAccepted State = "accepted" // within scope, awaiting assignment
	StateAssigned State = "assigned" // with a section and handler, awaiting a reply
	StateDrafted  State = "drafted"  // a reply awaits the section head's approval
	StateAnswered State = "answered" // the approved reply was sent (and published if consented)
	StateRejected State = "rejected" // out of scope, with a reason the sender reads
)

// States lists the states in workflow order.
func States() []State {
	return []State{StateReceived, StateAccepted, StateAssigned, StateDrafted, StateAnswered, StateRejected}
}

// Label is the state's name in Chinese.
func (s State) Label() string {
	switch s {
	case StateReceived:
		return "待受理"
	case StateAccepted:
		return "已受理"
	case StateAssigned:
		return "办理中"
	case StateDrafted:
		return "答复待审核"
	case StateAnswered:
		return "已答复"
	case StateRejected:
		return "不予受理"
	}
	return string(s)
}

// Open reports whether a message in state s still awaits its answer.
func (s State) Open() bool { return s != StateAnswered && s != StateRejected }

// Sender is who left a message. It is personal data: it never goes to
// logs and never to a public page.
type Sender struct {
	Name  string
	Phone string
	Email string
}

// LogValue keeps the sender out of logs.
func (Sender) LogValue() slog.Value { return slog.StringValue("[sender]") }

// Message is one message (留言) to an org.
type Message struct {
	ID       int64
	OrgID    int64 // the org now handling it (changes when forwarded)
	QueryNo  string
	CodeHash string // hex SHA-256 of the query code with the number; the code is never stored
	Kind     Kind
	Subject  string
	Body     string
	Sender   Sender
	Consent  bool // the sender agrees to publication of question and answer

	State        State
	Section      string // the section (科室) handling it
	HandlerID    int64
	RejectReason string // for StateRejected; the sender reads it

	SubmittedAt time.Time
	ReceivedOn  workday.Date // day of receipt; the deadline counts from the next working day
	DueOn       workday.Date
	// DeadlineDays is the number of working days DueOn counts from
	// ReceivedOn (the org's setting when the message arrived or was
	// forwarded), kept so the due date can be recomputed when the
	// holiday calendar is corrected.
	DeadlineDays int
	AnsweredOn   workday.Date
	AnsweredAt   time.Time
	Late         bool // answered after DueOn

	// Published is set when the answer is on the public list; the Public*
	// fields are the screened and masked texts shown there, fixed when the
	// reply was approved.
	Published     bool
	PublicName    string
	PublicSubject string
	PublicBody    string
	PublicReply   string

	Fingerprint string // identifies the same text from the same address
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Reply  *Reply  // the latest reply draft; nil when none
	Rating *Rating // nil until rated
}

// Reply is a reply drafted by a handler and decided by the section head.
type Reply struct {
	ID          int64
	MessageID   int64
	Body        string
	Status      ReplyStatus
	DraftedBy   int64
	DraftedName string
	DraftedAt   time.Time
	DecidedBy   int64
	DecidedName string
	DecidedAt   time.Time
	Note        string // why it was returned
	Publish     bool   // the approver agreed to publish (only with the sender's consent)
}

// ReplyStatus is where a reply draft stands.
type ReplyStatus string

const (
	ReplyDraft    ReplyStatus = "draft"
	ReplyReturned ReplyStatus = "returned"
	ReplyApproved ReplyStatus = "approved"
)

// Level is a satisfaction level.
type Level string

const (
	LevelSatisfied   Level = "satisfied"   // 满意
	LevelBasic       Level = "basic"       // 基本满意
	LevelUnsatisfied Level = "unsatisfied" // 不满意
)

// Levels lists the levels for forms.
func Levels() []Level { return []Level{LevelSatisfied, LevelBasic, LevelUnsatisfied} }

// Label is the level's name.
func (l Level) Label() string {
	switch l {
	case LevelSatisfied:
		return "满意"
	case LevelBasic:
		return "基本满意"
	case LevelUnsatisfied:
		return "不满意"
	}
	return string(l)
}

// Rating is the sender's satisfaction with the answer.
type Rating struct {
	MessageID int64
	Level     Level
	Comment   string
	At        time.Time
}

// Limits on what a message may hold, in characters.
const (
	MaxSubject = 100
	MaxBody    = 3000
	MaxName    = 50
	MaxLinks   = 3 // links in subject and body together
	MaxComment = 500
	MaxReply   = 5000
	MaxNote    = 2000
)

var (
	phoneRe = regexp.MustCompile(`^[0-9+\-() ]{7,20}$`)
	linkRe  = regexp.MustCompile(`(?i)(https?://|www\.)`)
)

// CountLinks counts the web addresses in s.
func CountLinks(s string) int { return len(linkRe.FindAllStringIndex(s, -1)) }

// Normalize trims the message's text fields.
func (m *Message) Normalize() {
	for _, p := range []*string{&m.Subject, &m.Body, &m.Sender.Name, &m.Sender.Phone, &m.Sender.Email} {
		*p = strings.TrimSpace(*p)
	}
	m.Body = strings.ReplaceAll(m.Body, "\r\n", "\n")
}

// Validate checks a message as submitted and returns an *apperr.Invalid
// with a Chinese message for every bad field.
func (m *Message) Validate() error {
	inv := &apperr.Invalid{}
	if !m.Kind.Valid() {
		inv.Add("kind", "请选择留言类型")
	}
	if m.OrgID == 0 {
		inv.Add("org_id", "请选择留言对象")
	}
	textField(inv, "subject", m.Subject, "请填写留言标题", MaxSubject)
	textField(inv, "body", m.Body, "请填写留言内容", MaxBody)
	if n := CountLinks(m.Subject) + CountLinks(m.Body); n > MaxLinks {
		inv.Add("body", "留言中的网址不能超过3个")
	}
	textField(inv, "name", m.Sender.Name, "请填写姓名", MaxName)
	if m.Sender.Phone == "" {
		inv.Add("phone", "请填写联系电话，以便工作人员与您联系")
	} else if !phoneRe.MatchString(m.Sender.Phone) {
		inv.Add("phone", "联系电话格式不正确")
	}
	if m.Sender.Email != "" {
		if a, err := mail.ParseAddress(m.Sender.Email); err != nil || a.Address != m.Sender.Email || utf8.RuneCountInString(m.Sender.Email) > 100 {
			inv.Add("email", "电子邮箱格式不正确")
		}
	}
	return inv.Err()
}

// textField checks a required text with a maximum length.
func textField(inv *apperr.Invalid, field, v, missing string, max int) {
	switch {
	case v == "":
		inv.Add(field, missing)
	case utf8.RuneCountInString(v) > max:
		inv.Add(field, "不能超过"+strconv.Itoa(max)+"字")
	}
}

// Fingerprint identifies the same text sent from the same address, so a
// message submitted twice within minutes is recognised. ipKey is the
// client address (kept only inside this hash).
func Fingerprint(ipKey string, orgID int64, subject, body string) string {
	b, _ := json.Marshal([]any{ipKey, orgID, strings.Join(strings.Fields(subject), " "), strings.Join(strings.Fields(body), " ")})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Query numbers and codes.

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported systems
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// NewQueryNo returns a query number for a message submitted at t, such as
// LY20260302-123456.
func NewQueryNo(t time.Time) string {
	return "LY" + t.In(China).Format("20060102") + "-" + randomString("0123456789", 6)
}

// NewQueryCode returns a query code of 10 characters (about 50 bits).
func NewQueryCode() string { return randomString(codeAlphabet, 10) }

// HashCode returns what is stored for a query code: the hex SHA-256 of the
// number and the code, upper-cased and without spaces.
func HashCode(queryNo, code string) string {
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	sum := sha256.Sum256([]byte("gongkai-interact-code\x00" + queryNo + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// NormalizeQueryNo upper-cases and trims a typed query number.
func NormalizeQueryNo(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// equalHex compares two hex digests in constant time for equal lengths.
func equalHex(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// China is the time zone in which days of receipt and due dates are
// reckoned.
var China = time.FixedZone("CST", 8*3600)

// Today returns the calendar day of t in China.
func Today(t time.Time) workday.Date { return workday.DateOf(t.In(China)) }
