package app

import (
	"context"
	"log/slog"
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
	return a.Jobs.Every(interact.JobDeadlines, 24*time.Hour, nil)
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
