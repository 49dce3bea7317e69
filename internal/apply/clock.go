package apply

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gongkai/internal/workday"
)

// Channel is how an application reached the agency. Its value decides the
// date of receipt (条例 art. 31).
type Channel string

const (
	ChannelInPerson Channel = "in_person" // 当面提交
	ChannelPost     Channel = "post"      // 邮寄（需签收）
	ChannelLetter   Channel = "letter"    // 平常信函等无需签收的邮寄
	ChannelOnline   Channel = "online"    // 互联网渠道
	ChannelFax      Channel = "fax"       // 政府信息公开工作机构的传真
)

// Channels lists every channel.
func Channels() []Channel {
	return []Channel{ChannelInPerson, ChannelPost, ChannelLetter, ChannelOnline, ChannelFax}
}

// PaperChannels lists the channels staff register by hand.
func PaperChannels() []Channel {
	return []Channel{ChannelInPerson, ChannelPost, ChannelLetter, ChannelFax}
}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels(), c) }

// Label is the channel's name.
func (c Channel) Label() string {
	switch c {
	case ChannelInPerson:
		return "当面提交"
	case ChannelPost:
		return "邮寄（签收）"
	case ChannelLetter:
		return "平常信函"
	case ChannelOnline:
		return "互联网"
	case ChannelFax:
		return "传真"
	}
	return string(c)
}

// ReceiptRule states which day is the date of receipt for the channel,
// quoting 条例 art. 31.
func (c Channel) ReceiptRule() string {
	switch c {
	case ChannelInPerson:
		// 条例 art. 31(1).
		return "申请人当面提交的，以提交之日为收到申请之日（《条例》第三十一条第一项）"
	case ChannelPost:
		// 条例 art. 31(2), first clause.
		return "以邮寄方式提交的，以行政机关签收之日为收到申请之日（《条例》第三十一条第二项）"
	case ChannelLetter:
		// 条例 art. 31(2), second clause.
		return "以平常信函等无需签收的邮寄方式提交的，于收到申请的当日与申请人确认，确认之日为收到申请之日（《条例》第三十一条第二项）"
	case ChannelOnline:
		// 条例 art. 31(3).
		return "通过互联网渠道提交的，以双方确认之日为收到申请之日（《条例》第三十一条第三项）"
	case ChannelFax:
		// 条例 art. 31(3).
		return "通过传真提交的，以双方确认之日为收到申请之日（《条例》第三十一条第三项）"
	}
	return ""
}

// ReceiptLabel names the date that makes the date of receipt on the
// channel, for forms: 提交日期, 签收日期 or 确认日期.
func (c Channel) ReceiptLabel() string {
	switch c {
	case ChannelInPerson:
		return "提交日期"
	case ChannelPost:
		return "签收日期"
	}
	return "确认日期"
}

// Statutory periods in working days.
const (
	// ReplyDays: 条例 art. 33 ¶2, "应当自收到申请之日起20个工作日内予以答复".
	ReplyDays = 20
	// MaxExtensionDays: 条例 art. 33 ¶2, "延长的期限最长不得超过20个工作日".
	MaxExtensionDays = 20
	// CorrectionNoticeDays: 条例 art. 30, "自收到申请之日起7个工作日内一次性告知申请人作出补正".
	CorrectionNoticeDays = 7
	// ConsultationDays: 条例 arts. 32 and 34, the third party or other
	// agency answers "自收到征求意见书之日起15个工作日内".
	ConsultationDays = 15
	// WarnDays: the dashboard marks applications due within this many
	// working days.
	WarnDays = 3
)

// EventKind names a step in an application's life.
type EventKind string

