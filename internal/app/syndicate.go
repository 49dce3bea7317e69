package app

import (
	"gongkai/internal/admin"
)

// syndicateAdmin is what the staff UI needs for the site group (issue 9).
func (a *App) syndicateAdmin() admin.SyndicateConfig {
	return admin.SyndicateConfig{Service: a.Syndicate, Reader: a.DB}
}
