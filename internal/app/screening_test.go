package app_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/account"
	"gongkai/internal/org"
	"gongkai/internal/screening"
	"gongkai/internal/screening/imagemeta"
)

// syntheticID returns an 18-character identity number with prefecture
// code 99 (never assigned by GB/T 2260, so it belongs to nobody) and a
// valid GB 11643 check character.
func syntheticID(i int) string {
	first := fmt.Sprintf("4299%02d19%02d%02d%02d%03d", 1+i%20, 50+i%40, 1+i%12, 1+i%28, 100+i)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for j, w := range weights {
		sum += int(first[j]-'0') * w
	}
	return first + string("10X98765432"[sum%11])
}

// subsidyList writes a recipients list as officers upload it: a title
// row, a header row, then names with identity numbers and amounts. The
// names are made up from common characters.
func subsidyList(t *testing.T) (data []byte, names, ids []string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "发放名单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	f.SetCellStr(sheet, "A1", "2026年3月城乡低保发放名单")
	for i, h := range []string{"序号", "姓名", "身份证号", "金额（元）"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellStr(sheet, cell, h)
	}
	surnames, given := []rune("赵钱孙李周吴郑王"), []rune("甲乙丙丁戊己庚辛壬癸")
	for i := range 8 {
		row := i + 3
		name := string(surnames[i]) + string(given[i]) + string(given[(i+3)%len(given)])
		id := syntheticID(i)
		names, ids = append(names, name), append(ids, id)
		f.SetCellInt(sheet, fmt.Sprintf("A%d", row), int64(i+1))
		f.SetCellStr(sheet, fmt.Sprintf("B%d", row), name)
		f.SetCellStr(sheet, fmt.Sprintf("C%d", row), id)
		f.SetCellInt(sheet, fmt.Sprintf("D%d", row), 680)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), names, ids
}

// crew keeps one signed-in browser per demo user: a user who has bound
// an authenticator cannot simply sign in again in the same test.
type crew struct {
	e  *env
	bs map[string]*browser
}

func newCrew(e *env) *crew { return &crew{e: e, bs: map[string]*browser{}} }

func (c *crew) as(user string) *browser {
	if b, ok := c.bs[user]; ok {
		return b
	}
	b := c.e.browser()
	b.loginFull(user)
	c.bs[user] = b
	return b
}

// run moves an item on through the workflow as the demo users.
func (c *crew) run(t *testing.T, item string, steps ...string) {
	t.Helper()
	users := map[string]string{"submit": "xinxiyuan", "section-approve": "kezhang", "approve": "baomi", "publish": "bangongshi"}
	for _, step := range steps {
		expect(t, step, c.as(users[step]).post(item+"/"+step, nil), http.StatusSeeOther)
	}
}

var (
	maskColumnRe = regexp.MustCompile(`action="(/admin/items/\d+/attachments/\d+/mask-column)"`)
	findingRe    = regexp.MustCompile(`<tr id="finding-(\d+)">`)
)

// unzipped returns the concatenated parts of an .xlsx archive, so a test
// can check that a value is gone from every part, not only from the cells.
func unzipped(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open downloaded workbook: %v", err)
	}
	var b strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(rc)
		rc.Close()
		b.Write(part)
	}
	return b.String()
}