const (
	EvSubmitted           EventKind = "submitted"            // online submission, or staff registration
	EvReceived            EventKind = "received"             // date of receipt fixed (art. 31)
	EvAssigned            EventKind = "assigned"             // handler assigned
	EvCorrectionRequested EventKind = "correction_requested" // 补正告知 sent (art. 30)
	EvCorrected           EventKind = "corrected"            // corrected application received (art. 30): the clock restarts
	EvConsultStarted      EventKind = "consult_started"      // 征求意见书 sent (arts. 32, 34): the clock stops
	EvConsultEnded        EventKind = "consult_ended"        // opinion received: the clock runs again
	EvExtended            EventKind = "extended"             // extension approved, applicant told (art. 33)
	EvDeferred            EventKind = "deferred"             // a later reasonable deadline set and told (art. 35)
	EvAnswered            EventKind = "answered"             // outcome decided, reply notice issued
	EvDelivered           EventKind = "delivered"            // reply delivered to the applicant
	EvCalendarChanged     EventKind = "calendar_changed"     // the holiday calendar changed; due date recomputed
	EvNote                EventKind = "note"                 // anything else worth recording
)

// Label is the event's name in Chinese.
func (k EventKind) Label() string {
	switch k {
	case EvSubmitted:
		return "提交申请"
	case EvReceived:
		return "确认收到申请"
	case EvAssigned:
		return "分配经办人"
	case EvCorrectionRequested:
		return "告知补正"
	case EvCorrected:
		return "收到补正后的申请"
	case EvConsultStarted:
		return "征求意见"
	case EvConsultEnded:
		return "收到意见"
	case EvExtended:
		return "延长答复期限"
	case EvDeferred:
		return "确定延迟答复期限"
	case EvAnswered:
		return "作出答复"
	case EvDelivered:
		return "送达"
	case EvCalendarChanged:
		return "节假日安排调整"
	case EvNote:
		return "备注"
	}
	return string(k)
}

// Public reports whether the event is shown on the public tracking page.
func (k EventKind) Public() bool {
	switch k {
	case EvSubmitted, EvReceived, EvCorrectionRequested, EvCorrected, EvConsultStarted, EvConsultEnded, EvExtended, EvDeferred, EvAnswered, EvDelivered:
		return true
	}
	return false
}

// Party is whom a consultation asks.
type Party string

const (
	PartyThird  Party = "third_party" // 第三方 (art. 32)
	PartyAgency Party = "agency"      // 其他行政机关 (art. 34)
)

// Label is the party's name.
func (p Party) Label() string {
	switch p {
	case PartyThird:
		return "第三方"
	case PartyAgency:
		return "其他行政机关"
	}
	return string(p)
}

// Event is one step in an application's life. On is the day that counts
// for the clock (the day a notice was sent or a document received), which
// may be earlier than At, when it was recorded.
type Event struct {
	ID            int64
	ApplicationID int64
	Kind          EventKind
	On            workday.Date
	At            time.Time
	ActorID       int64
	ActorName     string
	Note          string       // what must be clarified, whom was consulted, ...; staff-only unless the kind is Public
	Days          int          // extension: working days granted
	Party         Party        // consultation
	Until         workday.Date // correction: the applicant's period to correct; extension: day applicant was told
}

// Clock is the statutory clock of one application as of a day: when it
// was received, when the reply is due, and how that was computed.
type Clock struct {
	Received workday.Date // zero until the date of receipt is known
	Start    workday.Date // the day counting starts after (receipt or corrected application)
	Due      workday.Date // reply due; zero while not running (no receipt yet, awaiting correction)

	CorrectionDue      workday.Date // last day for a correction notice (art. 30)
	CorrectionLate     bool         // a correction notice went out after CorrectionDue
	AwaitingCorrection bool
	CorrectionUntil    workday.Date // the applicant's period to correct
	CorrectionExpired  bool         // awaiting correction and the period has passed

	Consulting    bool // a consultation is open: the clock stands still
	PausedDays    int  // working days excluded for consultations
	ExtensionDays int
	Deferred      workday.Date // a later deadline set under art. 35; zero when none

	Answered workday.Date // zero until answered
	Late     bool         // answered after Due

	Provisional bool  // a year the computation needed has no holiday schedule
	Missing     []int // those years
	Holidays    []workday.Date
	Makeup      []workday.Date

	Steps []string // how Due was computed, in Chinese, one line per step
}

// Running reports whether the reply clock is running (received, not
// awaiting correction, not answered).
func (c Clock) Running() bool { return !c.Due.IsZero() && c.Answered.IsZero() }

