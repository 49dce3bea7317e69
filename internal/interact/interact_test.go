package interact_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/interact"
	"gongkai/internal/workday"
)

func TestNext(t *testing.T) {
	tests := []struct {
		name    string
		from    interact.State
		act     interact.Action
		want    interact.State
		wantErr bool
	}{
		{name: "new message is accepted", from: interact.StateReceived, act: interact.ActAccept, want: interact.StateAccepted},
		{name: "new message is rejected as out of scope", from: interact.StateReceived, act: interact.ActReject, want: interact.StateRejected},
		{name: "forwarded message is received afresh", from: interact.StateReceived, act: interact.ActForward, want: interact.StateReceived},
		{name: "accepted message is forwarded", from: interact.StateAccepted, act: interact.ActForward, want: interact.StateReceived},
		{name: "accepted message is assigned", from: interact.StateAccepted, act: interact.ActAssign, want: interact.StateAssigned},
		{name: "assigned message is reassigned", from: interact.StateAssigned, act: interact.ActAssign, want: interact.StateAssigned},
		{name: "handler drafts a reply", from: interact.StateAssigned, act: interact.ActDraft, want: interact.StateDrafted},
		{name: "handler redrafts", from: interact.StateDrafted, act: interact.ActDraft, want: interact.StateDrafted},
		{name: "section head returns the draft", from: interact.StateDrafted, act: interact.ActReturn, want: interact.StateAssigned},
		{name: "section head approves the draft", from: interact.StateDrafted, act: interact.ActApprove, want: interact.StateAnswered},
		{name: "sender rates an answer", from: interact.StateAnswered, act: interact.ActRate, want: interact.StateAnswered},
		{name: "no draft before triage", from: interact.StateReceived, act: interact.ActDraft, wantErr: true},
		{name: "no approval without a draft", from: interact.StateAssigned, act: interact.ActApprove, wantErr: true},
		{name: "no approval of an unassigned message", from: interact.StateAccepted, act: interact.ActApprove, wantErr: true},
		{name: "no rating before the answer", from: interact.StateDrafted, act: interact.ActRate, wantErr: true},
		{name: "rejected message is closed", from: interact.StateRejected, act: interact.ActAccept, wantErr: true},
		{name: "answered message cannot be forwarded", from: interact.StateAnswered, act: interact.ActForward, wantErr: true},
		{name: "assigned message cannot be rejected", from: interact.StateAssigned, act: interact.ActReject, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := interact.Next(tt.from, tt.act)
			if tt.wantErr {
				if !errors.Is(err, interact.ErrState) {
					t.Fatalf("Next(%s, %s) error = %v, want ErrState", tt.from, tt.act, err)
				}
				if _, ok := apperr.AsInvalid(err); !ok {
					t.Errorf("Next(%s, %s) error carries no Chinese message", tt.from, tt.act)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Next(%s, %s) = %s, %v; want %s", tt.from, tt.act, got, err, tt.want)
			}
		})
	}
}

func d(s string) workday.Date {
	v, err := workday.Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDue(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		name     string
		received string
		days     int
		want     string
	}{
		{name: "monday plus five is next monday", received: "2026-03-02", days: 5, want: "2026-03-09"},
		{name: "received on a saturday counts from monday", received: "2026-03-07", days: 5, want: "2026-03-13"},
		{name: "national day holiday is skipped, make-up saturday counts", received: "2026-09-30", days: 5, want: "2026-10-13"},
		{name: "make-up saturday counts", received: "2026-02-12", days: 3, want: "2026-02-24"},
		{name: "org with ten days", received: "2026-03-02", days: 10, want: "2026-03-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, prov := interact.Due(cal, d(tt.received), tt.days)
			if got.String() != tt.want || prov {
				t.Errorf("Due(%s, %d) = %s (provisional %v), want %s", tt.received, tt.days, got, prov, tt.want)
			}
		})
	}
}

func TestMarkOf(t *testing.T) {
	cal := workday.Embedded()
	open := func(received, due string) *interact.Message {
		return &interact.Message{State: interact.StateAssigned, ReceivedOn: d(received), DueOn: d(due)}
	}
	tests := []struct {
		name  string
		m     *interact.Message
		today string
		want  interact.Mark
	}{
		{name: "plenty of time", m: open("2026-03-02", "2026-03-09"), today: "2026-03-03", want: interact.MarkNone},
		{name: "two working days left is due soon", m: open("2026-03-02", "2026-03-09"), today: "2026-03-05", want: interact.MarkDueSoon},
		{name: "weekend does not count towards due soon", m: open("2026-03-02", "2026-03-09"), today: "2026-03-06", want: interact.MarkDueSoon},
		{name: "due today is due soon, not overdue", m: open("2026-03-02", "2026-03-09"), today: "2026-03-09", want: interact.MarkDueSoon},
		{name: "day after the deadline is overdue", m: open("2026-03-02", "2026-03-09"), today: "2026-03-10", want: interact.MarkOverdue},
		{name: "three months open is the inspection veto", m: open("2026-03-02", "2026-03-09"), today: "2026-06-02", want: interact.MarkStale},
		{name: "a day short of three months is only overdue", m: open("2026-03-02", "2026-03-09"), today: "2026-06-01", want: interact.MarkOverdue},
		{name: "answered late", m: &interact.Message{State: interact.StateAnswered, Late: true, DueOn: d("2026-03-09")}, today: "2026-03-20", want: interact.MarkLate},
		{name: "answered in time has no mark", m: &interact.Message{State: interact.StateAnswered, DueOn: d("2026-03-09")}, today: "2026-03-20", want: interact.MarkNone},
		{name: "rejected has no mark", m: &interact.Message{State: interact.StateRejected, DueOn: d("2026-03-09")}, today: "2026-03-20", want: interact.MarkNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := interact.MarkOf(cal, tt.m, d(tt.today)); got != tt.want {
				t.Errorf("MarkOf(due %s, today %s) = %q, want %q", tt.m.DueOn, tt.today, got, tt.want)
			}
		})
	}
}

