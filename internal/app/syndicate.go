package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"

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
	a.Remote = syndicate.NewRemote(a.DB, now)
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
	a.Jobs.Handle(jobRepush, a.repush)
	if err := a.Jobs.Every(jobRepush, time.Minute, nil); err != nil {
		return err
	}
	return a.Jobs.Every(jobDisclosureRemind, 24*time.Hour, nil)
}

// syndicateAdmin is what the staff UI needs for the site group (issue 9).
func (a *App) syndicateAdmin() admin.SyndicateConfig {
	return admin.SyndicateConfig{Service: a.Syndicate, Reader: a.DB, Submissions: syndicate.NewSubmissions(a.DB, a.DB.Now), SubmissionReader: a.DB,
		Disclosures: a.Disclosures, DisclosureReader: a.DB, Remote: a.Remote, Senders: a.DB.Senders, PushKey: a.PushKey,
		PushRemote: a.PushRemote}
}

// pushKeyName is the signing key of this installation's pushes to others.
const pushKeyName = "push"

// PushKey returns this installation's public push key (a note verifier
// key), which the receiving installation's administrator registers.
func (a *App) PushKey(ctx context.Context) (string, error) {
	_, vkey, err := a.pushKey(ctx)
	return vkey, err
}

func (a *App) pushKey(ctx context.Context) (skey, vkey string, err error) {
	return a.DB.SigningKey(ctx, pushKeyName, func() (string, string, error) {
		name := "gongkai"
		if orgs, err := a.DB.Orgs(ctx); err == nil {
			for _, o := range orgs {
				if o.ParentID == 0 {
					name = "gongkai-" + o.Code
					break
				}
			}
		}
		return note.GenerateKey(rand.Reader, name)
	})
}

// PushRemote sends the published item itemID to org toOrg (its code) of
// another installation at receiverURL, proposing its column slug, signed
// with this installation's push key. The actor must be a publisher of the
// item's org. Sending it again after an update, repeal or withdrawal
// replaces the receiver's copy.
func (a *App) PushRemote(ctx context.Context, actor account.Actor, itemID int64, receiverURL, toOrg, column string) error {
	it, err := a.DB.Item(ctx, itemID)
	if err != nil {
		return err
	}
	orgs, err := a.DB.Orgs(ctx)
	if err != nil {
		return err
	}
	if err := actor.Require(org.Path(orgs, it.OrgID), account.RolePublisher); err != nil {
		return err
	}
	if it.Live == 0 {
		return apperr.Invalidf("item", "只能推送已发布的信息")
	}
	// Only to installations the operator listed: otherwise a publisher
	// could make the server send requests to any address, inside the
	// network included.
	if !slices.Contains(a.Config.PushReceivers, strings.TrimRight(receiverURL, "/")) {
		return apperr.Invalidf("remote_url", "该地址不在允许推送的平台名单中；请系统运维人员在启动参数 --push-receivers 中登记对方平台地址")
	}
	v, err := a.DB.ItemVersion(ctx, itemID, it.Live)
	if err != nil {
		return err
	}
	var from org.Org
	for _, o := range orgs {
		if o.ID == it.OrgID {
			from = o
		}
	}
	base := strings.TrimRight(a.Config.BaseURL, "/")
	env := syndicate.Envelope{ToOrg: toOrg, Column: column, SentAt: a.DB.Now(), Item: syndicate.RemoteItem{
		ID: strconv.FormatInt(it.ID, 10), URL: base + "/" + from.Site.PathPrefix + "/item/" + strconv.FormatInt(it.ID, 10), Org: from.Name,
		Title: v.Title, Body: v.Body, PublishedAt: it.FirstPublishedAt, Withdrawn: !it.Public()}}
	if it.Validity != publish.ValidityValid {
		env.Item.Validity = string(it.Validity)
	}
	skey, _, err := a.pushKey(ctx)
	if err != nil {
		return err
	}
	msg, err := syndicate.Seal(env, skey)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(receiverURL, "/")+"/api/v1/pushes", bytes.NewReader(msg))
	if err != nil {
		return fmt.Errorf("push request: %w", err)
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("push to %s: %w", receiverURL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode != http.StatusAccepted {
		return fmt.Errorf("push to %s: status %d: %s", receiverURL, res.StatusCode, bytes.TrimSpace(body))
	}
	// Remember the target, so the item is sent again when it changes.
	return a.DB.SavePushTarget(ctx, syndicate.Target{ItemID: it.ID, URL: strings.TrimRight(receiverURL, "/"), ToOrg: toOrg, Column: column,
		Sent: syndicate.Fingerprint(it)})
}

// jobRepush sends items pushed to other installations again when they
// changed (update, repeal, withdrawal), every minute.
const jobRepush = "syndicate.repush"

// repush sends every changed item to its targets; a target that cannot
// be reached is tried again at the next run.
func (a *App) repush(ctx context.Context, _ job.Job) error {
	ts, err := a.DB.StalePushTargets(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if err := a.PushRemote(ctx, account.System("repush"), t.ItemID, t.URL, t.ToOrg, t.Column); err != nil {
			a.Log.LogAttrs(ctx, slog.LevelWarn, "push again to another installation", slog.Int64("item_id", t.ItemID), slog.Any("err", err))
		}
	}
	return nil
}
