package apply_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/apperr"
	"gongkai/internal/apply"
)

var now = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func person() apply.Application {
	return apply.Application{OrgID: 1, Channel: apply.ChannelOnline,
		Applicant:   apply.Applicant{Kind: apply.ApplicantPerson, Name: "张三", IDType: apply.IDResident, IDNumber: "11010519491231002X", Phone: "13800138000", Email: "zs@example.cn"},
		Description: "2025年度城乡低保资金发放情况", Form: apply.FormElectronic, Way: apply.WayEmail}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(a *apply.Application)
		fields []string // fields reported; nil for valid
	}{
		{"valid natural person", func(*apply.Application) {}, nil},
		{"lower-case x check digit is accepted", func(a *apply.Application) { a.Applicant.IDNumber = "11010519491231002x" }, nil},
		{"wrong check digit", func(a *apply.Application) { a.Applicant.IDNumber = "110105194912310021" }, []string{"id_number"}},
		{"missing name, phone and description", func(a *apply.Application) { a.Applicant.Name, a.Applicant.Phone, a.Description = "", "", "" },
			[]string{"description", "name", "phone"}},
		{"passport number", func(a *apply.Application) { a.Applicant.IDType, a.Applicant.IDNumber = apply.IDPassport, "E12345678" }, nil},
		{"no document type", func(a *apply.Application) { a.Applicant.IDType = "" }, []string{"id_type"}},
		{"e-mail way needs an e-mail", func(a *apply.Application) { a.Applicant.Email = "" }, []string{"email"}},
		{"post way needs an address", func(a *apply.Application) { a.Way = apply.WayPost }, []string{"address"}},
		{"bad e-mail and postcode", func(a *apply.Application) { a.Applicant.Email, a.Applicant.Postcode = "x@", "4413" }, []string{"email", "postcode"}},
		{"valid organisation", func(a *apply.Application) {
			a.Applicant = apply.Applicant{Kind: apply.ApplicantOrg, Name: "某律师事务所", CreditCode: "91350100M000100Y43", LegalRep: "李四", Contact: "王五", OrgType: apply.OrgLegal, Phone: "0722-1234567", Email: "a@b.cn"}
		}, nil},
		{"organisation with bad credit code and no sub-type", func(a *apply.Application) {
			a.Applicant = apply.Applicant{Kind: apply.ApplicantOrg, Name: "某公司", CreditCode: "91350100M000100Y44", Phone: "0722-1234567", Email: "a@b.cn"}
		}, []string{"contact", "credit_code", "legal_rep", "org_type"}},
		{"no form, way or kind", func(a *apply.Application) { a.Form, a.Way, a.Applicant.Kind = "", "", "" }, []string{"form", "kind", "way"}},
		{"description too long", func(a *apply.Application) { a.Description = strings.Repeat("字", apply.MaxDescription+1) }, []string{"description"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := person()
			tt.change(&a)
			a.Normalize()
			err := a.Validate(now)
			var got []string
			if inv, ok := apperr.AsInvalid(err); ok {
				for f := range inv.Fields {
					got = append(got, f)
				}
				slices.Sort(got)
			} else if err != nil {
				t.Fatalf("Validate = %v, want *apperr.Invalid or nil", err)
			}
			if !slices.Equal(got, tt.fields) {
				t.Errorf("Validate fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestFingerprintIgnoresSpacing(t *testing.T) {
	a, b := person(), person()
	b.Description = "  2025年度城乡低保资金发放情况 "
	b.Normalize()
	if apply.Fingerprint(&a) != apply.Fingerprint(&b) {
		t.Error("same application with other spacing has another fingerprint")
	}
	b.Description = "2024年度城乡低保资金发放情况"
	if apply.Fingerprint(&a) == apply.Fingerprint(&b) {
		t.Error("different applications share a fingerprint")
	}
}

// TestOutcomeCatalogue pins the national template: 8 reasons for 不予公开,
// 3 for 无法提供, 5 for 不予处理, 3 for 其他处理 (REGULATIONS.md §2.3).
func TestOutcomeCatalogue(t *testing.T) {
	want := map[apply.Category][]string{
		apply.CatDisclosed: nil, apply.CatPartial: nil,
		apply.CatRefused: {"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
			"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"},
		apply.CatUnavailable:  {"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"},
		apply.CatNotProcessed: {"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"},
		apply.CatOther:        {"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"},
	}
	if len(apply.Categories()) != 6 {
		t.Fatalf("Categories() = %v, want 6", apply.Categories())
	}
	for _, c := range apply.Categories() {
		var got []string
		for _, r := range apply.Reasons(c) {
			got = append(got, r.Label)
		}
		if !slices.Equal(got, want[c]) {
			t.Errorf("Reasons(%s) = %v, want %v", c.Label(), got, want[c])
		}
	}
	if got := (apply.Outcome{Category: apply.CatRefused, Reason: apply.RefusedThirdParty}).ReportRow(); got != "（三）不予公开 4.保护第三方合法权益" {
		t.Errorf("ReportRow = %q", got)
	}
}

func TestRenderNoticeStatesRemedies(t *testing.T) {
	for _, c := range apply.Categories() {
		o := apply.Outcome{Category: c, Note: "理由说明", AnsweredOn: day("2026-03-20")}
		if rs := apply.Reasons(c); len(rs) > 0 {
			o.Reason = rs[0].Reason
		}
		text := apply.RenderNotice(apply.DefaultTemplate(c), apply.NoticeData{Applicant: "张三", TrackingNo: "YSQ20260302-000001", ReceivedOn: "2026-03-02", Description: "低保", Outcome: o, OrgName: "随州市民政局"})
		for _, want := range []string{"张三", "YSQ20260302-000001", "六十日", "六个月", "行政复议", "行政诉讼", "随州市民政局", "2026-03-20", o.Basis()} {
			if !strings.Contains(text, want) {
				t.Errorf("%s notice lacks %q:\n%s", c.Label(), want, text)
			}
		}
		if strings.Contains(text, "{") {
			t.Errorf("%s notice keeps a placeholder:\n%s", c.Label(), text)
		}
	}
	if err := apply.CheckTemplate("没有救济途径"); err == nil {
		t.Error("CheckTemplate accepted a template without remedies")
	}
}

func TestReceiptSignature(t *testing.T) {
	skey, vkey, err := note.GenerateKey(nil, "receipts")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	text := apply.ReceiptText("gongkai.test/apply", "YSQ20260302-000001", now, strings.Repeat("ab", 32))
	signed, err := apply.SignReceipt(signer, text)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(signed), note.VerifierList(verifier))
	if err != nil || n.Text != text {
		t.Fatalf("note.Open = %v, %v", n, err)
	}
	if _, err := note.Open([]byte(strings.Replace(signed, "000001", "000002", 1)), note.VerifierList(verifier)); err == nil {
		t.Error("a changed receipt still verifies")
	}
}

func TestHashCode(t *testing.T) {
	h := apply.HashCode("YSQ1", "ABCD EFGH")
	if h != apply.HashCode("YSQ1", "abcdefgh") {
		t.Error("query code is not case and space insensitive")
	}
	if h == apply.HashCode("YSQ2", "ABCDEFGH") {
		t.Error("the same code for another number hashes the same")
	}
	if strings.Contains(h, "ABCD") {
		t.Error("hash contains the code")
	}
}
