package app_test

import (
	"net"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/apply"
	"gongkai/internal/config"
)

// smtpSink is a tiny in-process SMTP server that keeps the messages it
// receives.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 sink ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch cmd {
		case "EHLO", "HELO":
			tp.PrintfLine("250 sink")
		case "MAIL", "RCPT", "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 go on")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, string(b))
			s.mu.Unlock()
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 no")
		}
	}
}

func (s *smtpSink) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.msgs...)
}

// TestOverdueWarningIsMailed: with --smtp-url set, the daily job mails the
// office a warning with the tracking number and no applicant data.
func TestOverdueWarningIsMailed(t *testing.T) {
	sink := newSMTPSink(t)
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data"),
		SMTPURL: "smtp://" + sink.ln.Addr().String() + "?from=gongkai@example.cn&to=office@example.cn"})
	ctx := t.Context()
	u, _ := e.app.DB.UserByName(ctx, "yishenqing")
	x := apply.Application{OrgID: e.org("42130021").ID, Channel: apply.ChannelInPerson,
		Applicant:   apply.Applicant{Kind: apply.ApplicantPerson, Name: "周九", IDType: apply.IDPassport, IDNumber: "E3333333", Phone: "13800000009"},
		Description: "某批复", Form: apply.FormPaper, Way: apply.WayPickup}
	a, _, err := e.app.Apply.Register(ctx, account.ActorFor(u, ""), apply.Registration{Application: x, ReceivedOn: apply.Today(e.clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	e.at("2026-04-01")
	if err := e.app.Jobs.Schedule(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the deadline check, then the mail it enqueued
		if _, err := e.app.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	msgs := sink.messages()
	if len(msgs) != 1 {
		t.Fatalf("mails = %d, want 1", len(msgs))
	}
	mustContain(t, "mail", msgs[0], "To: <office@example.cn>", "Subject: =?UTF-8?b?", a.TrackingNo, "已超过答复期限")
	mustNotContain(t, "mail", msgs[0], "周九", "13800000009", "E3333333")
}
