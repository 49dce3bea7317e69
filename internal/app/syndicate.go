package app

import (
	"gongkai/internal/admin"
	"gongkai/internal/syndicate"
)

// syndicateAdmin is what the staff UI needs for the site group (issue 9).
func (a *App) syndicateAdmin() admin.SyndicateConfig {
	return admin.SyndicateConfig{Service: a.Syndicate, Reader: a.DB, Submissions: syndicate.NewSubmissions(a.DB, a.DB.Now), SubmissionReader: a.DB}
}
