package app

import (
	"gongkai/internal/admin"
	"gongkai/internal/report"
)

// reportAdmin is the staff UI's configuration of the annual report pages
// (issue 8).
func (a *App) reportAdmin() admin.ReportConfig {
	return admin.ReportConfig{Service: report.NewService(a.DB), Reader: a.DB, Stats: a.DB}
}
