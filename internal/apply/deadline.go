package apply

import (
	"context"
	"fmt"
	"slices"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/job"
	"gongkai/internal/workday"
)

// JobDeadlines is the kind of the daily deadline check.
const JobDeadlines = "apply.deadlines"

// JobMail is the kind of a job that e-mails one warning.
const JobMail = "apply.mail"

// Mail is the payload of a JobMail job: a warning for the disclosure office
// of an org, sent to the office address configured with the SMTP server. It
// carries no applicant data.
type Mail struct {
	OrgID   int64  `json:"org_id"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// SetCalendarYear stores an administrator's holiday schedule for y.Year,
// replacing the built-in one, recomputes the due dates of every open
// application and notes the change on each whose due date moved. Only an
// administrator of a root org (the site group's operator) may change the
// calendar, which is shared by every org.
func (s *Service) SetCalendarYear(ctx context.Context, actor account.Actor, y workday.Year) (changed int, err error) {
	if err := y.Validate(); err != nil {
		return 0, err
	}
	err = s.store.UpdateApply(ctx, func(tx Tx) error {
		if !actor.System {
			root := false
			for _, g := range actor.Grants {
				if g.Role != account.RoleAdmin {
					continue
				}
				p, err := tx.OrgPath(ctx, g.OrgID)
				if err != nil {
					return err
				}
				root = root || len(p) == 1
			}
			if !root {
				return fmt.Errorf("change calendar: %w", apperr.ErrForbidden)
			}
		}
		before, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := tx.SaveCalendarYear(ctx, y, actor.Name); err != nil {
			return err
		}
		after, err := before.WithYear(y)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		today := Today(now)
		open, err := tx.OpenApplications(ctx)
		if err != nil {
			return err
		}
		for i := range open {
			a := &open[i]
			old := s.cfg.Rules.Compute(before, a.Channel, a.Events, today)
			c := s.cfg.Rules.Compute(after, a.Channel, a.Events, today)
			if old.Due == c.Due && old.Provisional == c.Provisional && old.CorrectionDue == c.CorrectionDue {
				continue
			}
			msg := fmt.Sprintf("%d年节假日安排调整，答复期限由 %s 重新计算为 %s", y.Year, dueText(old), dueText(c))
			ev := Event{ApplicationID: a.ID, Kind: EvCalendarChanged, On: today, At: now, ActorID: actor.UserID, ActorName: actor.Name, Note: msg}
			if err := tx.AddEvent(ctx, &ev); err != nil {
				return err
			}
			a.Events = append(a.Events, ev)
			s.refresh(after, a, today)
			if err := tx.UpdateApplication(ctx, a); err != nil {
				return err
			}
			changed++
		}
		r := record(actor, 0, audit.ActCalendarYear, int64(y.Year), fmt.Sprintf("保存%d年节假日安排（放假%d天，调休上班%d天），%d件在办申请的期限随之调整", y.Year, len(y.Holidays), len(y.Makeup), changed))
		r.ObjectType = "calendar_year"
		return tx.AppendAudit(ctx, r)
	})
	return changed, err
}

func dueText(c Clock) string {
	switch {
	case c.Due.IsZero():
		return "（未起算）"
	case c.Provisional:
		return c.Due.String() + "（暂定）"
	}
	return c.Due.String()
}

// Warning is one deadline warning found by CheckDeadlines.
type Warning struct {
	Application *Application
	Kind        string // "due_soon" or "overdue"
	Due         workday.Date
}

// CheckDeadlines finds the open applications due within WarnDays working
// days or overdue as of today and records a warning for the handler (or,
// when none is assigned, for the office of the org) and one for the office,
// once per application, kind and day. When mail is true it also enqueues a
// JobMail job per new warning for the office. It returns the warnings
// added.
func (s *Service) CheckDeadlines(ctx context.Context, mail bool) ([]Warning, error) {
	var out []Warning
	err := s.store.UpdateApply(ctx, func(tx Tx) error {
		cal, err := s.Calendar(ctx, tx)
		if err != nil {
			return err
		}
		now := s.cfg.Now().UTC()
		today := Today(now)
		open, err := tx.OpenApplications(ctx)
		if err != nil {
			return err
		}
		for i := range open {
			a := &open[i]
			c := s.cfg.Rules.Compute(cal, a.Channel, a.Events, today)
			var kind, msg string
			switch {
			case c.Overdue(today):
				kind, msg = "overdue", fmt.Sprintf("申请 %s 已超过答复期限（%s），请尽快答复", a.TrackingNo, dueText(c))
			case c.DueSoon(cal, today):
				kind, msg = "due_soon", fmt.Sprintf("申请 %s 将于 %s 到期（3个工作日内），请及时答复", a.TrackingNo, dueText(c))
			case c.Received.IsZero() && a.Channel == ChannelOnline && today.After(Today(a.SubmittedAt)):
				kind, msg = "unconfirmed", fmt.Sprintf("网上申请 %s 于 %s 提交，尚未确认收到", a.TrackingNo, Today(a.SubmittedAt))
			default:
				continue
			}
			users := []int64{0}
			if a.HandlerID != 0 {
				users = append(users, a.HandlerID)
			}
			added := false
			for _, uid := range users {
				n := &Notification{OrgID: a.OrgID, UserID: uid, ApplicationID: a.ID, Kind: kind, Message: msg, Day: today}
				ok, err := tx.AddApplyNotification(ctx, n)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				added = true
				if mail && uid == 0 {
					j, err := job.New(JobMail, Mail{OrgID: a.OrgID, Subject: "依申请公开期限提醒", Body: msg}, now)
					if err != nil {
						return err
					}
					if err := tx.Enqueue(ctx, j); err != nil {
						return err
					}
				}
			}
			if added {
				out = append(out, Warning{Application: a, Kind: kind, Due: c.Due})
			}
		}
		return nil
	})
	slices.SortFunc(out, func(x, y Warning) int { return x.Due.Compare(y.Due) })
	return out, err
}
