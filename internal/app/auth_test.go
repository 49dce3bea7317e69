package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/account"
)

var passwordRe = regexp.MustCompile(`<code class="secret">([^<]+)</code>`)

func TestLoginOfficerReachesDashboardAndLogsOut(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		if r := b.get("/admin/"); r.status != http.StatusSeeOther || r.location != "/admin/login" {
			t.Fatalf("GET /admin/ signed out = %d %q, want 303 to /admin/login", r.status, r.location)
		}
		r := b.login("xinxiyuan")
		if r.status != http.StatusSeeOther || r.location != "/admin/" {
			t.Fatalf("officer login = %d %q, want 303 to /admin/ (no second factor for officers)", r.status, r.location)
		}
		dash := b.get("/admin/")
		if dash.status != http.StatusOK {
			t.Fatalf("dashboard status %d", dash.status)
		}
		mustContain(t, "dashboard", dash.body, "李信息", "信息员", "随州市民政局")
		mustNotContain(t, "officer's menu", dash.body, `href="/admin/users"`, `href="/admin/audit"`)
		if r := b.post("/admin/logout", nil); r.status != http.StatusSeeOther {
			t.Fatalf("logout status %d", r.status)
		}
		if r := b.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("dashboard after logout = %d, want redirect to login", r.status)
		}
	})
}

func TestLoginWrongPasswordSaysSoInChinese(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		r := b.post("/admin/login", url.Values{"username": {"xinxiyuan"}, "password": {"wrong-Password-1"}})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password status %d, want 401", r.status)
		}
		mustContain(t, "login page", r.body, "用户名或密码错误", `value="xinxiyuan"`)
		r = b.post("/admin/login", url.Values{"username": {"nobody"}, "password": {"wrong-Password-1"}})
		mustContain(t, "unknown user page", r.body, "用户名或密码错误")
	})
}

func TestLoginLockoutAfterRepeatedFailures(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		for i := range account.DefaultThrottle.AccountLimit {
			r := b.post("/admin/login", url.Values{"username": {"kezhang"}, "password": {"Wrong-password-9"}})
			if i < account.DefaultThrottle.AccountLimit-1 && r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: status %d, want 401", i+1, r.status)
			}
		}
		r := b.login("kezhang")
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "锁定") {
			t.Fatalf("right password while locked = %d, want 429 with a lock message", r.status)
		}
		// Another account from the same address is not locked yet.
		if r := e.browser().login("xinxiyuan"); r.status != http.StatusSeeOther {
			t.Errorf("other account during lock = %d, want 303", r.status)
		}
		e.clock.Add(account.DefaultThrottle.LockFor + time.Minute)
		if r := b.login("kezhang"); r.status != http.StatusSeeOther {
			t.Errorf("login after lock expired = %d, want 303", r.status)
		}
		recs, err := e.app.DB.VerifyAudit(t.Context())
		if err != nil || recs == 0 {
			t.Errorf("VerifyAudit() = %d, %v", recs, err)
		}
	})
}

func TestLoginLockoutPerAddress(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		// Many names, one address: the address is locked even for names
		// that do not exist.
		for i := range account.DefaultThrottle.IPLimit {
			b.post("/admin/login", url.Values{"username": {"guess" + string(rune('a'+i))}, "password": {"x"}})
		}
		if r := b.login("xinxiyuan"); r.status != http.StatusTooManyRequests {
			t.Errorf("login from locked address = %d, want 429", r.status)
		}
	})
}