// Overdue reports whether the reply is late as of today.
func (c Clock) Overdue(today workday.Date) bool { return c.Running() && today.After(c.Due) }

// DueSoon reports whether the reply falls due within WarnDays working days
// of today (and is not yet overdue).
func (c Clock) DueSoon(cal *workday.Calendar, today workday.Date) bool {
	if !c.Running() || today.After(c.Due) {
		return false
	}
	r, err := cal.Between(today, c.Due)
	return err == nil && r.Days <= WarnDays
}

type pause struct {
	from, to workday.Date // excluded: working days after from through to
	party    Party
	open     bool
}

// Compute returns the clock of an application that arrived on channel and
// has the given events (in the order they happened), as of today. It is
// pure: the same events, calendar and day give the same clock.
//
// The rules, from 条例 arts. 30–34 and the decisions in REGULATIONS.md:
//   - the reply is due 20 working days after the date of receipt, counting
//     from the next day (art. 33; counting convention per 民法典 art. 201);
//   - a correction notice is due within 7 working days of receipt; while
//     the applicant corrects, the clock does not run, and it starts again
//     from the day the corrected application arrives (art. 30);
//   - the working days from the day after a consultation letter is sent up
//     to the day the opinion arrives do not count, at most the 15 working
//     days the consulted party has to answer (arts. 32–34);
//   - one extension of at most 20 working days (art. 33).
func Compute(cal *workday.Calendar, ch Channel, events []Event, today workday.Date) Clock {
	return Rules{}.Compute(cal, ch, events, today)
}

// Counting is when a working-day period starts. The 条例 does not say
// (REGULATIONS.md §1.5 [U]); the default follows 民法典 art. 201 ("开始的当日不计入，
// 自下一日开始计算"), and an installation may choose otherwise.
type Counting string

const (
	CountNextDay Counting = "next_day" // the default: the day of receipt is not counted
	CountSameDay Counting = "same_day" // the day of receipt counts when it is a working day
)

// Valid reports whether c is a known convention ("" means the default).
func (c Counting) Valid() bool { return c == "" || c == CountNextDay || c == CountSameDay }

// Rules are an installation's settings for the clock. The zero Rules are
// the defaults.
type Rules struct {
	Counting Counting
}

