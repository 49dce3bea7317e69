package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"gongkai/internal/admin"
	"gongkai/internal/interact"
	"gongkai/internal/job"
	"gongkai/internal/site"
	"gongkai/internal/web"
)

// setupInteract builds the public interaction service (issue 7) and
// registers the daily deadline check. It runs after setupApply, whose
// captcha it shares.
func (a *App) setupInteract(now func() time.Time) error {
	a.Interact = interact.NewService(a.DB, interact.Config{Now: now})
	a.Jobs.Handle(interact.JobDeadlines, func(ctx context.Context, _ job.Job) error {
		n, err := a.Interact.CheckDeadlines(ctx)
		if err == nil && n > 0 {
			a.Log.Info("messages overdue", slog.Int("count", n))
		}
		return err
	})
	a.Jobs.Handle(interact.JobNotify, a.notifySender)
	return a.Jobs.Every(interact.JobDeadlines, 24*time.Hour, nil)
}

// notifySender e-mails the sender of a message that it was answered or
// refused, with the address of the query page; the answer itself and the
// query code are not in the mail. Without --smtp-url it does nothing.
func (a *App) notifySender(ctx context.Context, j job.Job) error {
	if a.Config.SMTPURL == "" {
		return nil
	}
	var n interact.Notify
	if err := json.Unmarshal(j.Payload, &n); err != nil {
		return fmt.Errorf("%w: decode notice: %v", job.ErrPermanent, err)
	}
	var m *interact.Message
	err := a.DB.ViewInteract(ctx, func(tx interact.Tx) error {
		var err error
		m, err = tx.Message(ctx, n.MessageID)
		return err
	})
	if err != nil {
		return err
	}
	if m.Sender.Email == "" {
		return nil
	}
	o, err := a.DB.Org(ctx, m.OrgID)
	if err != nil {
		return err
	}
	where := "请到" + o.Name + "网站“公众互动”栏目，凭留言编号和查询码查看"
	if a.Config.BaseURL != "" {
		where = "请访问 " + a.Config.BaseURL + "/" + o.Site.PathPrefix + "/interact/query?no=" + url.QueryEscape(m.QueryNo) + " ，凭查询码查看"
	}
	subject, what, rate := "您的留言已答复", "已答复", "并评价"
	if m.State == interact.StateRejected {
		subject, what, rate = "您的留言未予受理", "未予受理，理由见查询页面", ""
	}
	body := fmt.Sprintf("您于%s提交的留言“%s”（编号 %s）%s。\n%s%s。\n\n%s\n（本邮件由系统自动发送，请勿回复。）",
		interact.Today(m.SubmittedAt), m.Subject, m.QueryNo, what, where, rate, o.Name)
	return sendMail(a.Config.SMTPURL, m.Sender.Email, subject, body)
}

// sendMail sends a plain-text mail through the server of smtpURL
// (smtp://user:pass@host:port?from=...), to one address.
func sendMail(smtpURL, to, subject, body string) error {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return fmt.Errorf("%w: parse smtp url", job.ErrPermanent)
	}
	from := u.Query().Get("from")
	var auth smtp.Auth
	if pw, ok := u.User.Password(); ok {
		host, _, _ := net.SplitHostPort(u.Host)
		auth = smtp.PlainAuth("", u.User.Username(), pw, host)
	}
	msg := "From: " + (&mail.Address{Address: from}).String() + "\r\nTo: " + (&mail.Address{Address: to}).String() + "\r\n" +
		"Subject: " + mime.BEncoding.Encode("UTF-8", subject) + "\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"
	if err := smtp.SendMail(u.Host, auth, from, []string{to}, []byte(msg)); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}

// interactAdmin is the staff UI's configuration of the interaction pages.
func (a *App) interactAdmin() admin.InteractConfig {
	return admin.InteractConfig{Service: a.Interact, Reader: a.DB}
}

// interactSite is the public site's configuration of the interaction pages.
func (a *App) interactSite(now func() time.Time) site.InteractConfig {
	return site.InteractConfig{
		Service:     a.Interact,
		Reader:      a.DB,
		Captcha:     a.captcha,
		SubmitLimit: web.NewRateLimiter(5, 2*time.Minute, now),
		QueryLimit:  web.NewRateLimiter(10, 30*time.Second, now),
	}
}