// TestScreeningSubsidyListIsMaskedBeforePublication is the issue's "done
// when": a list of names with identity numbers blocks publication; the
// reviewer sees each cell, masks the name column and the number column,
// and the item publishes with the masked file only.
func TestScreeningSubsidyListIsMaskedBeforePublication(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := newCrew(e)
		officer, reviewer, citizen := c.as("xinxiyuan"), c.as("baomi"), e.browser()
		r := officer.post("/admin/items", e.itemForm("2026年3月城乡低保发放名单", "<p>现将本月城乡低保发放名单公示如下。</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location
		data, names, ids := subsidyList(t)
		expect(t, "upload the list", officer.upload(item+"/attachments", "file", "低保名单.xlsx", data), http.StatusSeeOther)
		c.run(t, item, "submit", "section-approve")

		page := reviewer.get(item)
		expect(t, "reviewer opens the item", page, http.StatusOK)
		mustContain(t, "review page", page.body, "自动检查结果", "8 处须处理")
		for i, id := range ids {
			mustContain(t, "review page", page.body, fmt.Sprintf("低保名单.xlsx 发放名单!C%d", i+3), screening.MaskIDNumber(id))
			mustNotContain(t, "review page", page.body, id)
		}
		mustContain(t, "review queue", reviewer.get("/admin/review").body, "自动检查：8 处须处理")
		mustContain(t, "review page", page.body, "遮盖“低保名单.xlsx”中的全部个人信息（8 处）")
		r = reviewer.post(item+"/approve", nil)
		expect(t, "approve while findings are open", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused approval", r.body, "自动检查发现8处须处理的问题")

		// One action for the names (not detectable, so the reviewer names
		// the column), one for the identity numbers (offered from the
		// findings).
		m := maskColumnRe.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("review page offers no column masking:\n%s", excerpt(page.body))
		}
		r = reviewer.post(m[1], url.Values{"sheet": {"发放名单"}, "column": {"B"}, "first_row": {"3"}, "kind": {"name"}})
		expect(t, "mask the name column", r, http.StatusSeeOther)
		page = reviewer.get(item)
		m = maskColumnRe.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("review page offers no column masking after the first mask")
		}
		r = reviewer.post(m[1], url.Values{"sheet": {"发放名单"}, "column": {"C"}, "first_row": {"3"}, "kind": {"id_number"}})
		expect(t, "mask the identity column", r, http.StatusSeeOther)
		page = reviewer.get(item)
		mustContain(t, "review page after masking", page.body, "无待处理问题")

		c.run(t, item, "approve", "publish")
		id := strings.TrimPrefix(item, "/admin/items/")
		pub := citizen.get("/mzj/item/" + id)
		expect(t, "public page", pub, http.StatusOK)
		link := regexp.MustCompile(`href="(/mzj/files/[0-9a-f]{64}/[^"]+)"`).FindStringSubmatch(pub.body)
		if link == nil {
			t.Fatalf("public page has no attachment link:\n%s", excerpt(pub.body))
		}
		dl := citizen.get(link[1])
		expect(t, "download the published list", dl, http.StatusOK)
		raw := unzipped(t, []byte(dl.body))
		for i := range ids {
			mustNotContain(t, "published workbook", raw, ids[i], names[i])
			mustContain(t, "published workbook", raw, screening.MaskIDNumber(ids[i]), screening.MaskName(names[i]))
		}

		// The masking is on record.
		r = c.as("admin").get("/admin/audit?action=screen_mask")
		mustContain(t, "audit trail", r.body, "按列遮盖 低保名单.xlsx 发放名单!B 列", "按列遮盖 低保名单.xlsx 发放名单!C 列")
	})
}