// Compute is the package-level Compute under r.
func (r Rules) Compute(cal *workday.Calendar, ch Channel, events []Event, today workday.Date) Clock {
	// base is the day a period of working days is counted after.
	base := func(d workday.Date) workday.Date {
		if r.Counting == CountSameDay {
			return d.AddDays(-1)
		}
		return d
	}
	var c Clock
	var (
		start     workday.Date
		startRule string
		pauses    []pause
		extension Event
		extended  bool
		deferral  Event
		restarts  int
	)
	missing := map[int]bool{}
	note := func(r workday.Result) {
		for _, y := range r.Missing {
			missing[y] = true
		}
	}
	add := func(from workday.Date, n int) workday.Date {
		r, err := cal.Add(base(from), n)
		if err != nil {
			return workday.Date{}
		}
		note(r)
		return r.To
	}
	for _, e := range events {
		switch e.Kind {
		case EvReceived:
			if !c.Received.IsZero() {
				continue // the first fixed date of receipt stands
			}
			c.Received, start = e.On, e.On
			startRule = ch.ReceiptRule()
			c.Steps = append(c.Steps, fmt.Sprintf("%s 收到申请（%s渠道）：%s。", e.On, ch.Label(), startRule))
			c.CorrectionDue = add(e.On, CorrectionNoticeDays)
			c.Steps = append(c.Steps, fmt.Sprintf("如申请内容不明确，应于 %s 前一次性告知补正（自收到申请之日起%d个工作日，《条例》第三十条）。", c.CorrectionDue, CorrectionNoticeDays))
		case EvCorrectionRequested:
			if start.IsZero() || !c.Answered.IsZero() {
				continue
			}
			c.AwaitingCorrection = true
			c.CorrectionUntil = e.Until
			due := c.CorrectionDue
			if restarts > 0 {
				due = add(start, CorrectionNoticeDays)
			}
			line := fmt.Sprintf("%s 告知申请人补正", e.On)
			if !e.Until.IsZero() {
				line += fmt.Sprintf("，补正期限至 %s", e.Until)
			}
			line += "；补正期间答复期限暂不计算，收到补正后的申请之日起重新计算（《条例》第三十条）。"
			if e.On.After(due) {
				c.CorrectionLate = true
				line += fmt.Sprintf("注意：补正告知晚于 %s，超过了7个工作日的告知期限。", due)
			}
			c.Steps = append(c.Steps, line)
		case EvCorrected:
			if !c.AwaitingCorrection {
				continue
			}
			c.AwaitingCorrection, c.CorrectionUntil = false, workday.Date{}
			start, restarts = e.On, restarts+1
			// Art. 30: "答复期限自行政机关收到补正的申请之日起计算": a
			// restart, so pauses and extension before it no longer count.
			pauses, extended, extension, deferral = nil, false, Event{}, Event{}
			c.Steps = append(c.Steps, fmt.Sprintf("%s 收到补正后的申请，答复期限自该日起重新计算（《条例》第三十条）。", e.On))
		case EvConsultStarted:
			if start.IsZero() || !c.Answered.IsZero() || (len(pauses) > 0 && pauses[len(pauses)-1].open) {
				continue
			}
			pauses = append(pauses, pause{from: e.On, party: e.Party, open: true})
		case EvConsultEnded:
			if n := len(pauses); n > 0 && pauses[n-1].open {
				pauses[n-1].to, pauses[n-1].open = e.On, false
			}
		case EvExtended:
			if start.IsZero() || extended || !c.Answered.IsZero() {
				continue
			}
			extended, extension = true, e
		case EvDeferred:
			if start.IsZero() || !c.Answered.IsZero() {
				continue
			}
			deferral = e // the latest decision stands
		case EvAnswered:
			if c.Answered.IsZero() {
				c.Answered = e.On
			}
		}
	}
	if start.IsZero() {
		c.Steps = append(c.Steps, "尚未确认收到申请："+ch.ReceiptRule()+"。确认后开始计算答复期限。")
		return c.finish(missing)
	}
	c.Start = start
	if c.AwaitingCorrection {
		if !c.CorrectionUntil.IsZero() && today.After(c.CorrectionUntil) {
			c.CorrectionExpired = true
			c.Steps = append(c.Steps, fmt.Sprintf("补正期限已于 %s 届满，申请人无正当理由逾期不补正的，视为放弃申请（《条例》第三十条），可按“其他处理”办结。", c.CorrectionUntil))
		}
		return c.finish(missing)
	}
	if r.Counting == CountSameDay {
		c.Steps = append(c.Steps, fmt.Sprintf("答复期限：自 %s 当日起计算%d个工作日（《条例》第三十三条第二款；按本机关设置，收到当日为工作日的计入）。", start, ReplyDays))
	} else {
		c.Steps = append(c.Steps, fmt.Sprintf("答复期限：自 %s 的次日起计算%d个工作日（《条例》第三十三条第二款；期间开始的当日不计入）。", start, ReplyDays))
	}
	for _, p := range pauses {
		end, limit := p.to, add(p.from, ConsultationDays)
		if p.open {
			end = today
			c.Consulting = true
		}
		capped := false
		if end.After(limit) {
			end, capped = limit, true
		}
		days := 0
		if end.After(p.from) {
			r, err := cal.Between(p.from, end)
			if err == nil {
				note(r)
				days = r.Days
			}
		}
		c.PausedDays += days
		var line string
		switch {
		case p.open && capped:
			line = fmt.Sprintf("%s 起征求%s意见，尚未收到意见；对方应于 %s 前提出意见，逾期的期间不再扣除，共扣除%d个工作日", p.from, p.party.Label(), limit, days)
		case p.open:
			line = fmt.Sprintf("%s 起征求%s意见，尚未收到意见：答复期限暂停计算，截至今日（%s）扣除%d个工作日，收到意见前到期日随之顺延", p.from, p.party.Label(), today, days)
		case capped:
			line = fmt.Sprintf("%s 征求%s意见，%s 收到意见；意见期限 %s 届满后的时间不再扣除，共扣除%d个工作日", p.from, p.party.Label(), p.to, limit, days)
		default:
			line = fmt.Sprintf("%s 征求%s意见，%s 收到意见，期间%d个工作日不计入答复期限", p.from, p.party.Label(), p.to, days)
		}
		c.Steps = append(c.Steps, line+"（《条例》第三十二条、第三十三条第三款、第三十四条）。")
	}
	if extended {
		c.ExtensionDays = extension.Days
		line := fmt.Sprintf("%s 经政府信息公开工作机构负责人同意延长答复期限%d个工作日", extension.On, extension.Days)
		if extension.ActorName != "" {
			line += "（批准人：" + extension.ActorName + "）"
		}
		if !extension.Until.IsZero() {
			line += fmt.Sprintf("，%s 已告知申请人", extension.Until)
		}
		c.Steps = append(c.Steps, line+"（《条例》第三十三条第二款，延长最长不超过20个工作日）。")
	}
	total := ReplyDays + c.PausedDays + c.ExtensionDays
	if res, err := cal.Add(base(start), total); err == nil {
		note(res)
		c.Due = res.To
		c.Holidays, c.Makeup = res.Holidays, res.Makeup
	}
	if len(c.Holidays) > 0 {
		c.Steps = append(c.Steps, "期间经过的法定节假日（不计算）："+joinDates(c.Holidays)+"。")
	}
	if len(c.Makeup) > 0 {
		c.Steps = append(c.Steps, "期间经过的调休上班日（计算在内）："+joinDates(c.Makeup)+"。")
	}
	line := fmt.Sprintf("答复期限届满日：%s（%d个工作日", c.Due, ReplyDays)
	if c.PausedDays > 0 {
		line += fmt.Sprintf("，另加征求意见扣除的%d个工作日", c.PausedDays)
	}
	if c.ExtensionDays > 0 {
		line += fmt.Sprintf("，另加延长的%d个工作日", c.ExtensionDays)
	}
	c.Steps = append(c.Steps, line+"）。")
	// 条例 art. 35: for applications whose number or frequency clearly
	// exceeds a reasonable range, the agency "可以确定延迟答复的合理期限并告知申请人".
	if !deferral.Until.IsZero() && deferral.Until.After(c.Due) {
		c.Deferred, c.Due = deferral.Until, deferral.Until
		c.Steps = append(c.Steps, fmt.Sprintf("%s 依《条例》第三十五条确定延迟答复的合理期限至 %s，并告知申请人；答复期限以此为准。", deferral.On, deferral.Until))
	}
	if !c.Answered.IsZero() {
		c.Late = c.Answered.After(c.Due)
		if c.Late {
			c.Steps = append(c.Steps, fmt.Sprintf("%s 作出答复，超过答复期限。", c.Answered))
		} else {
			c.Steps = append(c.Steps, fmt.Sprintf("%s 作出答复，在答复期限内。", c.Answered))
		}
	}
	return c.finish(missing)
}

func (c Clock) finish(missing map[int]bool) Clock {
	if len(missing) > 0 {
		c.Provisional = true
		for y := range missing {
			c.Missing = append(c.Missing, y)
		}
		slices.Sort(c.Missing)
		ys := make([]string, len(c.Missing))
		for i, y := range c.Missing {
			ys[i] = fmt.Sprintf("%d年", y)
		}
		c.Steps = append(c.Steps, "注意："+strings.Join(ys, "、")+"的国务院节假日安排尚未录入日历，以上日期按周末推算，为暂定日期；录入后自动重新计算。")
	}
	return c
}

func joinDates(ds []workday.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "、")
}

// China is the time zone in which dates of receipt and due dates are
// reckoned.
var China = time.FixedZone("CST", 8*3600)

// Today returns the calendar day of t in China.
func Today(t time.Time) workday.Date { return workday.DateOf(t.In(China)) }
