package app

import (
	"context"
	"log/slog"
	"time"

	"gongkai/internal/admin"
	"gongkai/internal/job"
	"gongkai/internal/syndicate"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// jobDisclosureRemind records reminders of required disclosures.
const jobDisclosureRemind = "disclosure.remind"

// setupSyndicate builds the site group's services and registers the daily
// reminder job (issue 9).
func (a *App) setupSyndicate(now func() time.Time) error {
	a.Disclosures = syndicate.NewDisclosures(a.DB)
	a.Jobs.Handle(jobDisclosureRemind, func(ctx context.Context, _ job.Job) error {
		today := web.ChinaTime(now())
		// This year's budget and last year's final accounts and annual
		// report are the ones with deadlines running.
		for _, y := range []int{today.Year() - 1, today.Year()} {
			n, err := a.Disclosures.Remind(ctx, y, workday.DateOf(today))
			if err != nil {
				return err
			}
			if n > 0 {
				a.Log.Info("disclosure reminders recorded", slog.Int("count", n), slog.Int("year", y))
			}
		}
		return nil
	})
	return a.Jobs.Every(jobDisclosureRemind, 24*time.Hour, nil)
}

// syndicateAdmin is what the staff UI needs for the site group (issue 9).
func (a *App) syndicateAdmin() admin.SyndicateConfig {
	return admin.SyndicateConfig{Service: a.Syndicate, Reader: a.DB, Submissions: syndicate.NewSubmissions(a.DB, a.DB.Now), SubmissionReader: a.DB,
		Disclosures: a.Disclosures, DisclosureReader: a.DB}
}