// TestScreeningBodyAndMarkings masks a mobile number in the body from the
// review page, refuses a classification marking until a reviewer writes a
// reason, and keeps officers and other orgs' reviewers out.
func TestScreeningBodyAndMarkings(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := newCrew(e)
		officer, reviewer := c.as("xinxiyuan"), c.as("baomi")

		// A mobile number in the body, masked in one action.
		r := officer.post("/admin/items", e.itemForm("低保政策咨询方式", "<p>咨询联系人：<b>王老师</b>，电话13812345678。</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location
		c.run(t, item, "submit", "section-approve")
		page := reviewer.get(item)
		mustContain(t, "review page", page.body, "138****5678", `<mark class="finding"`, "正文中的问题")
		m := findingRe.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no finding row:\n%s", excerpt(page.body))
		}
		expect(t, "mask the number", reviewer.post(item+"/findings/"+m[1]+"/mask", nil), http.StatusSeeOther)
		page = reviewer.get(item)
		mustContain(t, "body after masking", page.body, "电话138****5678", "已遮盖", "无待处理问题")
		mustNotContain(t, "body after masking", page.body, "13812345678")
		c.run(t, item, "approve", "publish")
		id := strings.TrimPrefix(item, "/admin/items/")
		pub := e.browser().get("/mzj/item/" + id)
		mustContain(t, "public page", pub.body, "138****5678")
		mustNotContain(t, "public page", pub.body, "13812345678")

		// A classification marking blocks until overridden with a reason.
		r = officer.post("/admin/items", e.itemForm("关于某项工作的通知", "<p>机密★1年</p><p>各县（市、区）民政局：现将有关事项通知如下。</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item = r.location
		c.run(t, item, "submit", "section-approve")
		page = reviewer.get(item)
		mustContain(t, "review page", page.body, "密级标志", "1 处须处理")
		m = findingRe.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no finding row:\n%s", excerpt(page.body))
		}
		override := item + "/findings/" + m[1] + "/override"

		unitAdmin := c.as("mzj.admin")
		other := e.otherBureauReviewer(t)
		tests := []struct {
			name    string
			b       *browser
			path    string
			form    url.Values
			want    int
			wantIn  string
			wantOut string
		}{
			{name: "officer cannot override", b: officer, path: override, form: url.Values{"override_reason": {"已解密"}}, want: http.StatusForbidden},
			{name: "officer cannot mask", b: officer, path: item + "/findings/" + m[1] + "/mask", want: http.StatusForbidden},
			{name: "administrator cannot override", b: unitAdmin, path: override, form: url.Values{"override_reason": {"已解密"}}, want: http.StatusForbidden},
			{name: "another bureau's reviewer cannot see the item", b: other, path: item, want: http.StatusNotFound, wantOut: "密级标志"},
			{name: "another bureau's reviewer cannot override", b: other, path: override, form: url.Values{"override_reason": {"已解密"}}, want: http.StatusNotFound},
			{name: "reviewer cannot approve while the marking is open", b: nil, path: item + "/approve", want: http.StatusUnprocessableEntity, wantIn: "自动检查发现1处须处理的问题"},
			{name: "reviewer needs a reason", b: reviewer, path: override, form: url.Values{"override_reason": {"  "}}, want: http.StatusUnprocessableEntity, wantIn: "请填写放行理由"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := tt.b
				if b == nil {
					b = reviewer
				}
				var r resp
				if tt.form == nil && !strings.Contains(tt.path, "/findings/") && !strings.HasSuffix(tt.path, "/approve") {
					r = b.get(tt.path)
				} else {
					r = b.post(tt.path, tt.form)
				}
				if r.status != tt.want {
					t.Fatalf("%s: status %d, want %d\n%s", tt.path, r.status, tt.want, excerpt(r.body))
				}
				if tt.wantIn != "" {
					mustContain(t, tt.name, r.body, tt.wantIn)
				}
				if tt.wantOut != "" {
					mustNotContain(t, tt.name, r.body, tt.wantOut)
				}
			})
		}
		r = reviewer.post(override, url.Values{"override_reason": {"该文件已于2026年2月按程序解密，标志为原件留存"}})
		expect(t, "override with a reason", r, http.StatusSeeOther)
		page = reviewer.get(item)
		mustContain(t, "after override", page.body, "已放行", "该文件已于2026年2月按程序解密")
		c.run(t, item, "approve", "publish")

		r = c.as("admin").get("/admin/audit?action=screen_override")
		mustContain(t, "audit trail", r.body, "理由：该文件已于2026年2月按程序解密")
	})
}

// otherBureauReviewer signs in a confidentiality reviewer of a second
// bureau under the city.
func (e *env) otherBureauReviewer(t *testing.T) *browser {
	t.Helper()
	ctx := t.Context()
	admin := e.actor("admin")
	o := &org.Org{Code: "42130099", Name: "随州市测试局", ParentID: e.org("42130000").ID, Site: org.Site{PathPrefix: "csj"}}
	if err := e.app.Orgs.CreateOrg(ctx, admin, o); err != nil {
		t.Fatalf("create second bureau: %v", err)
	}
	return e.newStaff(t, "cs.baomi", o.ID, account.RoleReviewer)
}

// newStaff creates a staff account with one role in one org and signs it
// in.
func (e *env) newStaff(t *testing.T, username string, orgID int64, role account.Role) *browser {
	t.Helper()
	u := &account.User{Username: username, DisplayName: "测试" + string(role), OrgID: orgID, Grants: []account.Grant{{OrgID: orgID, Role: role}}}
	pw := "Lvse-Shanshui-2026!qw"
	if _, err := e.app.Accounts.CreateUser(t.Context(), e.actor("admin"), u, pw); err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	e.pw[u.Username] = pw
	b := e.browser()
	b.loginFull(u.Username)
	return b
}

