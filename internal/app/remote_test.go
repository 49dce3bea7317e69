package app_test

import (
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/config"
	"gongkai/internal/publish"
	"gongkai/internal/syndicate"
)

// TestSignedPushBetweenInstallations runs two installations: the sender's
// bureau pushes an item to the receiver's city portal, signed with the
// sender's key. Unregistered, it is refused; registered by the receiver's
// administrator, it lands in the portal's inbox, is accepted, and later
// pushes replace the copy (update, then withdrawal). A tampered or stale
// push is refused.
func TestSignedPushBetweenInstallations(t *testing.T) {
	eachBackend(t, func(t *testing.T, recv *env) {
		ctx := t.Context()
		send := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "sender"), BaseURL: "https://gk.suizhou.example", PushReceivers: []string{recv.srv.URL}})
		_, itemID := send.sampleItems()
		city := recv.org("42130000")
		push := func() error {
			return send.app.PushRemote(ctx, send.actor("bangongshi"), itemID, recv.srv.URL, "42130000", "zwdt")
		}
		if err := push(); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("push before registration = %v, want 403", err)
		}
		// An address the operator did not list is refused before any
		// request leaves (no requests into the server's own network).
		if err := send.app.PushRemote(ctx, send.actor("bangongshi"), itemID, "http://127.0.0.1:1", "42130000", "zwdt"); err == nil || !strings.Contains(err.Error(), "remote_url") {
			t.Errorf("push to an unlisted address = %v, want refused", err)
		}

		// The receiver's administrator registers the sender's key.
		key, err := send.app.PushKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		adm := recv.browser()
		adm.loginFull("admin")
		r := adm.post("/admin/pushes/senders", url.Values{"org_id": {itoa(city.ID)}, "public_key": {"not a key"}})
		expect(t, "bad key", r, http.StatusUnprocessableEntity)
		mustContain(t, "bad key", r.body, "公钥格式错误", "not a key")
		expect(t, "register", adm.post("/admin/pushes/senders", url.Values{"org_id": {itoa(city.ID)}, "public_key": {key}}), http.StatusSeeOther)
		mustContain(t, "sender list", adm.get("/admin/pushes").body, "gongkai-42130000")

		if err := push(); err != nil {
			t.Fatalf("push: %v", err)
		}
		ps, err := recv.app.DB.PushesTo(ctx, []int64{city.ID})
		if err != nil || len(ps) != 1 || !ps[0].Remote() || ps[0].Title != "样例已发布信息" || ps[0].ColumnID != recv.column("42130000", "zwdt").ID {
			t.Fatalf("receiver inbox = %+v, %v", ps, err)
		}
		portal := recv.browser()
		portal.loginFull("szf.bangongshi")
		mustContain(t, "portal inbox", portal.get("/admin/pushes").body, "样例已发布信息", "随州市民政局（外部平台 gongkai-42130000）")
		expect(t, "accept", portal.post("/admin/pushes/"+itoa(ps[0].ID)+"/accept", url.Values{"column": {itoa(ps[0].ColumnID)}}), http.StatusSeeOther)
		anon := recv.browser()
		pid := itoa(ps[0].ID)
		mustContain(t, "portal column with the remote push", anon.get("/szf/col/zwdt/").body, "样例已发布信息", "来源：随州市民政局", "/szf/pushed/"+pid)
		page := anon.get("/szf/pushed/" + pid)
		expect(t, "remote push page", page, http.StatusOK)
		mustContain(t, "remote push page", page.body, "样例已发布信息", "来源：随州市民政局", `<link rel="canonical" href="https://gk.suizhou.example/mzj/item/`+itoa(itemID)+`">`)
		expect(t, "remote push on another site", anon.get("/mzj/pushed/"+pid), http.StatusNotFound)

		// An update at the sender, pushed again, replaces the copy.
		svc := send.app.Publish
		if err := svc.StartUpdate(ctx, send.actor("xinxiyuan"), itemID); err != nil {
			t.Fatal(err)
		}
		it, _ := send.app.DB.Item(ctx, itemID)
		v, _ := send.app.DB.ItemVersion(ctx, itemID, it.Current)
		d := publish.DraftOf(v)
		d.Title, d.ChangeNote = "样例已发布信息（更新）", "更正标题"
		for i, err := range []error{svc.Save(ctx, send.actor("xinxiyuan"), itemID, v.Rev, d), svc.Submit(ctx, send.actor("xinxiyuan"), itemID),
			svc.SectionApprove(ctx, send.actor("kezhang"), itemID), svc.Approve(ctx, send.actor("baomi"), itemID),
			svc.Publish(ctx, send.actor("bangongshi"), itemID)} {
			if err != nil {
				t.Fatalf("update step %d: %v", i, err)
			}
		}
		// The update is pushed again from the sender's admin.
		sb := send.browser()
		sb.loginFull("bangongshi")
		r = sb.post("/admin/items/"+itoa(itemID)+"/push-remote", url.Values{"remote_url": {"ftp://x"}, "remote_org": {""}})
		expect(t, "remote push form with bad input", r, http.StatusUnprocessableEntity)
		mustContain(t, "remote push form with bad input", r.body, "请填写对方平台地址", "请填写对方接收单位的机构代码", "ftp://x")
		r = sb.post("/admin/items/"+itoa(itemID)+"/push-remote", url.Values{"remote_url": {recv.srv.URL}, "remote_org": {"42130000"}, "remote_column": {"zwdt"}})
		expect(t, "remote push form", r, http.StatusSeeOther)
		p, err := recv.app.DB.Push(ctx, ps[0].ID)
		if err != nil || p.Title != "样例已发布信息（更新）" || p.State != syndicate.StateAccepted {
			t.Fatalf("copy after the update = %+v, %v", p, err)
		}
		mustContain(t, "remote push page after the update", anon.get("/szf/pushed/"+pid).body, "样例已发布信息（更新）")
		// Repeal and withdrawal reach the receiver without pushing by
		// hand: the sender's job sends what changed.
		repush := func() {
			t.Helper()
			send.clock.Add(2 * time.Minute)
			if err := send.app.Jobs.Schedule(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := send.app.Jobs.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.SetValidity(ctx, send.actor("bangongshi"), itemID, publish.ActRepeal, "2026-03-02"); err != nil {
			t.Fatal(err)
		}
		repush()
		mustContain(t, "remote push page after the repeal", anon.get("/szf/pushed/"+pid).body, "本文件已废止")
		if err := svc.Withdraw(ctx, send.actor("bangongshi"), itemID, "内容有误"); err != nil {
			t.Fatal(err)
		}
		repush()
		if p, _ := recv.app.DB.Push(ctx, ps[0].ID); !p.RemoteWithdrawn {
			t.Errorf("copy after the withdrawal = %+v, want withdrawn", p)
		}
		expect(t, "remote push page after the withdrawal", anon.get("/szf/pushed/"+pid), http.StatusNotFound)
		mustNotContain(t, "portal column after the withdrawal", anon.get("/szf/col/zwdt/").body, "样例已发布信息")

		// Tampered and stale pushes.
		skeyEnv := syndicate.Envelope{ToOrg: "42130000", SentAt: recv.clock.Now(), Item: syndicate.RemoteItem{ID: "99", Title: "伪造"}}
		msg := sealWith(t, send, skeyEnv)
		bad := []byte(strings.Replace(string(msg), "伪造", "篡改", 1))
		if _, err := recv.app.Remote.Receive(ctx, bad); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("tampered push = %v, want forbidden", err)
		}
		skeyEnv.SentAt = recv.clock.Now().Add(-time.Hour)
		if _, err := recv.app.Remote.Receive(ctx, sealWith(t, send, skeyEnv)); err == nil {
			t.Error("a push an hour old was accepted")
		} else if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["sent_at"] == "" {
			t.Errorf("stale push = %v, want sent_at invalid", err)
		}
	})
}

// sealWith signs env with the sending installation's push key.
func sealWith(t *testing.T, send *env, env syndicate.Envelope) []byte {
	t.Helper()
	skey, _, err := send.app.DB.SigningKey(t.Context(), "push", nil)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := syndicate.Seal(env, skey)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}
