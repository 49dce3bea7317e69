package admin

import (
	"fmt"
	"net/http"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// queue is one review queue: the items waiting for a role.
type queue struct {
	Role  account.Role
	Title string
	Since string // which step the waiting time counts from
	Rows  []queueRow
}

type queueRow struct {
	publish.Listed
	OrgName     string
	Waiting     string
	DaysLeft    int
	HasDue      bool
	Provisional bool
	Due         string
	// Blocking counts the open blocking screening findings (issue 4).
	Blocking int
}

type reviewPage struct {
	basePage
	Queues []queue
	// Late lists published items whose current public version went
	// online after its Art. 26 deadline, for publishers, leaders and
	// administrators.
	Late     []lateRow
	ShowLate bool
}

type lateRow struct {
	publish.Listed
	OrgName   string
	Due       string
	Published string
	DaysLate  int
}

// reviewQueues shows what waits for each of the actor's roles, oldest
// first in spirit: how long it has waited and how many working days remain
// before the 20-working-day deadline of Regulations on Open Government
// Information (2019), art. 26.
func (h *handler) reviewQueues(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	act := actor(r)
	specs := []struct {
		role  account.Role
		state publish.State
		title string
		since string
	}{
		{account.RoleOfficer, publish.StateDraft, "退回修改与草稿", "退回或创建"},
		{account.RoleSection, publish.StateSectionReview, "待科室审核", "提交"},
		{account.RoleReviewer, publish.StateConfidentialityReview, "待保密审查", "科室审核通过"},
		{account.RolePublisher, publish.StateApproved, "待发布", "保密审查通过"},
	}
	p := reviewPage{basePage: h.base(w, r, "审核工作台")}
	now := h.Now()
	for _, s := range specs {
		scope := org.Scope(orgs, act, s.role)
		if len(scope) == 0 {
			continue
		}
		rows, _, err := h.Pub.Items.Items(ctx, publish.Filter{OrgIDs: scope, States: []publish.State{s.state}, Limit: 200})
		if err != nil {
			return err
		}
		q := queue{Role: s.role, Title: s.title, Since: s.since}
		for _, l := range rows {
			if s.state == publish.StateDraft && l.Version.AuthorID != act.UserID {
				continue // an officer's queue holds their own drafts
			}
			since := l.Item.UpdatedAt
			switch s.state {
			case publish.StateSectionReview:
				since = l.Version.SubmittedAt
			case publish.StateConfidentialityReview:
				since = l.Version.SectionAt
			case publish.StateApproved:
				since = l.Version.ReviewAt
			}
			row := queueRow{Listed: l, OrgName: names[l.Item.OrgID], Waiting: waited(now.Sub(since))}
			if s.state == publish.StateConfidentialityReview {
				if row.Blocking, err = h.blockingCount(ctx, l.Item.ID, l.Version.Number); err != nil {
					return err
				}
			}
			if h.Pub.Calendar != nil && !l.Version.FormedDate.IsZero() {
				if due, err := publish.Due(h.Pub.Calendar, &l.Version); err == nil {
					row.Due, row.HasDue = due.To.String(), true
					row.DaysLeft, row.Provisional, _ = publish.DaysLeft(h.Pub.Calendar, &l.Version, publish.Today(now))
				}
			}
			q.Rows = append(q.Rows, row)
		}
		p.Queues = append(p.Queues, q)
	}
	if scope := org.Scope(orgs, act, account.RolePublisher, account.RoleLeader, account.RoleAdmin); len(scope) > 0 && h.Pub.Calendar != nil {
		p.ShowLate = true
		rows, _, err := h.Pub.Items.Items(ctx, publish.Filter{Public: true, OrgIDs: scope, Limit: 200})
		if err != nil {
			return err
		}
		for _, l := range rows {
			if !publish.Late(h.Pub.Calendar, &l.Version) {
				continue
			}
			due, err := publish.Due(h.Pub.Calendar, &l.Version)
			if err != nil {
				continue
			}
			late, err := h.Pub.Calendar.Between(due.To, publish.Today(l.Version.PublishedAt))
			if err != nil {
				continue
			}
			p.Late = append(p.Late, lateRow{Listed: l, OrgName: names[l.Item.OrgID], Due: due.To.String(),
				Published: publish.ChinaDate(l.Version.PublishedAt), DaysLate: late.Days})
		}
	}
	if len(p.Queues) == 0 && !p.ShowLate {
		return fmt.Errorf("review queues: %w", apperr.ErrForbidden)
	}
	return h.tmpl.Render(w, http.StatusOK, "review/queue", p)
}

// waited formats a waiting time for people: minutes, hours or days.
func waited(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d分钟", max(int(d.Minutes()), 0))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d小时", int(d.Hours()))
	default:
		return fmt.Sprintf("%d天", int(d.Hours()/24))
	}
}