// TestScreeningWordList lets an administrator of the root org keep the
// site group's word list, which the next submission uses; a bureau
// administrator may not.
func TestScreeningWordList(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		adm, bureauAdm := e.browser(), e.browser()
		adm.loginFull("admin")
		bureauAdm.loginFull("mzj.admin")
		city := itoa(e.org("42130000").ID)
		expect(t, "bureau admin opens the word list", bureauAdm.get("/admin/screening/words"), http.StatusForbidden)
		expect(t, "bureau admin saves the word list", bureauAdm.post("/admin/screening/words", url.Values{"org": {city}, "words": {"测试敏感词"}}), http.StatusForbidden)
		r := adm.post("/admin/screening/words", url.Values{"org": {city}, "words": {"测试敏感词,阻断\n某词,未知级别"}})
		expect(t, "bad severity", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused list", r.body, "第2行的级别无效", "某词,未知级别")
		expect(t, "save the list", adm.post("/admin/screening/words", url.Values{"org": {city}, "words": {"测试敏感词,阻断\n提醒词"}}), http.StatusSeeOther)
		r = adm.get("/admin/screening/words")
		mustContain(t, "saved list", r.body, "测试敏感词\t阻断", "提醒词", "当前 2 个")

		c := newCrew(e)
		r = c.as("xinxiyuan").post("/admin/items", e.itemForm("含敏感词的信息", "<p>这里有一个测试敏感词。</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location
		c.run(t, item, "submit", "section-approve")
		page := c.as("baomi").get(item)
		mustContain(t, "review page", page.body, "敏感词", "1 处须处理")
		r = adm.get("/admin/audit?action=screen_words")
		mustContain(t, "audit trail", r.body, "敏感词表共2个词")
	})
}

// TestScreeningImages strips the GPS position from uploaded photos before
// they are stored, and blocks a map without an approval number until the
// caption carries one.
func TestScreeningImages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := newCrew(e)
		officer := c.as("xinxiyuan")
		r := officer.post("/admin/items", e.itemForm("社区服务站位置", "<p>见附图。</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location
		for _, name := range []string{"gps.jpg", "gps.png"} {
			data, err := os.ReadFile("../screening/imagemeta/testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			if info, err := imagemeta.Inspect(data); err != nil || !info.GPS && !info.Other {
				t.Fatalf("fixture %s has no metadata to strip: %+v, %v", name, info, err)
			}
			expect(t, "upload "+name, officer.upload(item+"/attachments", "file", name, data), http.StatusSeeOther)
		}
		page := officer.get(item)
		links := regexp.MustCompile(`href="(/admin/items/\d+/attachments/\d+)">gps\.(jpg|png)<`).FindAllStringSubmatch(page.body, -1)
		if len(links) != 2 {
			t.Fatalf("item page lists %d photos, want 2", len(links))
		}
		for _, m := range links {
			got := officer.get(m[1])
			expect(t, "download "+m[2], got, http.StatusOK)
			info, err := imagemeta.Inspect([]byte(got.body))
			// A JPEG keeps a minimal EXIF block with its orientation only.
			if err != nil || info.GPS || info.Other {
				t.Errorf("stored %s still has metadata: %+v, %v", m[2], info, err)
			}
		}

		// A map: marked as one, with and without an approval number.
		png, err := os.ReadFile("../screening/imagemeta/testdata/gps.png")
		if err != nil {
			t.Fatal(err)
		}
		r = uploadWith(officer, item+"/attachments", "区划.png", png, url.Values{"caption": {"随州市社区服务站分布"}, "is_map": {"1"}})
		expect(t, "upload a map", r, http.StatusSeeOther)
		c.run(t, item, "submit", "section-approve")
		page = c.as("baomi").get(item)
		mustContain(t, "review page", page.body, "地图未标注审图号", "1 处须处理")
		r = c.as("baomi").post(item+"/approve", nil)
		expect(t, "approve a map without approval number", r, http.StatusUnprocessableEntity)
		r = c.as("baomi").post(item+"/reject", url.Values{"reason": {"地图须标注审图号"}})
		expect(t, "reject", r, http.StatusSeeOther)

		// The author replaces it with a captioned copy; the new version
		// scans clean.
		page = officer.get(item)
		del := regexp.MustCompile(`action="(/admin/items/\d+/attachments/\d+/delete)"><button class="small secondary" type="submit" aria-label="删除附件 区划.png"`).FindStringSubmatch(page.body)
		if del == nil {
			t.Fatalf("no delete button for the map:\n%s", excerpt(page.body))
		}
		expect(t, "remove the map", officer.post(del[1], nil), http.StatusSeeOther)
		r = uploadWith(officer, item+"/attachments", "区划.png", png, url.Values{"caption": {"随州市社区服务站分布图 审图号：鄂S(2020)012号"}, "is_map": {"1"}})
		expect(t, "upload the map with its approval number", r, http.StatusSeeOther)
		c.run(t, item, "submit", "section-approve", "approve", "publish")
	})
}

// uploadWith posts a file with further form fields.
func uploadWith(b *browser, path, filename string, content []byte, fields url.Values) resp {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}
