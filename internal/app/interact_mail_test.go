package app_test

import (
	"net/url"
	"path/filepath"
	"testing"

	"gongkai/internal/config"
	"gongkai/internal/interact"
	"gongkai/internal/store/storetest"
)

// TestSenderIsToldByMailWhenAnswered checks that a sender who gave an
// e-mail address gets a mail pointing to the query page once the answer
// is approved, through the job queue, and that the mail carries neither
// the answer nor the query code.
func TestSenderIsToldByMailWhenAnswered(t *testing.T) {
	run := func(t *testing.T, cfg config.Config) {
		sink := newSMTPSink(t)
		cfg.SMTPURL = "smtp://" + sink.ln.Addr().String() + "?from=gongkai@example.cn&to=office@example.cn"
		cfg.BaseURL = "https://www.example.gov.cn"
		e := newEnv(t, cfg)
		ctx := t.Context()
		b := e.browser()
		no, code := submitMessage(t, b, "/interact/new", url.Values{"kind": {"question"}, "org_id": {itoa(e.org("42130021").ID)},
			"subject": {"救助站地址"}, "body": {"请问救助管理站在哪里？"}, "name": {"韩十三"}, "phone": {"13577778888"}, "email": {"han13@example.com"}})
		id := e.messageID(no)
		svc := e.app.Interact
		for i, step := range []func() error{
			func() error { _, err := svc.Accept(ctx, e.actor("bangongshi"), id); return err },
			func() error {
				_, err := svc.Assign(ctx, e.actor("bangongshi"), id, "办公室", e.actor("xinxiyuan").UserID)
				return err
			},
			func() error {
				_, err := svc.DraftReply(ctx, e.actor("xinxiyuan"), id, "救助管理站位于编码路88号（演示）。")
				return err
			},
			func() error { _, err := svc.ApproveReply(ctx, e.actor("kezhang"), id, false); return err },
		} {
			if err := step(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		if _, err := e.app.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := sink.messages()
		if len(msgs) != 1 {
			t.Fatalf("%d mails, want 1", len(msgs))
		}
		mustContain(t, "mail", msgs[0], "To: <han13@example.com>", no, "https://www.example.gov.cn/mzj/interact/query?no="+no)
		mustNotContain(t, "mail", msgs[0], code, "编码路88号")
		ms, err := e.app.DB.Messages(ctx, interact.Filter{})
		if err != nil || len(ms) != 1 {
			t.Fatalf("messages: %v", err)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		run(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	})
	t.Run("postgres", func(t *testing.T) {
		u := storetest.PostgresURL(t)
		t.Parallel()
		run(t, config.Config{DatabaseURL: storetest.CreateSchema(t, u)})
	})
}
