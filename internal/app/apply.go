package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/admin"
	"gongkai/internal/apply"
	"gongkai/internal/captcha"
	"gongkai/internal/job"
	"gongkai/internal/publish"
	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
	"gongkai/internal/site"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// Key names in signing_keys for disclosure on application.
const (
	receiptKeyName = "receipts"
	captchaKeyName = "captcha"
)

// setupApply builds the application service (issue 5), registers the
// daily deadline check and the warning e-mails, and loads the captcha
// secret.
func (a *App) setupApply(ctx context.Context, now func() time.Time) error {
	origin := "gongkai/apply"
	if a.Config.BaseURL != "" {
		if u, err := url.Parse(a.Config.BaseURL); err == nil && u.Host != "" {
			origin = u.Host + "/apply"
		}
	}
	a.Apply = apply.NewService(a.DB, apply.Config{Now: now, Origin: origin, Signer: a.receiptSigner,
		Rules: apply.Rules{Counting: apply.Counting(a.Config.ApplyCount)}})
	a.Jobs.Handle(apply.JobDeadlines, func(ctx context.Context, _ job.Job) error {
		ws, err := a.Apply.CheckDeadlines(ctx, a.Config.SMTPURL != "")
		if err == nil && len(ws) > 0 {
			a.Log.Info("application deadline warnings", slog.Int("count", len(ws)))
		}
		return err
	})
	a.Jobs.Handle(apply.JobMail, a.sendWarning)
	if err := a.Jobs.Every(apply.JobDeadlines, 24*time.Hour, nil); err != nil {
		return err
	}
	skey, _, err := a.DB.SigningKey(ctx, captchaKeyName, func() (string, string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", "", err
		}
		return hex.EncodeToString(b), "-", nil
	})
	if err != nil {
		return fmt.Errorf("load captcha secret: %w", err)
	}
	secret, err := hex.DecodeString(skey)
	if err != nil {
		return fmt.Errorf("decode captcha secret: %w", err)
	}
	a.captcha = captcha.New(secret, now)
	a.privateDir = filepath.Join(a.Config.DataDir, "private")
	if a.Config.DataDir == "" {
		// Only tests run without a data directory (on PostgreSQL); keep
		// their uploads out of the working directory.
		if a.privateDir, err = os.MkdirTemp("", "gongkai-private-"); err != nil {
			return fmt.Errorf("create private file directory: %w", err)
		}
	}
	return nil
}

// receiptSigner returns the signer of application receipts, creating the
// key pair on first use. Its verifier key is in signing_keys under
// "receipts".
func (a *App) receiptSigner(ctx context.Context) (note.Signer, error) {
	skey, _, err := a.DB.SigningKey(ctx, receiptKeyName, func() (string, string, error) {
		return note.GenerateKey(rand.Reader, "gongkai-receipts")
	})
	if err != nil {
		return nil, err
	}
	return note.NewSigner(skey)
}

// applySite is the public site's configuration of the application pages.
func (a *App) applySite(now func() time.Time) site.ApplyConfig {
	return site.ApplyConfig{
		Service:     a.Apply,
		Notices:     a.DB,
		Captcha:     a.captcha,
		Files:       privateFiles{dir: a.privateDir},
		SubmitLimit: web.NewRateLimiter(5, 2*time.Minute, now),
		TrackLimit:  web.NewRateLimiter(10, 30*time.Second, now),
		Now:         now,
		ReceiptKey: func(ctx context.Context) (string, error) {
			_, vkey, err := a.DB.SigningKey(ctx, receiptKeyName, func() (string, string, error) {
				return note.GenerateKey(rand.Reader, "gongkai-receipts")
			})
			return vkey, err
		},
	}
}

// privateFiles keeps uploads that must never be published (copies of
// identity documents) in their own directory under the data directory,
// apart from publishable attachments, named by the SHA-256 of their
// content, readable only by the server's user.
type privateFiles struct{ dir string }

// Put stores at most max bytes of r and returns their SHA-256 and size.
func (p privateFiles) Put(r io.Reader, max int64) (string, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return "", 0, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > max {
		return "", 0, errors.New("upload too large")
	}
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("create private file directory: %w", err)
	}
	path := filepath.Join(p.dir, name)
	if _, err := os.Stat(path); err == nil {
		return name, int64(len(data)), nil
	}
	tmp, err := os.CreateTemp(p.dir, "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("store private file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", 0, fmt.Errorf("store private file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", 0, fmt.Errorf("store private file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", 0, fmt.Errorf("store private file: %w", err)
	}
	return name, int64(len(data)), nil
}

// Open opens the private file with the given SHA-256.
func (p privateFiles) Open(sum string) (*os.File, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, errors.New("bad file name")
	}
	return os.Open(filepath.Join(p.dir, sum))
}

// sendWarning e-mails one deadline warning to the office address of the
// SMTP URL (its "to" parameter). Mails carry tracking numbers, never
// applicant data.
func (a *App) sendWarning(ctx context.Context, j job.Job) error {
	if a.Config.SMTPURL == "" {
		return nil
	}
	var m apply.Mail
	if err := json.Unmarshal(j.Payload, &m); err != nil {
		return fmt.Errorf("%w: decode mail: %v", job.ErrPermanent, err)
	}
	u, err := url.Parse(a.Config.SMTPURL)
	if err != nil {
		return fmt.Errorf("%w: parse smtp url", job.ErrPermanent)
	}
	from, to := u.Query().Get("from"), u.Query().Get("to")
	var auth smtp.Auth
	if pw, ok := u.User.Password(); ok {
		host, _, _ := net.SplitHostPort(u.Host)
		auth = smtp.PlainAuth("", u.User.Username(), pw, host)
	}
	subject := "Subject: " + mime.BEncoding.Encode("UTF-8", m.Subject) + "\r\n"
	msg := "From: " + (&mail.Address{Address: from}).String() + "\r\nTo: " + (&mail.Address{Address: to}).String() + "\r\n" + subject +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + m.Body + "\r\n"
	if err := smtp.SendMail(u.Host, auth, from, []string{to}, []byte(msg)); err != nil {
		return fmt.Errorf("send warning mail: %w", err)
	}
	return nil
}

// applyAdmin is the staff UI's configuration of the application pages.
// Released documents go through the screening of issue 4 before they are
// kept for the applicant.
func (a *App) applyAdmin() admin.ApplyConfig {
	x := extract.New(extract.Limits{})
	return admin.ApplyConfig{
		Service:  a.Apply,
		Reader:   a.DB,
		Files:    privateFiles{dir: a.privateDir},
		Calendar: workday.Embedded(),
		Screen: func(ctx context.Context, name string, data []byte) ([]screening.Finding, error) {
			return x.Scan(ctx, name, data, screening.Options{})
		},
	}
}

// applyAPI is the JSON API of disclosure on application. Staff calls use
// the API tokens of issue 3; a token must carry the handler role (or the
// leader role, for extensions) in the application's org.
func (a *App) applyAPI(now func() time.Time) http.Handler {
	return site.NewApplyAPI(site.ApplyAPIConfig{
		Log:        a.Log,
		Orgs:       a.DB,
		Public:     a.applySite(now),
		Staff:      a.Apply,
		Tokens:     publish.NewTokens(a.DB),
		Reader:     a.DB,
		StaffLimit: web.NewRateLimiter(120, time.Minute, now),
	})
}