func TestAnswerDays(t *testing.T) {
	cal := workday.Embedded()
	for _, tt := range []struct {
		received, answered string
		want               int
	}{
		{"2026-03-02", "2026-03-02", 0},
		{"2026-03-02", "2026-03-03", 1},
		{"2026-03-06", "2026-03-09", 1}, // Friday to Monday
		{"2026-09-30", "2026-10-09", 2}, // over the National Day holiday
	} {
		if got := interact.AnswerDays(cal, d(tt.received), d(tt.answered)); got != tt.want {
			t.Errorf("AnswerDays(%s, %s) = %d, want %d", tt.received, tt.answered, got, tt.want)
		}
	}
}

func valid() interact.Message {
	return interact.Message{OrgID: 1, Kind: interact.KindQuestion, Subject: "低保申请需要哪些材料", Body: "请问申请最低生活保障需要准备哪些材料？",
		Sender: interact.Sender{Name: "张三丰", Phone: "13912345678", Email: "zhang@example.com"}}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *interact.Message)
		field  string // "" means valid
	}{
		{name: "valid message", change: func(*interact.Message) {}},
		{name: "e-mail is optional", change: func(m *interact.Message) { m.Sender.Email = "" }},
		{name: "unknown kind", change: func(m *interact.Message) { m.Kind = "praise" }, field: "kind"},
		{name: "no org", change: func(m *interact.Message) { m.OrgID = 0 }, field: "org_id"},
		{name: "empty subject", change: func(m *interact.Message) { m.Subject = "" }, field: "subject"},
		{name: "oversized subject", change: func(m *interact.Message) { m.Subject = strings.Repeat("长", 101) }, field: "subject"},
		{name: "empty body", change: func(m *interact.Message) { m.Body = "" }, field: "body"},
		{name: "oversized body", change: func(m *interact.Message) { m.Body = strings.Repeat("字", 3001) }, field: "body"},
		{name: "three links are fine", change: func(m *interact.Message) { m.Body = "见 http://a.cn https://b.cn www.c.cn" }},
		{name: "four links are too many", change: func(m *interact.Message) { m.Body = "http://a.cn http://b.cn http://c.cn http://d.cn" }, field: "body"},
		{name: "links in subject count", change: func(m *interact.Message) { m.Subject = "www.a.cn www.b.cn"; m.Body = "http://c.cn http://d.cn" }, field: "body"},
		{name: "no name", change: func(m *interact.Message) { m.Sender.Name = "" }, field: "name"},
		{name: "no phone", change: func(m *interact.Message) { m.Sender.Phone = "" }, field: "phone"},
		{name: "bad phone", change: func(m *interact.Message) { m.Sender.Phone = "abc" }, field: "phone"},
		{name: "bad e-mail", change: func(m *interact.Message) { m.Sender.Email = "zhang@" }, field: "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(&m)
			m.Normalize()
			err := m.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			inv, ok := apperr.AsInvalid(err)
			if !ok || inv.Fields[tt.field] == "" {
				t.Fatalf("Validate() = %v, want a message on %s", err, tt.field)
			}
		})
	}
}

func TestQueryCode(t *testing.T) {
	no := interact.NewQueryNo(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
	if !strings.HasPrefix(no, "LY20260302-") || len(no) != len("LY20260302-123456") {
		t.Errorf("NewQueryNo = %q", no)
	}
	code := interact.NewQueryCode()
	if interact.HashCode(no, code) != interact.HashCode(no, " "+strings.ToLower(code)+" ") {
		t.Error("HashCode is sensitive to case or spaces")
	}
	if interact.HashCode(no, code) == interact.HashCode("LY20260302-000000", code) {
		t.Error("the same code hashes alike for another number")
	}
}

func TestPublicizeMasksTheSender(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) }
	m := valid()
	m.Body = "我是张三丰，电话13912345678，邮箱zhang@example.com，家住随州市曾都区交通大道100号，座机0722-1234567。"
	m.Sender.Phone = "0722-1234567"
	interact.Publicize(&m, "张三丰同志：您好！请携带身份证到窗口办理，我局电话0722-3333333。", now)
	all := m.PublicName + m.PublicSubject + m.PublicBody + m.PublicReply
	for _, secret := range []string{"张三丰", "13912345678", "zhang@example.com", "0722-1234567", "交通大道100号"} {
		if strings.Contains(all, secret) {
			t.Errorf("public text contains %q:\n%s", secret, all)
		}
	}
	if m.PublicName != "张**" {
		t.Errorf("PublicName = %q, want 张**", m.PublicName)
	}
	if !strings.Contains(m.PublicReply, "0722-3333333") {
		t.Errorf("the bureau's own number was masked: %s", m.PublicReply)
	}
}

