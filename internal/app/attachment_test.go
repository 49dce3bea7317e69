package app_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

func (b *browser) upload(path, field, filename string, content []byte) resp {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var publicFileRe = regexp.MustCompile(`href="(/mzj/files/[0-9a-f]{64}/[^"]+)"`)
var bodyImgRe = regexp.MustCompile(`<img src="/admin/items/\d+(/files/[0-9a-f]{64}/image1.png)" alt="社会救助政策宣传月标志"`)

// TestAttachmentsAndWordImport uploads attachments (type checked from the
// content, not the name) and imports a real .docx into the body, then
// checks what the public can download.
func TestAttachmentsAndWordImport(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		officer, citizen := e.browser(), e.browser()
		officer.loginFull("xinxiyuan")
		r := officer.post("/admin/items", e.itemForm("带附件和Word正文的通知", "<p>待导入</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location

		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
		expect(t, "upload a PDF", officer.upload(item+"/attachments", "file", "救助对象名单.pdf", pdf), http.StatusSeeOther)
		r = officer.upload(item+"/attachments", "file", "看起来是文档.pdf", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 100)...))
		expect(t, "upload a program named .pdf", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused upload", r.body, "不支持此类文件")
		r = officer.upload(item+"/import", "docx", "旧格式.docx", pdf)
		expect(t, "import a PDF as Word", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused import", r.body, "不是 Word（.docx）文档")

		doc, err := os.ReadFile("../publish/docx/testdata/notice.docx")
		if err != nil {
			t.Fatal(err)
		}
		expect(t, "import Word", officer.upload(item+"/import", "docx", "通知.docx", doc), http.StatusSeeOther)
		r = officer.get(item)
		mustContain(t, "item after import", r.body, "救助对象名单.pdf", "application/pdf", "image1.png", "image/png",
			`<td rowspan="2">县（市、区）</td>`, `<strong>社会救助</strong>`, "<li>宣传特困人员救助供养政策</li>")
		img := bodyImgRe.FindStringSubmatch(r.body)
		if img == nil {
			t.Fatalf("imported body has no stored image:\n%s", excerpt(r.body))
		}
		expect(t, "draft image is not public", citizen.get(img[1]), http.StatusNotFound)
		r = officer.get(item + img[1])
		expect(t, "draft image in the staff preview", r, http.StatusOK)
		if r.header.Get("Content-Type") != "image/png" {
			t.Errorf("preview image type = %q", r.header.Get("Content-Type"))
		}
		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		expect(t, "another org's staff cannot fetch the draft image", unit.get(item+img[1]), http.StatusNotFound)

		// Publish, then the public can download.
		for _, step := range []struct{ user, action string }{{"xinxiyuan", "submit"}, {"kezhang", "section-approve"}, {"baomi", "approve"}, {"bangongshi", "publish"}} {
			b := officer
			if step.user != "xinxiyuan" {
				b = e.browser()
				b.loginFull(step.user)
			}
			if step.action == "approve" {
				// The PDF above has no text layer: screening asks for a
				// manual review, which the reviewer records (issue 4).
				page := b.get(item)
				for _, m := range regexp.MustCompile(`/findings/(\d+)/override`).FindAllStringSubmatch(page.body, -1) {
					r := b.post(item+"/findings/"+m[1]+"/override", url.Values{"override_reason": {"已人工核对，文件中没有个人信息"}})
					expect(t, "override the manual review", r, http.StatusSeeOther)
				}
			}
			expect(t, step.action, b.post(item+"/"+step.action, nil), http.StatusSeeOther)
		}
		id := strings.TrimPrefix(item, "/admin/items/")
		page := citizen.get("/mzj/item/" + id)
		mustContain(t, "public item", page.body, "救助对象名单.pdf", "（PDF，", "社会救助政策宣传月标志")
		// The JSON API reads the same live version's attachments.
		api := citizen.get("/api/v1/items/" + id)
		expect(t, "item through the API", api, http.StatusOK)
		mustContain(t, "item JSON", api.body, `"name":"救助对象名单.pdf"`, `"content_type":"application/pdf"`)
		links := publicFileRe.FindAllStringSubmatch(page.body, -1)
		var pdfLink string
		for _, l := range links {
			if strings.Contains(l[1], ".pdf") {
				pdfLink = l[1]
			}
		}
		if pdfLink == "" {
			t.Fatalf("public page has no PDF link")
		}
		got := citizen.get(pdfLink)
		expect(t, "download PDF", got, http.StatusOK)
		if got.header.Get("Content-Type") != "application/pdf" || !strings.Contains(got.header.Get("Content-Disposition"), "filename*=utf-8''%E6%95%91") || got.body != string(pdf) {
			t.Errorf("PDF download: type %q disposition %q", got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
		}
		got = citizen.get(img[1])
		expect(t, "body image", got, http.StatusOK)
		if got.header.Get("Content-Type") != "image/png" {
			t.Errorf("image type = %q", got.header.Get("Content-Type"))
		}
	})
}