func TestTwoFactorRequiredForReviewerPublisherAdmin(t *testing.T) {
	for _, user := range []string{"baomi", "bangongshi", "admin"} {
		t.Run(user, func(t *testing.T) {
			eachBackend(t, func(t *testing.T, e *env) {
				b := e.browser()
				r := b.login(user)
				if r.location != "/admin/2fa/enrol" {
					t.Fatalf("login = %d %q, want redirect to enrolment", r.status, r.location)
				}
				for _, p := range []string{"/admin/", "/admin/orgs", "/admin/users", "/admin/password"} {
					if r := b.get(p); r.status != http.StatusSeeOther || r.location != "/admin/2fa/enrol" {
						t.Errorf("GET %s before enrolment = %d %q, want redirect to enrolment", p, r.status, r.location)
					}
				}
				if r := b.post("/admin/2fa/enrol", url.Values{"code": {"000000"}}); r.status != http.StatusUnprocessableEntity {
					t.Errorf("wrong enrolment code = %d, want 422", r.status)
				}
				secret := b.enrol()
				if r := b.get("/admin/"); r.status != http.StatusOK {
					t.Fatalf("dashboard after enrolment = %d", r.status)
				}
				// Next sign-in asks for the code; a used code cannot be replayed.
				b2 := e.browser()
				if r := b2.login(user); r.location != "/admin/2fa" {
					t.Fatalf("second login = %q, want /admin/2fa", r.location)
				}
				if r := b2.get("/admin/"); r.location != "/admin/2fa" {
					t.Errorf("dashboard before code = %d %q", r.status, r.location)
				}
				used, _ := account.TOTPCode(secret, e.clock.Now())
				if r := b2.post("/admin/2fa", url.Values{"code": {used}}); r.status != http.StatusUnauthorized {
					t.Errorf("replayed code = %d, want 401", r.status)
				}
				e.clock.Add(30 * time.Second)
				next, _ := account.TOTPCode(secret, e.clock.Now())
				if r := b2.post("/admin/2fa", url.Values{"code": {next}}); r.status != http.StatusSeeOther || r.location != "/admin/" {
					t.Fatalf("fresh code = %d %q", r.status, r.location)
				}
				if r := b2.get("/admin/"); r.status != http.StatusOK {
					t.Errorf("dashboard after code = %d", r.status)
				}
			})
		})
	}
}

func TestSessionRotatesAtLoginAndExpiresWhenIdle(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.login("xinxiyuan")
		u, _ := url.Parse(e.srv.URL + "/admin/")
		first := b.c.Jar.Cookies(u)
		if len(first) != 1 {
			t.Fatalf("cookies after login: %v", first)
		}
		b.login("xinxiyuan")
		second := b.c.Jar.Cookies(u)
		if second[0].Value == first[0].Value {
			t.Errorf("session token not rotated at login")
		}
		e.clock.Add(account.SessionIdle + time.Minute)
		if r := b.get("/admin/"); r.status != http.StatusSeeOther {
			t.Errorf("dashboard after idle timeout = %d, want redirect to login", r.status)
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		r := e.browser().login("xinxiyuan")
		c := r.header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/admin/"} {
			if !strings.Contains(c, want) {
				t.Errorf("Set-Cookie %q lacks %s", c, want)
			}
		}
	})
}

func TestPasswordChangeAndAdminReset(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginFull("xinxiyuan")
		r := b.post("/admin/password", url.Values{"old_password": {e.pw["xinxiyuan"]}, "new_password": {"short"}, "confirm_password": {"short"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("weak password = %d, want 422", r.status)
		}
		mustContain(t, "password form", r.body, "密码至少10位")
		r = b.post("/admin/password", url.Values{"old_password": {e.pw["xinxiyuan"]}, "new_password": {"Minzheng-2026!"}, "confirm_password": {"Minzheng-2026!"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("password change = %d, want 303", r.status)
		}
		e.pw["xinxiyuan"] = "Minzheng-2026!"
		if r := e.browser().login("xinxiyuan"); r.status != http.StatusSeeOther {
			t.Fatalf("login with new password = %d", r.status)
		}

		// The bureau administrator resets it; the officer must change it.
		adm := e.browser()
		adm.loginFull("mzj.admin")
		u, err := e.app.DB.UserByName(t.Context(), "xinxiyuan")
		if err != nil {
			t.Fatal(err)
		}
		r = adm.post("/admin/users/"+itoa(u.ID)+"/password", nil)
		m := passwordRe.FindStringSubmatch(r.body)
		if r.status != http.StatusOK || m == nil {
			t.Fatalf("reset password = %d, no password shown", r.status)
		}
		e.pw["xinxiyuan"] = m[1]
		b2 := e.browser()
		if r := b2.login("xinxiyuan"); r.location != "/admin/password" {
			t.Errorf("login with issued password = %q, want forced change", r.location)
		}
	})
}

func TestExpiredSessionsAreRemovedByTheHourlyJob(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.browser().login("xinxiyuan")
		e.clock.Add(account.SessionAbsolute + time.Hour)
		if err := e.app.Jobs.Schedule(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		n, err := e.app.DB.DeleteExpiredSessions(t.Context())
		if err != nil || n != 0 {
			t.Errorf("sessions left after the cleanup job: %d, %v", n, err)
		}
	})
}