func TestCheckReply(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) }
	s := interact.Sender{Name: "张三丰", Phone: "0722-1234567", Email: "zhang@example.com"}
	for _, tt := range []struct {
		name, body string
		ok         bool
	}{
		{name: "plain reply", body: "您好，请携带相关材料到市政务服务中心民政窗口办理。", ok: true},
		{name: "sender's landline", body: "我们将拨打0722-1234567与您联系。"},
		{name: "sender's e-mail", body: "已发送至 ZHANG@example.com。"},
		{name: "a mobile number", body: "请联系13912345678。"},
		{name: "an identity number", body: "您的身份证号11010519491231002X已登记。"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := interact.CheckReply(tt.body, s, now)
			if (err == nil) != tt.ok {
				t.Errorf("CheckReply(%q) = %v, want ok %v", tt.body, err, tt.ok)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	cal := workday.Embedded()
	msgs := []interact.Message{
		{OrgID: 1, Kind: interact.KindQuestion, State: interact.StateAnswered, ReceivedOn: d("2026-03-02"), AnsweredOn: d("2026-03-04"), DueOn: d("2026-03-09"),
			Rating: &interact.Rating{Level: interact.LevelSatisfied}},
		{OrgID: 1, Kind: interact.KindComplaint, State: interact.StateAnswered, ReceivedOn: d("2026-03-02"), AnsweredOn: d("2026-03-12"), DueOn: d("2026-03-09"), Late: true,
			Rating: &interact.Rating{Level: interact.LevelUnsatisfied}},
		{OrgID: 2, Kind: interact.KindQuestion, State: interact.StateAssigned, ReceivedOn: d("2026-04-01"), DueOn: d("2026-04-09")},
		{OrgID: 2, Kind: interact.KindHelp, State: interact.StateRejected, ReceivedOn: d("2026-04-01")},
	}
	s := interact.Summarize(cal, msgs, d("2026-04-10"))
	tot := s.Total
	if tot.Received != 4 || tot.Answered != 2 || tot.Rejected != 1 || tot.Open != 1 || tot.Late != 1 || tot.Overdue != 1 {
		t.Errorf("Total = %+v", tot)
	}
	if tot.AnswerDaysTotal != 10 || tot.AvgAnswerDays() != 5 {
		t.Errorf("answer days = %d (avg %v), want 10 (avg 5)", tot.AnswerDaysTotal, tot.AvgAnswerDays())
	}
	if tot.Satisfaction() != 50 || tot.ByKind[interact.KindQuestion] != 2 {
		t.Errorf("satisfaction %v, by kind %v", tot.Satisfaction(), tot.ByKind)
	}
	if s.ByOrg[2].Received != 2 || s.ByOrg[1].Answered != 2 {
		t.Errorf("ByOrg = %+v", s.ByOrg)
	}
	if got := s.Months(); len(got) != 2 || got[0] != "2026-03" || s.ByMonth["2026-04"].Open != 1 {
		t.Errorf("Months = %v, ByMonth = %+v", got, s.ByMonth)
	}
}

func TestConsultationPhaseAndValidate(t *testing.T) {
	c := interact.Consultation{Title: "草案", Draft: "正文", StartOn: d("2026-03-02"), EndOn: d("2026-03-31")}
	for day, want := range map[string]interact.Phase{"2026-03-01": interact.PhaseUpcoming, "2026-03-02": interact.PhaseOpen,
		"2026-03-31": interact.PhaseOpen, "2026-04-01": interact.PhaseClosed} {
		if got := c.PhaseOf(d(day)); got != want {
			t.Errorf("PhaseOf(%s) = %s, want %s", day, got, want)
		}
	}
	if err := c.Validate(d("2026-03-02")); err != nil {
		t.Errorf("Validate = %v", err)
	}
	bad := interact.Consultation{StartOn: d("2026-03-10"), EndOn: d("2026-03-05")}
	inv, _ := apperr.AsInvalid(bad.Validate(d("2026-03-01")))
	if inv == nil || inv.Fields["title"] == "" || inv.Fields["draft"] == "" || inv.Fields["end_on"] == "" {
		t.Errorf("Validate(bad) = %v", inv)
	}
	for link, ok := range map[string]bool{"/mzj/item/12": true, "https://example.com/draft": false, "//evil.example/x": false, "item/12": false} {
		c := interact.Consultation{Title: "草案", LinkURL: link, StartOn: d("2026-03-02"), EndOn: d("2026-03-31")}
		if err := c.Validate(d("2026-03-02")); (err == nil) != ok {
			t.Errorf("Validate(link %q) = %v, want ok %v", link, err, ok)
		}
	}
}
