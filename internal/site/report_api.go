package site

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/report/export"
	"gongkai/internal/web"
)

// ReportSource is what the annual report API reads. *store.DB implements it.
type ReportSource interface {
	export.Source
	OrgByCode(ctx context.Context, code string) (*org.Org, error)
}

// NewReportAPI serves GET /api/v1/orgs/{code}/annual-report/{year}: the
// tables, values, checks and narrative of an org's annual report as JSON
// (report/export.JSONReport). Only reports that staff marked final are
// served; drafts answer 404 like a missing report. Computing a report
// reads the org's whole year, so each client address is limited by limit
// (nil: 20 at once, then one every 3 seconds).
func NewReportAPI(log *slog.Logger, src ReportSource, limit *web.RateLimiter) http.Handler {
	a := &api{APIConfig: APIConfig{Log: log}}
	if limit == nil {
		limit = web.NewRateLimiter(20, 3*time.Second, nil)
	}
	return a.wrap(func(w http.ResponseWriter, r *http.Request) error {
		if err := limit.Check(r); err != nil {
			return err
		}
		o, err := src.OrgByCode(r.Context(), r.PathValue("code"))
		if err != nil {
			return err
		}
		year, err := strconv.Atoi(r.PathValue("year"))
		if err != nil || year < report.MinYear || year > 9999 {
			return fmt.Errorf("annual report year %q: %w", r.PathValue("year"), apperr.ErrNotFound)
		}
		doc, d, err := export.Load(r.Context(), src, o.ID, o.Name, o.Code, year)
		if err != nil {
			return err
		}
		if d.Status != report.StatusFinal {
			return fmt.Errorf("annual report %s %d not final: %w", o.Code, year, apperr.ErrNotFound)
		}
		var b bytes.Buffer
		if err := export.JSON(&b, doc); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, err = w.Write(b.Bytes())
		if err != nil {
			a.Log.LogAttrs(r.Context(), slog.LevelWarn, "write annual report", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
		}
		return nil
	})
}
